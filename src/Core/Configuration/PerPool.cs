namespace IdentityReplicator.Core.Configuration;

/// <summary>A value for each configured pool (<see cref="PoolRole"/>).</summary>
public sealed record PerPool<T>(T Primary, T Standby)
{
    public T For(PoolRole role) => role == PoolRole.Primary ? Primary : Standby;
}
