using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>
/// Property test of capture's decisions in a pool with chosen usernames: usernames are created, changed, deleted and
/// created again (a new sub each time), and every change's event — CloudTrail by sub, a self-service call that names no
/// pool, an application hint by sub or by username — arrives at any later moment, some of them twice. Whatever the
/// interleaving, once every event has arrived the mirror holds exactly what the source pool holds, and the standby the
/// reconciler applies it to holds the same users: a late or repeated event never deletes a live user.
/// </summary>
public sealed class EventCaptureRaceProperties
{
    private const string Pool = TriggerEvents.PrimaryPool;
    private static readonly string[] Names = ["race-000", "race-001"];

    /// <summary>
    /// One step: 0 create, 1 delete, 2 edit, 3 disable or enable (on <c>Names[Pick % 2]</c>, each leaving one event,
    /// its kind chosen by <c>Pick / 2</c>); 4 deliver a pending event; 5 deliver one and keep it to deliver again.
    /// </summary>
    private static readonly Gen<Step[]> Histories = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 999], (kind, pick) => new Step(kind, pick)).Array[1, 40];

    [Fact]
    public Task HandleAsync_AnyInterleavingOfReCreatesAndLateOrDuplicateEvents_LeavesMirrorAndStandbyEqualToTheSource() =>
        Histories.SampleAsync(
            async steps =>
            {
                var world = new World();
                foreach (var step in steps)
                {
                    await world.RunAsync(step);
                }

                await world.DeliverAllAsync();

                await world.AssertConvergedAsync();
            },
            iter: 600,
            print: steps => string.Join(" ", steps.Select(s => s.ToString())));

    internal sealed record Step(int Kind, int Pick)
    {
        public override string ToString() => Kind switch
        {
            0 => $"create({Names[Pick % 2]},{Pick / 2 % 3})",
            1 => $"delete({Names[Pick % 2]},{Pick / 2 % 4})",
            2 => $"edit({Names[Pick % 2]},{Pick / 2 % 3})",
            3 => $"toggle({Names[Pick % 2]},{Pick / 2 % 2})",
            4 => $"deliver({Pick})",
            _ => $"deliver-keep({Pick})",
        };
    }

    /// <summary>A source pool, the mirror, capture, the reconciler's apply engine and a standby pool; events in flight.</summary>
    private sealed class World
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        private readonly InMemoryUserDirectory _source = new(Pool, signInByEmail: false);
        private readonly InMemoryUserDirectory _standby = new("us-west-2_Standby01", signInByEmail: false);
        private readonly InMemoryMirrorStore _mirror = new();
        private readonly List<JsonObject> _inFlight = [];
        private readonly EventCapture _capture;
        private readonly ApplyEngine _apply;
        private int _edits;

        public World()
        {
            _capture = new EventCapture(
                new SourceReader(_source, usernamesCaseSensitive: false, _time),
                _mirror,
                NoSweeps.Instance,
                new CaptureOptions { PrimaryPoolId = Pool },
                _time,
                NullLogger<EventCapture>.Instance);
            _apply = new ApplyEngine(_standby, _mirror, new InMemoryReplicaState(), new ApplySettings("us-west-2", []), _time, NullLogger<ApplyEngine>.Instance);
        }

        public async Task RunAsync(Step step)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var name = Names[step.Pick % 2];
            var variant = step.Pick / 2;
            var user = _source.Users.SingleOrDefault(u => u.Username == name);
            switch (step.Kind)
            {
                case 0 when user is null:
                    var sub = SubOf(_source.Seed(name, Attributes(Tier())));
                    _inFlight.Add((variant % 3) switch
                    {
                        0 => CloudTrailEvents.UserCall("AdminCreateUser", Pool, sub),
                        1 => CloudTrailEvents.Hint(Pool, username: name),
                        _ => CloudTrailEvents.Hint(Pool, sub: sub),
                    });
                    break;
                case 1 when user is not null:
                    await _source.DeleteUserAsync(name, CancellationToken.None);
                    _inFlight.Add((variant % 4) switch
                    {
                        0 => CloudTrailEvents.UserCall("AdminDeleteUser", Pool, user.Sub),
                        1 => SelfService("DeleteUser", user.Sub!),
                        2 => CloudTrailEvents.Hint(Pool, sub: user.Sub),
                        _ => CloudTrailEvents.Hint(Pool, username: name),
                    });
                    break;
                case 0 or 2 when user is not null:
                    await _source.UpdateAttributesAsync(name, new Dictionary<string, string> { ["custom:tier"] = Tier() }, CancellationToken.None);
                    _inFlight.Add((variant % 3) switch
                    {
                        0 => CloudTrailEvents.UserCall("AdminUpdateUserAttributes", Pool, user.Sub),
                        1 => SelfService("UpdateUserAttributes", user.Sub!),
                        _ => CloudTrailEvents.Hint(Pool, sub: user.Sub, username: name),
                    });
                    break;
                case 3 when user is not null:
                    await _source.SetEnabledAsync(name, !user.Enabled, CancellationToken.None);
                    _inFlight.Add(variant % 2 == 0
                        ? CloudTrailEvents.UserCall(user.Enabled ? "AdminDisableUser" : "AdminEnableUser", Pool, user.Sub)
                        : CloudTrailEvents.Hint(Pool, username: name));
                    break;
                case 4 or 5 when _inFlight.Count > 0:
                    var index = step.Pick % _inFlight.Count;
                    var delivered = _inFlight[index];
                    if (step.Kind == 4)
                    {
                        _inFlight.RemoveAt(index);
                    }

                    await DeliverAsync(delivered);
                    break;
            }
        }

        /// <summary>Every event still in flight arrives, in the order the changes were made.</summary>
        public async Task DeliverAllAsync()
        {
            foreach (var pending in _inFlight)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await DeliverAsync(pending);
            }

            _inFlight.Clear();
        }

        public async Task AssertConvergedAsync()
        {
            foreach (var name in Names)
            {
                var source = _source.Users.SingleOrDefault(u => u.Username == name);
                var recorded = await _mirror.GetUserAsync(name, CancellationToken.None);
                var standby = _standby.Users.SingleOrDefault(u => u.Username == name);
                if (source is null)
                {
                    Assert.True(recorded is null || recorded.Deleted, $"{name}: the source has no such user, the mirror holds a live one");
                    Assert.Null(standby);
                    continue;
                }

                Assert.NotNull(recorded);
                Assert.False(recorded.Deleted, $"{name}: the source holds a live user, the mirror a tombstone");
                Assert.Equal(source.Sub, recorded.Sub);
                Assert.Equal(source.Attributes["custom:tier"], recorded.Profile!.Attributes["custom:tier"]);
                Assert.Equal(source.Enabled, recorded.Profile.Enabled);
                Assert.NotNull(standby);
                Assert.Equal(source.Attributes["custom:tier"], standby.Attributes["custom:tier"]);
                Assert.Equal(source.Enabled, standby.Enabled);
            }
        }

        /// <summary>Capture handles the event; the reconciler then applies whatever the mirror holds now.</summary>
        private async Task DeliverAsync(JsonObject envelope)
        {
            var result = await _capture.HandleAsync(envelope, CancellationToken.None);
            Assert.NotEqual(EventCaptureOutcome.Malformed, result.Outcome);
            foreach (var name in Names)
            {
                if (await _mirror.GetUserAsync(name, CancellationToken.None) is { } snapshot)
                {
                    var applied = await _apply.ApplyUserAsync(snapshot, CancellationToken.None);
                    Assert.NotEqual(ApplyOutcome.Parked, applied.Outcome);
                }
            }
        }

        private string Tier() => string.Create(CultureInfo.InvariantCulture, $"t{++_edits}");

        private string SubOf(string username) => _source.Users.Single(u => u.Username == username).Sub!;

        private static Dictionary<string, string> Attributes(string tier) => new() { ["custom:tier"] = tier };

        private static JsonObject SelfService(string eventName, string sub) =>
            CloudTrailEvents.Call(eventName, new JsonObject { ["accessToken"] = CloudTrailEvents.Hidden }, sub);
    }

    /// <summary>Sweeps are not run here: convergence must come from the events alone.</summary>
    private sealed class NoSweeps : ISweepRequests
    {
        public static readonly NoSweeps Instance = new();

        public Task RequestAsync(string poolId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<SweepRequest?> PendingAsync(string poolId, CancellationToken cancellationToken) => Task.FromResult<SweepRequest?>(null);

        public Task CompleteAsync(string poolId, DateTimeOffset sweepStartedAt, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
