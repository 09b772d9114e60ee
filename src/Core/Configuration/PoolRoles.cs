namespace IdentityReplicator.Core.Configuration;

/// <summary>
/// The names of the two <see cref="PoolRole"/>s: the keys of the services registered once per pool (keyed dependency
/// injection), of per-pool options, and the words commands, plans and reports use.
/// </summary>
public static class PoolRoles
{
    /// <summary>The name of <see cref="PoolRole.Primary"/>.</summary>
    public const string Primary = "primary";

    /// <summary>The name of <see cref="PoolRole.Standby"/>.</summary>
    public const string Standby = "standby";

    /// <summary>"primary" or "standby".</summary>
    public static string Name(this PoolRole role) => role == PoolRole.Primary ? Primary : Standby;

    /// <summary>The other configured pool.</summary>
    public static PoolRole Other(this PoolRole role) => role == PoolRole.Primary ? PoolRole.Standby : PoolRole.Primary;
}
