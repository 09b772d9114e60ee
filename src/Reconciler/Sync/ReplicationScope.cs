using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// One configured pool as full sync and drift see it: the pool, the mirror table in its Region (where snapshots are
/// recorded while it is the source, and its applied state read while it is the target), its apply state, and the apply
/// engine that writes it.
/// </summary>
public sealed record ReplicationSide(IUserDirectory Pool, string Region, IMirrorStore Mirror, IMirrorCatalog Catalog, IReplicaStateStore State, ApplyEngine Engine)
{
    public string PoolId => Pool.PoolId;
}

/// <summary>
/// One run's direction: the source pool (read as "primary", its snapshots recorded in its Region) and the target (written
/// through its apply engine), as the replication control item said when the run began.
/// </summary>
public sealed class ScopeRun(ReplicationControl control, ReplicationSide source, ReplicationSide target, DriftInputs inputs, bool usernamesCaseSensitive)
{
    public ReplicationControl Control { get; } = control;

    public ReplicationSide Source { get; } = source;

    public ReplicationSide Target { get; } = target;

    public DriftInputs Inputs { get; } = inputs;

    /// <summary>Where snapshots are recorded (the source Region's replica of the mirror table).</summary>
    public IMirrorStore Mirror => Source.Mirror;

    public ApplyEngine Engine => Target.Engine;

    public InventoryRecorder Recorder { get; } = new(source.Mirror, usernamesCaseSensitive);
}

/// <summary>
/// What full sync and drift reports work on: both pools, the mirror and the apply engines, in the direction the
/// replication control item names (<see cref="ReplicationControlReader"/>, the same one capture, hint completion and the
/// reconciler follow). Without a control item that is the configured primary → standby; after a failover the old
/// standby is read as the source and the old primary is written.
/// </summary>
public sealed class ReplicationScope
{
    private readonly ReplicationControlReader _controlReader;
    private readonly IReadOnlyList<ReplicationSide> _sides;

    public ReplicationScope(ReplicationControlReader controlReader, ReplicationSide primary, ReplicationSide standby, ReplicationOptions replication, TimeProvider time)
    {
        _controlReader = controlReader;
        _sides = [primary, standby];
        Replication = replication;
        Time = time;
    }

    public ReplicationOptions Replication { get; }

    public TimeProvider Time { get; }

    /// <summary>The configured standby's engine (used before a run has read the direction).</summary>
    public ApplyEngine StandbyEngine => _sides[1].Engine;

    public DriftSettings Settings(ScopeRun run, bool showValues) => new(Replication.UsernamesCaseSensitive, run.Engine.IsReplicated, showValues);

    /// <summary>The source and target the control item names now (read afresh, not from a cache).</summary>
    public async Task<(ReplicationControl Control, ReplicationSide Source, ReplicationSide Target)> DirectionAsync(CancellationToken cancellationToken)
    {
        var control = await _controlReader.CurrentAsync(cancellationToken, refresh: true);
        var source = Side(control.SourcePoolId);
        var target = Side(control.TargetPoolId);
        if (source is null || target is null || ReferenceEquals(source, target))
        {
            throw new InvalidOperationException(
                $"The replication control item ({control}) names pools this configuration does not have (Replication:Primary is {_sides[0].PoolId}, Replication:Standby {_sides[1].PoolId}); run with the configuration of the pools the mirror table serves ('idrep failover status' shows the control item).");
        }

        return (control, source, target);
    }

    /// <summary>
    /// Reads everything at once in the current direction: both pools (users, groups, memberships), the mirror with the
    /// target's applied state, and what is parked there. <paramref name="listed"/> hears "primary" (the source) or
    /// "standby" (the target) and users listed so far.
    /// </summary>
    public async Task<ScopeRun> ReadAsync(Action<string, int>? listed, CancellationToken cancellationToken)
    {
        var (control, source, target) = await DirectionAsync(cancellationToken);
        var targetPool = await target.Engine.DescribeStandbyAsync(cancellationToken);
        var sourceRead = PoolInventory.ReadAsync(source.Pool, Replication.UsernamesCaseSensitive, Time, cancellationToken, n => listed?.Invoke("primary", n));
        var targetRead = PoolInventory.ReadAsync(target.Pool, targetPool.CaseSensitive, Time, cancellationToken, n => listed?.Invoke("standby", n));
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

    private ReplicationSide? Side(string poolId) =>
        _sides.FirstOrDefault(s => string.Equals(s.PoolId, poolId, StringComparison.Ordinal));

    private static async Task<List<ParkedEntity>> ListParkedAsync(ReplicationSide target, CancellationToken cancellationToken)
    {
        var parked = new List<ParkedEntity>();
        await foreach (var entity in target.State.ListParkedAsync(target.Region, cancellationToken))
        {
            parked.Add(entity);
        }

        return parked;
    }
}
