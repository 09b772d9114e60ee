namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// Cognito's native multi-Region replication: one secondary Regional replica of a pool, with the same pool id.
/// Create and Delete are called in the primary Region; Update (activate, deactivate) in either; List in either.
/// A pool that cannot have a replica is refused with <see cref="FeatureUnavailableInTierException"/> (Lite plan) or
/// <see cref="OperationNotEnabledException"/> (not enabled for the pool, or not in this Region or role). Each call is
/// paced as a pool-level operation (<see cref="Quotas.CognitoQuotas"/>): the list as UserPoolRead, the rest as UserPoolUpdate.
/// </summary>
public sealed partial class CognitoIdentityProviderClient
{
    private static CognitoReplicaJsonContext ReplicaJson => CognitoReplicaJsonContext.Default;

    internal async Task<UserPoolReplicaType> CreateUserPoolReplicaAsync(CreateUserPoolReplicaRequest request, CancellationToken cancellationToken = default) =>
        Replica(await Call("CreateUserPoolReplica", request, ReplicaJson.CreateUserPoolReplicaRequest, ReplicaJson.UserPoolReplicaResponse, cancellationToken));

    /// <summary>Activates or deactivates a replica (<see cref="ReplicaStatus.Active"/> or <see cref="ReplicaStatus.Inactive"/>).</summary>
    public async Task<UserPoolReplicaType> UpdateUserPoolReplicaAsync(UpdateUserPoolReplicaRequest request, CancellationToken cancellationToken = default) =>
        Replica(await Call("UpdateUserPoolReplica", request, ReplicaJson.UpdateUserPoolReplicaRequest, ReplicaJson.UserPoolReplicaResponse, cancellationToken));

    internal async Task<UserPoolReplicaType> DeleteUserPoolReplicaAsync(DeleteUserPoolReplicaRequest request, CancellationToken cancellationToken = default) =>
        Replica(await Call("DeleteUserPoolReplica", request, ReplicaJson.DeleteUserPoolReplicaRequest, ReplicaJson.UserPoolReplicaResponse, cancellationToken));

    /// <summary>Every Regional replica of the pool, the primary's included (a pool without native replication lists none, or only itself).</summary>
    public async Task<IReadOnlyList<UserPoolReplicaType>> ListUserPoolReplicasAsync(string userPoolId, CancellationToken cancellationToken = default)
    {
        var replicas = new List<UserPoolReplicaType>();
        await foreach (var replica in Paginate(
            null,
            (token, ct) => Call(
                "ListUserPoolReplicas",
                new ListUserPoolReplicasRequest(userPoolId, token),
                ReplicaJson.ListUserPoolReplicasRequest,
                ReplicaJson.ListUserPoolReplicasResponse,
                ct),
            page => (page.UserPoolReplicas, page.NextToken),
            cancellationToken))
        {
            replicas.Add(replica);
        }

        return replicas;
    }

    private static UserPoolReplicaType Replica(UserPoolReplicaResponse response) => response.UserPoolReplica ?? new UserPoolReplicaType();
}
