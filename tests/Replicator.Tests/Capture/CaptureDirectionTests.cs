using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>Capture follows the replication control item: after a failover it records the standby's events, the source's.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class CaptureDirectionTests(DynaliteFixture dynalite)
{
    private const string StandbyPool = "us-west-2_Standby1";

    [Fact]
    public async Task HandleAsync_AfterFailover_RecordsTheStandbysEventsAndIgnoresThePrimarys()
    {
        var options = await dynalite.NewTableAsync();
        var control = new DynamoDbReplicationControlStore(dynalite.Client, options);
        Assert.True(await control.TryAdvanceAsync(Reversed(), 0, CancellationToken.None));
        var function = Function(options, control);

        await function.HandleAsync(TriggerEvents.PostConfirmation("bob", StandbyPool), CancellationToken.None);
        await function.HandleAsync(TriggerEvents.PostConfirmation("carol", TriggerEvents.PrimaryPool), CancellationToken.None);

        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        Assert.Equal(StandbyPool, (await store.GetUserAsync("bob", CancellationToken.None))?.SourcePoolId);
        Assert.Null(await store.GetUserAsync("carol", CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_NoControlItem_CapturesTheConfiguredPrimaryOnly()
    {
        var options = await dynalite.NewTableAsync();
        var function = Function(options, new DynamoDbReplicationControlStore(dynalite.Client, options));

        await function.HandleAsync(TriggerEvents.PostConfirmation("alice", TriggerEvents.PrimaryPool), CancellationToken.None);
        await function.HandleAsync(TriggerEvents.PostConfirmation("bob", StandbyPool), CancellationToken.None);

        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        Assert.NotNull(await store.GetUserAsync("alice", CancellationToken.None));
        Assert.Null(await store.GetUserAsync("bob", CancellationToken.None));
    }

    private static ReplicationControl Configured() => new()
    {
        Epoch = 0,
        SourceRegion = "us-east-1",
        SourcePoolId = TriggerEvents.PrimaryPool,
        TargetRegion = "us-west-2",
        TargetPoolId = StandbyPool,
    };

    private static ReplicationControl Reversed() => new()
    {
        Epoch = 2,
        SourceRegion = "us-west-2",
        SourcePoolId = StandbyPool,
        TargetRegion = "us-east-1",
        TargetPoolId = TriggerEvents.PrimaryPool,
    };

    private ReplicatorFunction Function(MirrorOptions options, IReplicationControlStore control) =>
        ReplicatorFunction.Create(
            dynalite.Client,
            new InMemoryUserDirectory(TriggerEvents.PrimaryPool),
            options,
            new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, TriggerBudget = TimeSpan.FromSeconds(2) },
            NullLoggerFactory.Instance,
            TimeProvider.System,
            new ReplicationControlReader(control, Configured(), TimeProvider.System));
}
