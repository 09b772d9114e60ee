using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Direction;
using IdentityReplicator.Reconciler.Tests.Feed;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Reconciler.Tests.Direction;

/// <summary>The reconciler runs the leg whose pool the control item names as the target, and applies only the source's snapshots.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class TargetLegsTests(DynaliteFixture dynalite)
{
    private const string Primary = "us-east-1_Primary1";
    private const string Standby = "us-west-2_Standby1";

    [Fact]
    public async Task ActiveAsync_ControlReversed_SwitchesToTheOtherLegAndStartsItAtTheReversal()
    {
        var harness = await FeedHarness.CreateAsync(dynalite);
        var control = new DynamoDbReplicationControlStore(dynalite.Client, harness.MirrorOptions);
        var toStandby = harness.NewPoller();
        var toPrimary = harness.NewPoller();
        var reverseState = harness.NewStateStore();
        var legs = new TargetLegs(
            new ReplicationControlReader(control, Configured(), TimeProvider.System, TimeSpan.Zero),
            [
                new TargetLeg(Standby, FeedHarness.Region, toStandby, harness.NewStateStore(), FeedHarness.Buckets),
                new TargetLeg(Primary, "us-east-1", toPrimary, reverseState, FeedHarness.Buckets),
            ],
            NullLogger<TargetLegs>.Instance);
        Assert.Same(toStandby, await legs.ActiveAsync(CancellationToken.None));
        var reversedAt = TimeProvider.System.GetUtcNow();

        Assert.True(await control.TryAdvanceAsync(Configured() with { Epoch = 1, Writable = false }, 0, CancellationToken.None));
        Assert.True(await control.TryAdvanceAsync(Reversed(reversedAt), 1, CancellationToken.None));

        Assert.Same(toPrimary, await legs.ActiveAsync(CancellationToken.None));
        var checkpoint = await reverseState.GetCheckpointAsync("us-east-1", 0, CancellationToken.None);
        Assert.NotNull(checkpoint);
        Assert.Equal(MirrorTable.PositionFloor(reversedAt), checkpoint);
    }

    [Fact]
    public async Task Accepts_AfterReversal_OnlySnapshotsOfTheNewSource()
    {
        var harness = await FeedHarness.CreateAsync(dynalite);
        var control = new DynamoDbReplicationControlStore(dynalite.Client, harness.MirrorOptions);
        Assert.True(await control.TryAdvanceAsync(Reversed(TimeProvider.System.GetUtcNow()), 0, CancellationToken.None));
        var legs = new TargetLegs(
            new ReplicationControlReader(control, Configured(), TimeProvider.System, TimeSpan.Zero),
            [new TargetLeg(Primary, "us-east-1", harness.NewPoller(), harness.NewStateStore(), FeedHarness.Buckets)],
            NullLogger<TargetLegs>.Instance);
        await legs.ActiveAsync(CancellationToken.None);

        Assert.True(legs.Accepts(Entry(Standby)));
        Assert.False(legs.Accepts(Entry(Primary)));
        Assert.True(legs.Accepts(Entry(string.Empty)));
    }

    [Fact]
    public async Task ActiveAsync_NoLegWritesTheTarget_ReturnsNothingToPoll()
    {
        var harness = await FeedHarness.CreateAsync(dynalite);
        var control = new DynamoDbReplicationControlStore(dynalite.Client, harness.MirrorOptions);
        Assert.True(await control.TryAdvanceAsync(Reversed(TimeProvider.System.GetUtcNow()), 0, CancellationToken.None));
        var legs = new TargetLegs(
            new ReplicationControlReader(control, Configured(), TimeProvider.System, TimeSpan.Zero),
            [new TargetLeg(Standby, FeedHarness.Region, harness.NewPoller(), harness.NewStateStore(), FeedHarness.Buckets)],
            NullLogger<TargetLegs>.Instance);

        Assert.Null(await legs.ActiveAsync(CancellationToken.None));
    }

    private static ReplicationControl Configured() => new()
    {
        Epoch = 0,
        SourceRegion = "us-east-1",
        SourcePoolId = Primary,
        TargetRegion = FeedHarness.Region,
        TargetPoolId = Standby,
    };

    private static ReplicationControl Reversed(DateTimeOffset at) => new()
    {
        Epoch = 2,
        SourceRegion = FeedHarness.Region,
        SourcePoolId = Standby,
        TargetRegion = "us-east-1",
        TargetPoolId = Primary,
        ChangedAt = at,
    };

    private static FeedEntry Entry(string pool) => new(
        "0000000000000000001#U#x",
        new UserSnapshot { Key = "x", Username = "x", SourcePoolId = pool },
        null);
}
