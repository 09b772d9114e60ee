using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Native;

/// <summary>
/// A pool's Cognito native replicas as a failover sees them (plans with <c>cognito.mode: native</c>): the Regional
/// replicas listed, and a replica's status set — each called at the endpoint of the side named, since the other Region
/// may be down.
/// </summary>
internal interface INativeReplicas
{
    /// <summary>ListUserPoolReplicas, called in <paramref name="at"/>'s Region.</summary>
    Task<IReadOnlyList<UserPoolReplicaType>> ListAsync(PoolRole at, CancellationToken cancellationToken);

    /// <summary>UpdateUserPoolReplica of the replica in <paramref name="regionName"/> to <paramref name="status"/>, called in <paramref name="at"/>'s Region (both Regions may call it).</summary>
    Task<UserPoolReplicaType> SetStatusAsync(PoolRole at, string regionName, string status, CancellationToken cancellationToken);
}

/// <summary><see cref="INativeReplicas"/> on Cognito (or the sandbox): one client per Regional endpoint of the same pool id.</summary>
internal sealed class CognitoNativeReplicas(FailoverPlan plan, PerPool<CognitoIdentityProviderClient> clients) : INativeReplicas
{
    public Task<IReadOnlyList<UserPoolReplicaType>> ListAsync(PoolRole at, CancellationToken cancellationToken) =>
        clients.For(at).ListUserPoolReplicasAsync(plan.Pools.For(at).UserPoolId, cancellationToken);

    public Task<UserPoolReplicaType> SetStatusAsync(PoolRole at, string regionName, string status, CancellationToken cancellationToken) =>
        clients.For(at).UpdateUserPoolReplicaAsync(new UpdateUserPoolReplicaRequest(plan.Pools.For(at).UserPoolId, regionName, status), cancellationToken);
}
