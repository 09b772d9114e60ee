namespace IdentityReplicator.Core.Pools;

/// <summary>
/// A Cognito user pool, as replication sees it. Implemented once for Cognito (<see cref="CognitoUserDirectory"/>),
/// faked in memory in unit tests. Errors are Cognito's (<see cref="Cognito.CognitoException"/> and subclasses).
/// </summary>
public interface IUserDirectory
{
    string PoolId { get; }

    Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>The user with this username (or, in pools that sign in by email/phone, this alias); <c>null</c> if none.</summary>
    Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken);

    /// <summary>The user whose <c>sub</c> this is (ListUsers with a <c>sub</c> filter); <c>null</c> if none.</summary>
    Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken);

    /// <summary>Creates a user without sending any message; the temporary password is never delivered.</summary>
    Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken);

    Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken);

    /// <summary>Sets a temporary password: the user's status becomes FORCE_CHANGE_PASSWORD. Sends no message.</summary>
    Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken);

    Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken);

    Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken);

    /// <summary>Deletes the user; a user that is already gone is not an error.</summary>
    Task DeleteUserAsync(string username, CancellationToken cancellationToken);

    Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken);

    Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken);

    Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken);

    Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken);

    Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken);

    /// <summary>Deletes the group; a group that is already gone is not an error.</summary>
    Task DeleteGroupAsync(string name, CancellationToken cancellationToken);

    IAsyncEnumerable<DirectoryUser> ListUsersAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<DirectoryGroup> ListGroupsAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, CancellationToken cancellationToken);
}

/// <summary>A user as a pool holds it. <see cref="Attributes"/> excludes <c>sub</c>, which is <see cref="Sub"/>.</summary>
public sealed record DirectoryUser(string Username, string? Sub, IReadOnlyDictionary<string, string> Attributes, bool Enabled, string Status);

public sealed record DirectoryGroup(string Name, string? Description = null, int? Precedence = null, string? RoleArn = null);

public sealed record PoolSchemaAttribute(string Name, string DataType, bool Mutable, bool Required, bool DeveloperOnly);

/// <summary>What replication needs to know about a pool: how users sign in, case sensitivity, and the schema.</summary>
public sealed record PoolDescription(
    string PoolId,
    IReadOnlyList<string> UsernameAttributes,
    bool CaseSensitive,
    IReadOnlyDictionary<string, PoolSchemaAttribute> Schema,
    int MinimumPasswordLength = 8,
    int? EstimatedUsers = null)
{
    /// <summary>Users sign in by email and/or phone, and Cognito gives each a UUID username.</summary>
    public bool SignsInByAlias => UsernameAttributes.Count > 0;

    /// <summary>
    /// The name to create a user under in this pool: the username itself for username pools, else the user's email
    /// or phone number (whichever the pool signs in by and the user has).
    /// </summary>
    public string? CreationName(string sourceUsername, IReadOnlyDictionary<string, string> attributes)
    {
        if (!SignsInByAlias)
        {
            return sourceUsername;
        }

        foreach (var alias in UsernameAttributes)
        {
            if (attributes.TryGetValue(alias, out var value) && !string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return null;
    }
}
