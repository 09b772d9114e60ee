namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// A configured pool's role, fixed by the configuration (<c>Replication:Primary</c>, <c>Replication:Standby</c>): not
/// the role it plays in a direction, which the replication control names (source, target).
/// </summary>
public enum PoolRole
{
    /// <summary>The pool users sign in to until a failover; the source at epoch 0.</summary>
    Primary,

    /// <summary>The pool kept in step in the other Region; the target at epoch 0.</summary>
    Standby,
}
