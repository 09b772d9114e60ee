using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Tests;

/// <summary>
/// Forwards every call to a pool, first calling <see cref="Before"/> with the operation (named as
/// <c>InMemoryUserDirectory.Calls</c> names it) and its subject (username, alias or group name). The hook can throw
/// to fail one user's calls only, or change the pool to stage a race with another writer; a call whose token was
/// cancelled by then is given up, as a real client gives it up.
/// </summary>
internal sealed class InterceptingUserDirectory(IUserDirectory inner) : IUserDirectory
{
    public Action<string, string>? Before { get; set; }

    /// <summary>Makes every call even if its token was cancelled while the hook ran (a request already sent).</summary>
    public bool IgnoresCancellation { get; init; }

    public string PoolId => inner.PoolId;

    public Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        Intercept("Describe", inner.PoolId, cancellationToken);
        return inner.DescribeAsync(cancellationToken);
    }

    public Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken)
    {
        Intercept("FindUser", usernameOrAlias, cancellationToken);
        return inner.FindUserAsync(usernameOrAlias, cancellationToken);
    }

    public Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken)
    {
        Intercept("FindUserBySub", sub, cancellationToken);
        return inner.FindUserBySubAsync(sub, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken)
    {
        Intercept("ListGroupsForUser", username, cancellationToken);
        return inner.ListGroupsForUserAsync(username, cancellationToken);
    }

    public Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken)
    {
        Intercept("CreateUser", username, cancellationToken);
        return inner.CreateUserAsync(username, attributes, temporaryPassword, cancellationToken);
    }

    public Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Intercept("SetPermanentPassword", username, cancellationToken);
        return inner.SetPermanentPasswordAsync(username, password, cancellationToken);
    }

    public Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Intercept("SetTemporaryPassword", username, cancellationToken);
        return inner.SetTemporaryPasswordAsync(username, password, cancellationToken);
    }

    public Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        Intercept("UpdateAttributes", username, cancellationToken);
        return inner.UpdateAttributesAsync(username, attributes, cancellationToken);
    }

    public Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        Intercept("DeleteAttributes", username, cancellationToken);
        return inner.DeleteAttributesAsync(username, names, cancellationToken);
    }

    public Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken)
    {
        Intercept(enabled ? "EnableUser" : "DisableUser", username, cancellationToken);
        return inner.SetEnabledAsync(username, enabled, cancellationToken);
    }

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken)
    {
        Intercept("DeleteUser", username, cancellationToken);
        return inner.DeleteUserAsync(username, cancellationToken);
    }

    public Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Intercept("AddToGroup", username, cancellationToken);
        return inner.AddToGroupAsync(username, group, cancellationToken);
    }

    public Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Intercept("RemoveFromGroup", username, cancellationToken);
        return inner.RemoveFromGroupAsync(username, group, cancellationToken);
    }

    public Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        Intercept("GetGroup", name, cancellationToken);
        return inner.GetGroupAsync(name, cancellationToken);
    }

    public Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Intercept("CreateGroup", group.Name, cancellationToken);
        return inner.CreateGroupAsync(group, cancellationToken);
    }

    public Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Intercept("UpdateGroup", group.Name, cancellationToken);
        return inner.UpdateGroupAsync(group, cancellationToken);
    }

    public Task DeleteGroupAsync(string name, CancellationToken cancellationToken)
    {
        Intercept("DeleteGroup", name, cancellationToken);
        return inner.DeleteGroupAsync(name, cancellationToken);
    }

    public IAsyncEnumerable<DirectoryUser> ListUsersAsync(CancellationToken cancellationToken)
    {
        Intercept("ListUsers", inner.PoolId, cancellationToken);
        return inner.ListUsersAsync(cancellationToken);
    }

    public IAsyncEnumerable<DirectoryGroup> ListGroupsAsync(CancellationToken cancellationToken)
    {
        Intercept("ListGroups", inner.PoolId, cancellationToken);
        return inner.ListGroupsAsync(cancellationToken);
    }

    public IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, CancellationToken cancellationToken)
    {
        Intercept("ListUsernamesInGroup", group, cancellationToken);
        return inner.ListUsernamesInGroupAsync(group, cancellationToken);
    }

    /// <summary>Calls the hook; then, as a real pool client does, gives up if the call's token was cancelled meanwhile.</summary>
    private void Intercept(string operation, string subject, CancellationToken cancellationToken)
    {
        Before?.Invoke(operation, subject);
        if (!IgnoresCancellation)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
