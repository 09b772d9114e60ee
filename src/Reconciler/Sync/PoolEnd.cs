using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// One configured pool as either end of a direction: the pool, the mirror table in its Region (recorded to while it is
/// the source), its apply state, and the apply engine that writes it (while it is the target).
/// </summary>
public sealed record PoolEnd(IUserDirectory Pool, string Region, IMirrorStore Mirror, IMirrorCatalog Catalog, IReplicaStateStore State, ApplyEngine Engine)
{
    public string PoolId => Pool.PoolId;
}
