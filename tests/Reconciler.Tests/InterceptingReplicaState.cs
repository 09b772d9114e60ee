using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Reconciler.Tests;

/// <summary>
/// Forwards every call to a replica state store, first calling <see cref="Before"/> with the operation (the method's
/// name without <c>Async</c>, e.g. <c>PutApplied</c>) and the entity it concerns (<c>null</c> for checkpoints and
/// mappings). With <see cref="InterceptingUserDirectory"/> it lets a test stop one worker between any two of its
/// steps — a Cognito call or a write of its applied state — and run another worker there.
/// </summary>
internal sealed class InterceptingReplicaState(IReplicaStateStore inner) : IReplicaStateStore
{
    public Action<string, EntityId?>? Before { get; set; }

    public Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        Intercept("GetApplied", entity);
        return inner.GetAppliedAsync(region, entity, cancellationToken);
    }

    public Task<ApplyLeaseGrant> TakeApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Intercept("TakeApplyLease", entity);
        return inner.TakeApplyLeaseAsync(region, entity, holder, now, expiresAt, cancellationToken);
    }

    public Task<ApplyLeaseGrant> TakeOverApplyLeaseAsync(string region, EntityId entity, string holder, string deadHolder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Intercept("TakeOverApplyLease", entity);
        return inner.TakeOverApplyLeaseAsync(region, entity, holder, deadHolder, now, expiresAt, cancellationToken);
    }

    public Task<bool> RenewApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        Intercept("RenewApplyLease", entity);
        return inner.RenewApplyLeaseAsync(region, entity, holder, expiresAt, cancellationToken);
    }

    public Task ReleaseApplyLeaseAsync(string region, EntityId entity, string holder, CancellationToken cancellationToken)
    {
        Intercept("ReleaseApplyLease", entity);
        return inner.ReleaseApplyLeaseAsync(region, entity, holder, cancellationToken);
    }

    public Task<AppliedRecord> PutAppliedAsync(string region, AppliedState state, string holder, CancellationToken cancellationToken)
    {
        Intercept("PutApplied", state.Entity);
        return inner.PutAppliedAsync(region, state, holder, cancellationToken);
    }

    public Task<string?> GetCheckpointAsync(string region, int bucket, CancellationToken cancellationToken) =>
        inner.GetCheckpointAsync(region, bucket, cancellationToken);

    public Task PutCheckpointAsync(string region, int bucket, string position, CancellationToken cancellationToken) =>
        inner.PutCheckpointAsync(region, bucket, position, cancellationToken);

    public Task ParkAsync(string region, ParkedEntity parked, CancellationToken cancellationToken)
    {
        Intercept("Park", parked.Entity);
        return inner.ParkAsync(region, parked, cancellationToken);
    }

    public Task UnparkAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        Intercept("Unpark", entity);
        return inner.UnparkAsync(region, entity, cancellationToken);
    }

    public IAsyncEnumerable<ParkedEntity> ListParkedAsync(string region, CancellationToken cancellationToken) =>
        inner.ListParkedAsync(region, cancellationToken);

    public Task PutSubMappingAsync(string targetPoolId, string targetSub, SubMapping mapping, CancellationToken cancellationToken)
    {
        Intercept("PutSubMapping", null);
        return inner.PutSubMappingAsync(targetPoolId, targetSub, mapping, cancellationToken);
    }

    public Task<SubMapping?> GetSubMappingAsync(string targetPoolId, string targetSub, CancellationToken cancellationToken) =>
        inner.GetSubMappingAsync(targetPoolId, targetSub, cancellationToken);

    private void Intercept(string operation, EntityId? entity) => Before?.Invoke(operation, entity);
}
