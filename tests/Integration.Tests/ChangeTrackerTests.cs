using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Integration.Tests;

/// <summary>The demo observes the pools while it writes: a change made after a look began is judged by the next look.</summary>
public sealed class ChangeTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Observe_ChangeMadeAfterTheLookBegan_StaysPendingUntilTheNextLook()
    {
        var tracker = new ChangeTracker(_time, _ => true);
        var lookBegan = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(40));
        tracker.Add(ChangeKinds.Create, "ada@example.com");

        // Read before the user existed: neither pool has it, which must not count as "correct in the standby".
        tracker.Observe(State(), State(), lookBegan);
        Assert.Equal(1, tracker.Pending);

        _time.Advance(TimeSpan.FromMilliseconds(300));
        var user = new DirectoryUser("u-1", "sub-1", new Dictionary<string, string> { ["email"] = "ada@example.com" }, true, UserStatuses.Confirmed);
        tracker.Observe(State(user), State(user), _time.GetTimestamp());

        Assert.Equal(0, tracker.Pending);
        Assert.Equal([300.0], tracker.LagsOf(ChangeKinds.Create));
    }

    private static PoolState State(params DirectoryUser[] users) => new(
        users.ToDictionary(u => u.Attributes["email"], StringComparer.OrdinalIgnoreCase),
        new Dictionary<string, DirectoryGroup>(StringComparer.Ordinal),
        new Dictionary<string, HashSet<string>>(StringComparer.Ordinal));
}
