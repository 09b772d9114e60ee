using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// The target pool as one application under an apply lease sees it: before each call on a user or group the lease is
/// checked (and renewed when less than half is left), and the call runs with the lease's fence — cancelled when the
/// lease is lost or comes near its expiry unrenewed — so no call is on its way for the entity once another worker may
/// hold it. Pool-wide reads (description, listings) pass through.
/// </summary>
internal sealed class LeasedUserDirectory(IUserDirectory inner, ApplyLease lease) : IUserDirectory
{
    public string PoolId => inner.PoolId;

    public Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken) => inner.DescribeAsync(cancellationToken);

    public Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken) =>
        CallAsync(token => inner.FindUserAsync(usernameOrAlias, token), cancellationToken);

    public Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken) =>
        CallAsync(token => inner.FindUserBySubAsync(sub, token), cancellationToken);

    public Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken) =>
        CallAsync(token => inner.ListGroupsForUserAsync(username, token), cancellationToken);

    public Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken) =>
        CallAsync(token => inner.CreateUserAsync(username, attributes, temporaryPassword, token), cancellationToken);

    public Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken) =>
        CallAsync(token => inner.SetPermanentPasswordAsync(username, password, token), cancellationToken);

    public Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken) =>
        CallAsync(token => inner.SetTemporaryPasswordAsync(username, password, token), cancellationToken);

    public Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken) =>
        CallAsync(token => inner.UpdateAttributesAsync(username, attributes, token), cancellationToken);

    public Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        CallAsync(token => inner.DeleteAttributesAsync(username, names, token), cancellationToken);

    public Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken) =>
        CallAsync(token => inner.SetEnabledAsync(username, enabled, token), cancellationToken);

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken) =>
        CallAsync(token => inner.DeleteUserAsync(username, token), cancellationToken);

    public Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken) =>
        CallAsync(token => inner.AddToGroupAsync(username, group, token), cancellationToken);

    public Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken) =>
        CallAsync(token => inner.RemoveFromGroupAsync(username, group, token), cancellationToken);

    public Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(token => inner.GetGroupAsync(name, token), cancellationToken);

    public Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken) =>
        CallAsync(token => inner.CreateGroupAsync(group, token), cancellationToken);

    public Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken) =>
        CallAsync(token => inner.UpdateGroupAsync(group, token), cancellationToken);

    public Task DeleteGroupAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(token => inner.DeleteGroupAsync(name, token), cancellationToken);

    public IAsyncEnumerable<DirectoryUser> ListUsersAsync(CancellationToken cancellationToken) => inner.ListUsersAsync(cancellationToken);

    public IAsyncEnumerable<DirectoryGroup> ListGroupsAsync(CancellationToken cancellationToken) => inner.ListGroupsAsync(cancellationToken);

    public IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, CancellationToken cancellationToken) =>
        inner.ListUsernamesInGroupAsync(group, cancellationToken);

    private async Task CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await CallAsync(
            async token =>
            {
                await call(token);
                return true;
            },
            cancellationToken);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await lease.EnsureAsync(cancellationToken);
        var fence = lease.Fence;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, fence);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException e) when (fence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ApplyLeaseLostException($"A Cognito call for {lease.Entity} would have outlasted its apply lease and was cancelled; the entity is applied again, compared in full, once the lease is free.", e);
        }
    }
}
