using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Tests;

/// <summary>
/// Forwards every call to a pool, first calling <see cref="Before"/> with the operation (named as
/// <c>InMemoryUserDirectory.Calls</c> names it) and its subject (username, alias or group name). The hook can throw
/// to fail one user's calls only, or change the pool to stage a race with another writer.
/// </summary>
internal sealed class InterceptingUserDirectory(IUserDirectory inner) : IUserDirectory
{
    public Action<string, string>? Before { get; set; }

    public string PoolId => inner.PoolId;

    public Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        Intercept("Describe", inner.PoolId);
        return inner.DescribeAsync(cancellationToken);
    }

    public Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken)
    {
        Intercept("FindUser", usernameOrAlias);
        return inner.FindUserAsync(usernameOrAlias, cancellationToken);
    }

    public Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken)
    {
        Intercept("FindUserBySub", sub);
        return inner.FindUserBySubAsync(sub, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken)
    {
        Intercept("ListGroupsForUser", username);
        return inner.ListGroupsForUserAsync(username, cancellationToken);
    }

    public Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken)
    {
        Intercept("CreateUser", username);
        return inner.CreateUserAsync(username, attributes, temporaryPassword, cancellationToken);
    }

    public Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Intercept("SetPermanentPassword", username);
        return inner.SetPermanentPasswordAsync(username, password, cancellationToken);
    }

    public Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Intercept("SetTemporaryPassword", username);
        return inner.SetTemporaryPasswordAsync(username, password, cancellationToken);
    }

    public Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        Intercept("UpdateAttributes", username);
        return inner.UpdateAttributesAsync(username, attributes, cancellationToken);
    }

    public Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        Intercept("DeleteAttributes", username);
        return inner.DeleteAttributesAsync(username, names, cancellationToken);
    }

    public Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken)
    {
        Intercept(enabled ? "EnableUser" : "DisableUser", username);
        return inner.SetEnabledAsync(username, enabled, cancellationToken);
    }

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken)
    {
        Intercept("DeleteUser", username);
        return inner.DeleteUserAsync(username, cancellationToken);
    }

    public Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Intercept("AddToGroup", username);
        return inner.AddToGroupAsync(username, group, cancellationToken);
    }

    public Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Intercept("RemoveFromGroup", username);
        return inner.RemoveFromGroupAsync(username, group, cancellationToken);
    }

    public Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        Intercept("GetGroup", name);
        return inner.GetGroupAsync(name, cancellationToken);
    }

    public Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Intercept("CreateGroup", group.Name);
        return inner.CreateGroupAsync(group, cancellationToken);
    }

    public Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Intercept("UpdateGroup", group.Name);
        return inner.UpdateGroupAsync(group, cancellationToken);
    }

    public Task DeleteGroupAsync(string name, CancellationToken cancellationToken)
    {
        Intercept("DeleteGroup", name);
        return inner.DeleteGroupAsync(name, cancellationToken);
    }

    public IAsyncEnumerable<DirectoryUser> ListUsersAsync(CancellationToken cancellationToken)
    {
        Intercept("ListUsers", inner.PoolId);
        return inner.ListUsersAsync(cancellationToken);
    }

    public IAsyncEnumerable<DirectoryGroup> ListGroupsAsync(CancellationToken cancellationToken)
    {
        Intercept("ListGroups", inner.PoolId);
        return inner.ListGroupsAsync(cancellationToken);
    }

    public IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, CancellationToken cancellationToken)
    {
        Intercept("ListUsernamesInGroup", group);
        return inner.ListUsernamesInGroupAsync(group, cancellationToken);
    }

    private void Intercept(string operation, string subject) => Before?.Invoke(operation, subject);
}
