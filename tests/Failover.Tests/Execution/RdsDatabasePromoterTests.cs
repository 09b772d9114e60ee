using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Rds;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Failover;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>The database port on the sandbox's RDS, for each Aurora topology a plan can name.</summary>
public sealed class RdsDatabasePromoterTests : IAsyncLifetime
{
    private static readonly TimeSpan Promotion = TimeSpan.FromMilliseconds(150);
    private LocalRds _rds = null!;

    public async Task InitializeAsync() => _rds = await LocalRds.StartAsync(TimeProvider.System, Promotion, CancellationToken.None);

    public async Task DisposeAsync() => await _rds.DisposeAsync();

    [Fact]
    public async Task Promote_GlobalClusterPlanned_SwitchesTheWriterToTheStandby()
    {
        var east = _rds.AddCluster("us-east-1", "app-east");
        var west = _rds.AddCluster("us-west-2", "app-west");
        _rds.AddGlobalCluster("app-global", east, west);
        var promoter = Promoter(new DatabaseTopology(DatabaseKind.GlobalCluster, "app-global", "us-east-1", "app-east", "us-west-2", "app-west"));
        var before = await promoter.DescribeAsync(standby: true, CancellationToken.None);

        await promoter.PromoteAsync(standby: true, allowDataLoss: false, CancellationToken.None);
        var during = await promoter.DescribeAsync(standby: true, CancellationToken.None);
        var after = await WritableAsync(promoter);

        Assert.False(before.Writable);
        Assert.True(before.ReplicationHealthy);
        Assert.False(during.Writable);
        Assert.Equal("switching-over", during.Status);
        Assert.True(after.IsWriter);
        Assert.Equal(west, _rds.WriterOf("app-global"));
        Assert.False((await promoter.DescribeAsync(standby: false, CancellationToken.None)).IsWriter);
        Assert.Contains(_rds.Requests, r => r.Body.Contains("Action=SwitchoverGlobalCluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promote_GlobalClusterUnplanned_FailsOverWithAllowDataLoss()
    {
        var east = _rds.AddCluster("us-east-1", "app-east");
        _rds.AddGlobalCluster("app-global", east, _rds.AddCluster("us-west-2", "app-west"));
        var promoter = Promoter(new DatabaseTopology(DatabaseKind.GlobalCluster, "app-global", "us-east-1", "app-east", "us-west-2", "app-west"));

        await promoter.PromoteAsync(standby: true, allowDataLoss: true, CancellationToken.None);

        Assert.True((await WritableAsync(promoter)).IsWriter);
        Assert.Contains(_rds.Requests, r => r.Body.Contains("Action=FailoverGlobalCluster", StringComparison.Ordinal) && r.Body.Contains("AllowDataLoss=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promote_ReplicaCluster_BecomesAStandaloneWriter()
    {
        var east = _rds.AddCluster("us-east-1", "app-east");
        _rds.AddCluster("us-west-2", "app-west", replicationSource: east);
        var promoter = Promoter(new DatabaseTopology(DatabaseKind.ReplicaCluster, null, "us-east-1", "app-east", "us-west-2", "app-west"));
        Assert.False((await promoter.DescribeAsync(standby: true, CancellationToken.None)).IsWriter);

        await promoter.PromoteAsync(standby: true, allowDataLoss: false, CancellationToken.None);

        var after = await WritableAsync(promoter);
        Assert.Contains("standalone writer", after.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ReplicaInstance_BecomesAStandaloneWriter()
    {
        _rds.AddInstance("us-east-1", "db-east");
        _rds.AddInstance("us-west-2", "db-west", replicaOf: "db-east");
        var promoter = Promoter(new DatabaseTopology(DatabaseKind.ReplicaInstance, null, "us-east-1", "db-east", "us-west-2", "db-west"));
        Assert.True((await promoter.DescribeAsync(standby: true, CancellationToken.None)).ReplicationHealthy);

        await promoter.PromoteAsync(standby: true, allowDataLoss: false, CancellationToken.None);

        Assert.Contains("standalone writer", (await WritableAsync(promoter)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_SecondaryOfAGlobalDatabase_ReportsItsReplicaLagFromCloudWatch()
    {
        await using var cloudWatch = await LocalCloudWatch.StartAsync(TimeProvider.System, CancellationToken.None);
        cloudWatch.Set("us-west-2", "AuroraGlobalDBReplicationLag", "app-west", 250, "Milliseconds");
        _rds.AddGlobalCluster("app-global", _rds.AddCluster("us-east-1", "app-east"), _rds.AddCluster("us-west-2", "app-west"));
        var promoter = new RdsDatabasePromoter(
            new DatabaseTopology(DatabaseKind.GlobalCluster, "app-global", "us-east-1", "app-east", "us-west-2", "app-west"),
            region => RdsClient.Create(new AwsEndpoint(region, _rds.Url), SandboxEnvironment.Credentials),
            region => Core.CloudWatch.CloudWatchClient.Create(new AwsEndpoint(region, cloudWatch.Url), SandboxEnvironment.Credentials));

        var standby = await promoter.DescribeAsync(standby: true, CancellationToken.None);
        var primary = await promoter.DescribeAsync(standby: false, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(250), standby.Lag);
        Assert.Null(primary.Lag);
    }

    [Fact]
    public async Task Describe_ClusterThatDoesNotExist_SaysItIsMissing()
    {
        var promoter = Promoter(new DatabaseTopology(DatabaseKind.ReplicaCluster, null, "us-east-1", "nope-east", "us-west-2", "nope-west"));

        var state = await promoter.DescribeAsync(standby: true, CancellationToken.None);

        Assert.False(state.Exists);
        Assert.Contains("nope-west", state.Detail, StringComparison.Ordinal);
    }

    private RdsDatabasePromoter Promoter(DatabaseTopology topology) =>
        new(topology, region => RdsClient.Create(new AwsEndpoint(region, _rds.Url), SandboxEnvironment.Credentials));

    private static Task<DatabaseState> WritableAsync(IDatabasePromoter promoter) => TestSupport.Eventually.ReturnsAsync(
        () => promoter.DescribeAsync(standby: true, CancellationToken.None), s => s.Writable, TimeSpan.FromSeconds(10), "the standby database to become writable");
}
