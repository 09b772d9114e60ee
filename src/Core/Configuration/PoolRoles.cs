namespace IdentityReplicator.Core.Configuration;

/// <summary>Keys of the services registered once per pool (keyed dependency injection).</summary>
public static class PoolRoles
{
    /// <summary>The pool users sign in to; capture reads it and writes snapshots in its Region.</summary>
    public const string Primary = "primary";

    /// <summary>The pool kept in step; the reconciler writes it and keeps its state in its Region.</summary>
    public const string Standby = "standby";
}
