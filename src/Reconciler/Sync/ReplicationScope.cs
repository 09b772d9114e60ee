using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// What full sync and drift reports work on: both pools, the mirror (snapshots written in the primary's Region, read
/// with the standby Region's applied state), and the apply engine.
/// </summary>
public sealed class ReplicationScope(
    IUserDirectory primary,
    IUserDirectory standby,
    IMirrorStore mirror,
    IMirrorCatalog catalog,
    IReplicaStateStore state,
    ApplyEngine engine,
    ReplicationOptions replication,
    TimeProvider time)
{
    public IUserDirectory Primary { get; } = primary;

    public IUserDirectory Standby { get; } = standby;

    /// <summary>Where snapshots are recorded (the primary Region's replica of the mirror table).</summary>
    public IMirrorStore Mirror { get; } = mirror;

    public ApplyEngine Engine { get; } = engine;

    public ReplicationOptions Replication { get; } = replication;

    public TimeProvider Time { get; } = time;

    public InventoryRecorder Recorder { get; } = new(mirror, replication.UsernamesCaseSensitive);

    public DriftSettings Settings(bool showValues) => new(Replication.UsernamesCaseSensitive, Engine.IsReplicated, showValues);

    /// <summary>
    /// Reads everything at once: both pools (users, groups, memberships), the mirror with the standby's applied
    /// state, and what is parked. <paramref name="listed"/> hears "primary"/"standby" and users listed so far.
    /// </summary>
    public async Task<DriftInputs> ReadAsync(Action<string, int>? listed, CancellationToken cancellationToken)
    {
        var standbyPool = await Engine.DescribeStandbyAsync(cancellationToken);
        var primaryRead = PoolInventory.ReadAsync(Primary, Replication.UsernamesCaseSensitive, Time, cancellationToken, n => listed?.Invoke("primary", n));
        var standbyRead = PoolInventory.ReadAsync(Standby, standbyPool.CaseSensitive, Time, cancellationToken, n => listed?.Invoke("standby", n));
        var mirrorRead = catalog.ReadAllAsync(Replication.Standby.Region, cancellationToken);
        var parkedRead = ListParkedAsync(cancellationToken);
        await Task.WhenAll(primaryRead, standbyRead, mirrorRead, parkedRead);
        return new DriftInputs(
            await primaryRead,
            Replication.Primary.Region,
            await standbyRead,
            Replication.Standby.Region,
            standbyPool,
            await mirrorRead,
            await parkedRead);
    }

    private async Task<List<ParkedEntity>> ListParkedAsync(CancellationToken cancellationToken)
    {
        var parked = new List<ParkedEntity>();
        await foreach (var entity in state.ListParkedAsync(Replication.Standby.Region, cancellationToken))
        {
            parked.Add(entity);
        }

        return parked;
    }
}
