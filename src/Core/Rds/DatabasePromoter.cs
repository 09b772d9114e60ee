namespace IdentityReplicator.Core.Rds;

/// <summary>How the application's Aurora database spans the two Regions.</summary>
public enum DatabaseKind
{
    /// <summary>No database step (the application keeps its data elsewhere).</summary>
    None,

    /// <summary>An Aurora global database: switchover (planned, no data loss) or failover with AllowDataLoss.</summary>
    GlobalCluster,

    /// <summary>A cross-Region read replica cluster, promoted with PromoteReadReplicaDBCluster.</summary>
    ReplicaCluster,

    /// <summary>An RDS read replica instance, promoted with PromoteReadReplica.</summary>
    ReplicaInstance,
}

/// <summary>The database of each side: cluster (or instance) identifiers and their Regions.</summary>
public sealed record DatabaseTopology(
    DatabaseKind Kind,
    string? GlobalClusterId,
    string PrimaryRegion,
    string PrimaryResourceId,
    string StandbyRegion,
    string StandbyResourceId)
{
    public (string Region, string Id) Of(bool standby) => standby ? (StandbyRegion, StandbyResourceId) : (PrimaryRegion, PrimaryResourceId);
}

/// <summary>What failover needs to know about one side's database. <see cref="Lag"/>: how far a replica is behind (CloudWatch), if reported.</summary>
public sealed record DatabaseState(
    bool Exists,
    bool IsWriter,
    bool Writable,
    string Status,
    bool ReplicationHealthy,
    string Detail,
    TimeSpan? Lag = null);

/// <summary>
/// Promotes the database of one side and reports whether it accepts writes. A port: implemented on RDS, faked in memory
/// in tests. <c>standby</c> names the side (the plan's original standby or primary).
/// </summary>
public interface IDatabasePromoter
{
    Task<DatabaseState> DescribeAsync(bool standby, CancellationToken cancellationToken);

    /// <summary>Starts the promotion of that side; returns at once (promotion takes minutes on AWS).</summary>
    Task PromoteAsync(bool standby, bool allowDataLoss, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IDatabasePromoter"/> on RDS: one client per Region. With <paramref name="metricsFor"/>, a replica's lag is
/// read from CloudWatch: <c>AuroraGlobalDBReplicationLag</c> (global database, ms), <c>AuroraBinlogReplicaLag</c>
/// (replica cluster, s) or <c>ReplicaLag</c> (replica instance, s), the newest one-minute maximum of the last five minutes.
/// </summary>
public sealed class RdsDatabasePromoter(DatabaseTopology topology, Func<string, RdsClient> clientFor, Func<string, CloudWatch.CloudWatchClient>? metricsFor = null, TimeProvider? time = null) : IDatabasePromoter
{
    public async Task<DatabaseState> DescribeAsync(bool standby, CancellationToken cancellationToken)
    {
        var state = await DescribeTopologyAsync(standby, cancellationToken);
        return state.Exists && !state.IsWriter && metricsFor is not null
            ? state with { Lag = await LagAsync(standby, cancellationToken) }
            : state;
    }

    private async Task<TimeSpan?> LagAsync(bool standby, CancellationToken cancellationToken)
    {
        var (region, id) = topology.Of(standby);
        var (metric, dimension, milliseconds) = topology.Kind switch
        {
            DatabaseKind.GlobalCluster => ("AuroraGlobalDBReplicationLag", "DBClusterIdentifier", true),
            DatabaseKind.ReplicaCluster => ("AuroraBinlogReplicaLag", "DBClusterIdentifier", false),
            _ => ("ReplicaLag", "DBInstanceIdentifier", false),
        };
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var reply = await metricsFor!(region).GetMetricStatisticsAsync(
            new CloudWatch.GetMetricStatisticsRequest
            {
                Namespace = "AWS/RDS",
                MetricName = metric,
                Dimensions = [new CloudWatch.Dimension(dimension, id)],
                StartTime = now.AddMinutes(-5),
                EndTime = now,
                Period = 60,
                Statistics = ["Maximum"],
            },
            cancellationToken);
        var newest = (reply.Datapoints ?? []).Where(d => d.Maximum is not null).MaxBy(d => d.Timestamp);
        return newest is null ? null : milliseconds ? TimeSpan.FromMilliseconds(newest.Maximum!.Value) : TimeSpan.FromSeconds(newest.Maximum!.Value);
    }

    private async Task<DatabaseState> DescribeTopologyAsync(bool standby, CancellationToken cancellationToken)
    {
        var (region, id) = topology.Of(standby);
        var rds = clientFor(region);
        try
        {
            switch (topology.Kind)
            {
                case DatabaseKind.GlobalCluster:
                {
                    var cluster = (await rds.DescribeDBClustersAsync(id, cancellationToken)).FirstOrDefault();
                    if (cluster is null)
                    {
                        return Missing($"cluster {id} in {region}");
                    }

                    var global = (await rds.DescribeGlobalClustersAsync(topology.GlobalClusterId, cancellationToken)).FirstOrDefault();
                    if (global is null)
                    {
                        return Missing($"global database {topology.GlobalClusterId}");
                    }

                    var member = global.GlobalClusterMembers.FirstOrDefault(m => m.DBClusterArn == cluster.DBClusterArn);
                    if (member is null)
                    {
                        return new DatabaseState(true, false, false, global.Status ?? "unknown", false, $"cluster {id} is not a member of global database {global.GlobalClusterIdentifier}");
                    }

                    var settled = global.FailoverState is null && global.Status == "available" && cluster.Status == "available";
                    var healthy = global.GlobalClusterMembers.All(m => m.SynchronizationStatus is null or "connected");
                    return new DatabaseState(
                        true,
                        member.IsWriter,
                        member.IsWriter && settled,
                        global.FailoverState?.Status ?? global.Status ?? "unknown",
                        healthy,
                        $"global database {global.GlobalClusterIdentifier}: {cluster.DBClusterIdentifier} is {(member.IsWriter ? "the writer" : "a reader")}, cluster {cluster.Status}, global {global.Status}{(global.FailoverState is { } f ? $", {f.Status}" : string.Empty)}");
                }

                case DatabaseKind.ReplicaCluster:
                {
                    var cluster = (await rds.DescribeDBClustersAsync(id, cancellationToken)).FirstOrDefault();
                    if (cluster is null)
                    {
                        return Missing($"cluster {id} in {region}");
                    }

                    var isReplica = !string.IsNullOrEmpty(cluster.ReplicationSourceIdentifier);
                    return new DatabaseState(
                        true,
                        !isReplica,
                        !isReplica && cluster.Status == "available",
                        cluster.Status ?? "unknown",
                        !isReplica || cluster.Status == "available",
                        isReplica ? $"cluster {id} replicates from {cluster.ReplicationSourceIdentifier} ({cluster.Status})" : $"cluster {id} is a standalone writer ({cluster.Status})");
                }

                case DatabaseKind.ReplicaInstance:
                {
                    var instance = (await rds.DescribeDBInstancesAsync(id, cancellationToken)).FirstOrDefault();
                    if (instance is null)
                    {
                        return Missing($"instance {id} in {region}");
                    }

                    var isReplica = !string.IsNullOrEmpty(instance.ReadReplicaSourceDBInstanceIdentifier);
                    var replication = instance.StatusInfos.FirstOrDefault(s => s.StatusType == "read replication");
                    return new DatabaseState(
                        true,
                        !isReplica,
                        !isReplica && instance.DBInstanceStatus == "available",
                        instance.DBInstanceStatus ?? "unknown",
                        !isReplica || replication is null || (replication.Normal && replication.Status == "replicating"),
                        isReplica ? $"instance {id} replicates from {instance.ReadReplicaSourceDBInstanceIdentifier} ({replication?.Status ?? "unknown"})" : $"instance {id} is a standalone writer ({instance.DBInstanceStatus})");
                }

                default:
                    return new DatabaseState(true, true, true, "none", true, "no database in the plan");
            }
        }
        catch (RdsException e) when (e.IsNotFound)
        {
            return Missing($"{id} in {region} ({e.ErrorCode})");
        }
    }

    public async Task PromoteAsync(bool standby, bool allowDataLoss, CancellationToken cancellationToken)
    {
        var (region, id) = topology.Of(standby);
        var rds = clientFor(region);
        switch (topology.Kind)
        {
            case DatabaseKind.GlobalCluster:
                var arn = (await rds.DescribeDBClustersAsync(id, cancellationToken)).FirstOrDefault()?.DBClusterArn
                    ?? throw new RdsException($"Cluster {id} in {region} has no ARN; check the plan's database.clusters.");
                if (allowDataLoss)
                {
                    await rds.FailoverGlobalClusterAsync(topology.GlobalClusterId!, arn, allowDataLoss: true, switchover: null, cancellationToken);
                }
                else
                {
                    await rds.SwitchoverGlobalClusterAsync(topology.GlobalClusterId!, arn, cancellationToken);
                }

                break;
            case DatabaseKind.ReplicaCluster:
                await rds.PromoteReadReplicaDBClusterAsync(id, cancellationToken);
                break;
            case DatabaseKind.ReplicaInstance:
                await rds.PromoteReadReplicaAsync(id, cancellationToken: cancellationToken);
                break;
        }
    }

    private static DatabaseState Missing(string what) => new(false, false, false, "missing", false, $"{what} does not exist");
}
