using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Reconciler.Tests.Apply;
using IdentityReplicator.TestSupport;
using NSubstitute;

namespace IdentityReplicator.Reconciler.Tests.Sync;

/// <summary>Full sync and drift take the direction from the control item, and refuse one naming pools they do not have.</summary>
public sealed class SyncScopeTests
{
    private const string Primary = "us-east-1_Primary1";
    private const string Standby = "us-west-2_Standby1";

    [Fact]
    public async Task DirectionAsync_ControlMatchesConfiguredPools_ReturnsSourceAndTarget()
    {
        var scope = Scope(Control(Standby, Primary));

        var (_, source, target) = await scope.DirectionAsync(CancellationToken.None);

        Assert.Equal(Standby, source.PoolId);
        Assert.Equal(Primary, target.PoolId);
    }

    [Theory]
    [InlineData("us-east-1_Other1", Standby)]
    [InlineData(Primary, "us-west-2_Other2")]
    [InlineData(Primary, Primary)]
    public async Task DirectionAsync_ControlNamesPoolsNotConfigured_ThrowsConfigurationExceptionNamingItemAndFix(string sourcePoolId, string targetPoolId)
    {
        var scope = Scope(Control(sourcePoolId, targetPoolId));

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => scope.DirectionAsync(CancellationToken.None));

        Assert.Contains(sourcePoolId, error.Message, StringComparison.Ordinal);
        Assert.Contains(targetPoolId, error.Message, StringComparison.Ordinal);
        Assert.Contains("Replication:Primary", error.Message, StringComparison.Ordinal);
        Assert.Contains("idrep failover status", error.Message, StringComparison.Ordinal);
    }

    private static ReplicationControl Control(string sourcePoolId, string targetPoolId) => new()
    {
        Epoch = 1,
        SourceRegion = "us-east-1",
        SourcePoolId = sourcePoolId,
        TargetRegion = "us-west-2",
        TargetPoolId = targetPoolId,
    };

    private static SyncScope Scope(ReplicationControl stored)
    {
        var store = Substitute.For<IReplicationControlStore>();
        store.GetAsync(Arg.Any<CancellationToken>()).Returns(stored);
        var reader = new ReplicationControlReader(store, Control(Primary, Standby), TimeProvider.System, TimeSpan.Zero);
        return new SyncScope(reader, End(Primary, "us-east-1"), End(Standby, "us-west-2"), new ReplicationOptions(), TimeProvider.System);
    }

    private static PoolEnd End(string poolId, string region)
    {
        var harness = new StandbyHarness(PoolKind.Username);
        return new PoolEnd(
            new InMemoryUserDirectory(poolId),
            region,
            Substitute.For<IMirrorStore>(),
            Substitute.For<IMirrorCatalog>(),
            new InMemoryReplicaState(),
            harness.Engine);
    }
}
