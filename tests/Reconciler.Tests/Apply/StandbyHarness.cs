using System.Reflection;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>How the standby pool signs users in.</summary>
public enum PoolKind
{
    /// <summary>By username: the standby user has the primary user's username.</summary>
    Username,

    /// <summary>By email: Cognito gives every standby user a fresh UUID username; users are created by email.</summary>
    Email,
}

/// <summary>Runs a theory once for a username pool and once for an email-sign-in pool; extra arguments follow.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BothPoolsAttribute(params object[] arguments) : DataAttribute
{
    public IReadOnlyList<object> Arguments { get; } = arguments;

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[PoolKind.Username, .. Arguments], [PoolKind.Email, .. Arguments]];
}

/// <summary>
/// An apply engine in front of an in-memory standby pool (<see cref="InMemoryUserDirectory"/>, reached through an
/// <see cref="InterceptingUserDirectory"/>), in-memory replica state, group snapshots, fake time and a fake logger.
/// </summary>
internal sealed class StandbyHarness
{
    public const string Region = "us-west-2";

    public StandbyHarness(PoolKind kind, IReadOnlyCollection<string>? excluded = null, IEnumerable<string>? customAttributes = null, IEnumerable<string>? immutableAttributes = null)
    {
        Kind = kind;
        Standby = new InMemoryUserDirectory(signInByEmail: kind == PoolKind.Email, customAttributes: customAttributes, immutableAttributes: immutableAttributes);
        Intercepted = new InterceptingUserDirectory(Standby);
        Excluded = excluded ?? [];
        Engine = NewEngine();
    }

    public PoolKind Kind { get; }

    public InMemoryUserDirectory Standby { get; }

    public InterceptingUserDirectory Intercepted { get; }

    public IReadOnlyCollection<string> Excluded { get; }

    public InMemoryReplicaState State { get; } = new();

    public GroupSnapshotsOnly Mirror { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));

    public FakeLogger<ApplyEngine> Logger { get; } = new();

    public ApplyEngine Engine { get; }

    /// <summary>A second engine on the same pool and state: what a restarted reconciler would be.</summary>
    public ApplyEngine NewEngine() => new(Intercepted, Mirror, State, new ApplySettings(Region, Excluded), Time, Logger);

    public PrimaryUser NewUser(string name) => Kind == PoolKind.Email ? PrimaryUser.InEmailPool(name) : PrimaryUser.InUsernamePool(name);

    /// <summary>Puts a counterpart of <paramref name="user"/> in the standby directly (no calls counted); returns its username.</summary>
    public string SeedCounterpart(PrimaryUser user, IReadOnlyDictionary<string, string> attributes, bool enabled = true, string status = UserStatuses.Confirmed, IEnumerable<string>? groups = null) =>
        Standby.Seed(Kind == PoolKind.Email ? attributes.GetValueOrDefault("email", user.Email) : user.Username, attributes, enabled, status, groups);

    /// <summary>The standby user that stands for <paramref name="user"/> (by username, or by email in email pools), read without counting a call.</summary>
    public DirectoryUser? Counterpart(PrimaryUser user, string? email = null) => Kind == PoolKind.Email
        ? Standby.Users.SingleOrDefault(u => string.Equals(u.Attributes.GetValueOrDefault("email"), email ?? user.Email, StringComparison.OrdinalIgnoreCase))
        : Standby.Users.SingleOrDefault(u => string.Equals(u.Username, user.Username, StringComparison.OrdinalIgnoreCase));

    public DirectoryUser RequiredCounterpart(PrimaryUser user, string? email = null) =>
        Counterpart(user, email) ?? throw new Xunit.Sdk.XunitException($"The standby has no counterpart of {user.Name}.");

    public Task<IReadOnlyList<string>> GroupsOfAsync(DirectoryUser standbyUser) =>
        Standby.ListGroupsForUserAsync(standbyUser.Username, CancellationToken.None);

    public Task<AppliedState?> AppliedAsync(PrimaryUser user) =>
        State.GetAppliedAsync(Region, EntityId.ForUser(user.Key), CancellationToken.None);

    public int CallsOf(string operation) => Standby.Calls.GetValueOrDefault(operation);

    public Task<ApplyResult> ApplyAsync(UserSnapshot snapshot) => Engine.ApplyUserAsync(snapshot, CancellationToken.None);
}
