using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// What full sync and drift reports work on: both configured pools (<see cref="PoolEnd"/>), taken per run as the source
/// and the target the control names (<see cref="ReplicationControlReader"/>, read afresh).
/// </summary>
public sealed partial class SyncScope
{
    private readonly ReplicationControlReader _controlReader;
    private readonly IReadOnlyList<PoolEnd> _ends;

    public SyncScope(ReplicationControlReader controlReader, PoolEnd primary, PoolEnd standby, ReplicationOptions replication, TimeProvider time)
    {
        _controlReader = controlReader;
        _ends = [primary, standby];
        Replication = replication;
        Time = time;
    }

    public ReplicationOptions Replication { get; }

    public TimeProvider Time { get; }

    public DriftSettings Settings(ScopeRun run, bool showValues) => new(Replication.UsernamesCaseSensitive, run.Engine.IsReplicated, showValues);

    /// <summary>The source and target the control item names now (read afresh, not from a cache).</summary>
    public async Task<(ReplicationControl Control, PoolEnd Source, PoolEnd Target)> DirectionAsync(CancellationToken cancellationToken)
    {
        var control = await _controlReader.CurrentAsync(cancellationToken, refresh: true);
        var source = End(control.SourcePoolId, control.SourceRegion);
        var target = End(control.TargetPoolId, control.TargetRegion);
        if (source is null || target is null || ReferenceEquals(source, target))
        {
            throw new ConfigurationException(
                $"The replication control item ({control}) names pools this configuration does not have (Replication:Primary is {_ends[0].PoolId}, Replication:Standby {_ends[1].PoolId}); run with the configuration of the pools the mirror table serves ('idrep failover status' shows the control item).");
        }

        return (control, source, target);
    }

    /// <summary>
    /// Reads everything at once in the current direction: both pools (users, groups, memberships), the mirror with the
    /// target's applied state, and what is parked there. <paramref name="listed"/> hears "source" or "target" and the
    /// users listed so far.
    /// </summary>
    public async Task<ScopeRun> ReadAsync(Action<string, int>? listed, CancellationToken cancellationToken)
    {
        var (control, source, target) = await DirectionAsync(cancellationToken);
        var targetPool = await target.Engine.DescribeTargetAsync(cancellationToken);
        var sourceRead = PoolInventory.ReadAsync(source.Pool, Replication.UsernamesCaseSensitive, Time, cancellationToken, n => listed?.Invoke("source", n));
        var targetRead = PoolInventory.ReadAsync(target.Pool, targetPool.CaseSensitive, Time, cancellationToken, n => listed?.Invoke("target", n));
        var mirrorRead = target.Catalog.ReadAllAsync(target.Region, cancellationToken);
        var parkedRead = ListParkedAsync(target, cancellationToken);
        await Task.WhenAll(sourceRead, targetRead, mirrorRead, parkedRead);
        var parked = await parkedRead;

        // Repair and sync go through this engine: it must know what is parked to unpark what then applies cleanly.
        target.Engine.TrackParked(parked);

        var inputs = new DriftInputs(
            await sourceRead,
            source.Region,
            await targetRead,
            target.Region,
            targetPool,
            await mirrorRead,
            parked);
        return new ScopeRun(control, source, target, inputs, Replication.UsernamesCaseSensitive);
    }

    /// <summary>The configured pool the control names: by id and Region (a native replica has the primary's id), else by id alone.</summary>
    private PoolEnd? End(string poolId, string region) =>
        _ends.FirstOrDefault(s => string.Equals(s.PoolId, poolId, StringComparison.Ordinal) && string.Equals(s.Region, region, StringComparison.Ordinal))
        ?? _ends.FirstOrDefault(s => string.Equals(s.PoolId, poolId, StringComparison.Ordinal));

    private static async Task<List<ParkedEntity>> ListParkedAsync(PoolEnd target, CancellationToken cancellationToken)
    {
        var parked = new List<ParkedEntity>();
        await foreach (var entity in target.State.ListParkedAsync(target.Region, cancellationToken))
        {
            parked.Add(entity);
        }

        return parked;
    }
}
