using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Failover.Tests.Preflight;

/// <summary>
/// The lag a failover's preflight and drain wait on: changes the current source recorded that its target has not applied.
/// </summary>
public sealed class ReplicationLagTests
{
    private const string Primary = "us-east-1_primary";
    private const string Standby = "us-west-2_standby";
    private static readonly DateTimeOffset Seeded = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FailedOver = Seeded.AddSeconds(20);

    private static readonly ReplicationControl Reversed = new()
    {
        Epoch = 1,
        SourceRegion = "us-west-2",
        SourcePoolId = Standby,
        TargetRegion = "us-east-1",
        TargetPoolId = Primary,
        ChangedAt = FailedOver,
        SourceSince = FailedOver,
    };

    [Fact]
    public async Task Measure_NewSourceObservedAUserUnchangedAfterTheFlip_CountsNothingToApply()
    {
        // A user changed under the old direction (its feed entry predates the flip), then observed unchanged in the new
        // source (a sign-in journey setting a password): the record now names the new source, with no change to apply.
        var mirror = new InMemoryMirrorStore();
        await mirror.RecordUserAsync(Observation(Primary, Seeded, "Ada"), CancellationToken.None);
        await mirror.RecordUserAsync(Observation(Standby, FailedOver.AddSeconds(5), "Ada"), CancellationToken.None);

        var report = await new MirrorReplicationLag(mirror, new InMemoryReplicaState(), buckets: 1).MeasureAsync(Reversed, CancellationToken.None);

        Assert.Equal(0, report.Unapplied);
        Assert.Equal(TimeSpan.Zero, report.OldestUnappliedAge(FailedOver.AddSeconds(60)));
    }

    [Fact]
    public async Task Measure_NewSourceChangedAUserAfterTheFlip_CountsItUntilApplied()
    {
        var mirror = new InMemoryMirrorStore();
        var state = new InMemoryReplicaState();
        await mirror.RecordUserAsync(Observation(Primary, Seeded, "Ada"), CancellationToken.None);
        var changedAt = FailedOver.AddSeconds(5);
        await mirror.RecordUserAsync(Observation(Standby, changedAt, "Grace"), CancellationToken.None);
        var lag = new MirrorReplicationLag(mirror, state, buckets: 1);

        var pending = await lag.MeasureAsync(Reversed, CancellationToken.None);
        state.SeedApplied("us-east-1", new AppliedState { Entity = EntityId.ForUser("ada"), ProfileVersion = changedAt.UtcTicks, GroupsVersion = 0, AppliedAt = changedAt });
        var applied = await lag.MeasureAsync(Reversed, CancellationToken.None);

        Assert.Equal((1, changedAt, EntityId.ForUser("ada")), (pending.Unapplied, pending.OldestUnappliedChange!.Value, pending.OldestUnappliedEntity!.Value));
        Assert.Equal(0, applied.Unapplied);
    }

    [Fact]
    public async Task Measure_FencedAfterTheNewSourceChangedAUser_StillCountsTheChange()
    {
        // The fence moves the control's ChangedAt, not the direction: a change made before the fence is still to drain.
        var mirror = new InMemoryMirrorStore();
        await mirror.RecordUserAsync(Observation(Primary, Seeded, "Ada"), CancellationToken.None);
        await mirror.RecordUserAsync(Observation(Standby, FailedOver.AddSeconds(5), "Grace"), CancellationToken.None);
        var fenced = Reversed with { Epoch = 2, Writable = false, ChangedAt = FailedOver.AddSeconds(10) };

        var report = await new MirrorReplicationLag(mirror, new InMemoryReplicaState(), buckets: 1).MeasureAsync(fenced, CancellationToken.None);

        Assert.Equal(1, report.Unapplied);
    }

    private static UserObservation Observation(string pool, DateTimeOffset at, string name) => new()
    {
        Key = "ada",
        Username = "ada",
        SourcePoolId = pool,
        ObservedAt = at,
        Source = CaptureSource.CloudTrail,
        Profile = new UserProfile([new("given_name", name)], enabled: true, status: "CONFIRMED"),
    };
}
