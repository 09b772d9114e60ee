using System.Runtime.CompilerServices;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;

namespace IdentityReplicator.Core.Pools;

/// <summary><see cref="IUserDirectory"/> over the Cognito user pools API.</summary>
public sealed class CognitoUserDirectory(CognitoIdentityProviderClient client, string poolId) : IUserDirectory
{
    public string PoolId { get; } = poolId;

    public async Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var response = await client.DescribeUserPoolAsync(new DescribeUserPoolRequest(PoolId), cancellationToken);
        var pool = response.UserPool ?? throw new CognitoException($"DescribeUserPool returned no pool for {PoolId}.");
        var schema = (pool.SchemaAttributes ?? [])
            .Where(a => a.Name is not null)
            .Select(a => new PoolSchemaAttribute(
                a.Name!,
                a.AttributeDataType ?? "String",
                a.Mutable ?? true,
                a.Required ?? false,
                a.DeveloperOnlyAttribute ?? false))
            .GroupBy(a => a.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new PoolDescription(
            PoolId,
            pool.UsernameAttributes ?? [],
            // Pools created before UsernameConfiguration existed report none, and are case-sensitive.
            pool.UsernameConfiguration?.CaseSensitive ?? true,
            schema,
            pool.Policies?.PasswordPolicy?.MinimumLength ?? 8,
            pool.EstimatedNumberOfUsers);
    }

    public async Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken)
    {
        try
        {
            var user = await client.AdminGetUserAsync(new AdminGetUserRequest(PoolId, usernameOrAlias), cancellationToken);
            return ToUser(user.Username ?? usernameOrAlias, user.UserAttributes, user.Enabled, user.UserStatus);
        }
        catch (UserNotFoundException)
        {
            return null;
        }
    }

    public async Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken)
    {
        if (sub.Contains('"', StringComparison.Ordinal) || sub.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var page = await client.ListUsersPageAsync(new ListUsersRequest(PoolId) { Filter = $"sub = \"{sub}\"", Limit = 1 }, cancellationToken);
        var user = page.Users?.FirstOrDefault(u => u.Attributes?.Any(a => a.Name == "sub" && a.Value == sub) == true);
        return user?.Username is null ? null : ToUser(user.Username, user.Attributes, user.Enabled, user.UserStatus);
    }

    public async Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken)
    {
        var groups = new List<string>();
        await foreach (var group in client.AdminListGroupsForUserAsync(
            new AdminListGroupsForUserRequest(username, PoolId) { Limit = CognitoQuotas.ListPageLimit }, cancellationToken))
        {
            if (group.GroupName is not null)
            {
                groups.Add(group.GroupName);
            }
        }

        return groups;
    }

    public async Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken)
    {
        var response = await client.AdminCreateUserAsync(
            new AdminCreateUserRequest
            {
                UserPoolId = PoolId,
                Username = username,
                UserAttributes = attributes.ToAttributeList(),
                TemporaryPassword = temporaryPassword,
                MessageAction = "SUPPRESS",
            },
            cancellationToken);
        var user = response.User ?? throw new CognitoException("AdminCreateUser returned no user.");
        return ToUser(user.Username ?? username, user.Attributes, user.Enabled, user.UserStatus);
    }

    public Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken) =>
        client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(PoolId, username, password, Permanent: true), cancellationToken);

    public Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken) =>
        client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(PoolId, username, password, Permanent: false), cancellationToken);

    public Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken) =>
        client.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(PoolId, username, attributes.ToAttributeList()), cancellationToken);

    public Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        client.AdminDeleteUserAttributesAsync(new AdminDeleteUserAttributesRequest(PoolId, username, [.. names]), cancellationToken);

    public Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken) => enabled
        ? client.AdminEnableUserAsync(new AdminEnableUserRequest(PoolId, username), cancellationToken)
        : client.AdminDisableUserAsync(new AdminDisableUserRequest(PoolId, username), cancellationToken);

    public async Task DeleteUserAsync(string username, CancellationToken cancellationToken)
    {
        try
        {
            await client.AdminDeleteUserAsync(new AdminDeleteUserRequest(PoolId, username), cancellationToken);
        }
        catch (UserNotFoundException)
        {
            // Already gone: the goal is reached.
        }
    }

    public Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken) =>
        client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(PoolId, username, group), cancellationToken);

    public Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken) =>
        client.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(PoolId, username, group), cancellationToken);

    public async Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetGroupAsync(new GetGroupRequest(name, PoolId), cancellationToken);
            return response.Group is null ? null : ToGroup(response.Group);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    public Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken) =>
        client.CreateGroupAsync(
            new CreateGroupRequest(group.Name, PoolId) { Description = group.Description, Precedence = group.Precedence, RoleArn = group.RoleArn },
            cancellationToken);

    public Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken) =>
        client.UpdateGroupAsync(
            new UpdateGroupRequest(group.Name, PoolId) { Description = group.Description, Precedence = group.Precedence, RoleArn = group.RoleArn },
            cancellationToken);

    public async Task DeleteGroupAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteGroupAsync(new DeleteGroupRequest(name, PoolId), cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            // Already gone.
        }
    }

    public async IAsyncEnumerable<DirectoryUser> ListUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var user in client.ListUsersAsync(new ListUsersRequest(PoolId) { Limit = CognitoQuotas.ListUsersPageLimit }, cancellationToken))
        {
            if (user.Username is not null)
            {
                yield return ToUser(user.Username, user.Attributes, user.Enabled, user.UserStatus);
            }
        }
    }

    public async IAsyncEnumerable<DirectoryGroup> ListGroupsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var group in client.ListGroupsAsync(new ListGroupsRequest(PoolId) { Limit = CognitoQuotas.ListPageLimit }, cancellationToken))
        {
            if (group.GroupName is not null)
            {
                yield return ToGroup(group);
            }
        }
    }

    public async IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var user in client.ListUsersInGroupAsync(new ListUsersInGroupRequest(PoolId, group) { Limit = CognitoQuotas.ListPageLimit }, cancellationToken))
        {
            if (user.Username is not null)
            {
                yield return user.Username;
            }
        }
    }

    private static DirectoryUser ToUser(string username, IReadOnlyList<AttributeType>? attributes, bool? enabled, string? status)
    {
        var values = attributes.ToDictionary();
        values.Remove("sub", out var sub);
        return new DirectoryUser(username, sub, values, enabled ?? true, status ?? "UNKNOWN");
    }

    private static DirectoryGroup ToGroup(GroupType group) =>
        new(group.GroupName!, group.Description, group.Precedence, group.RoleArn);
}
