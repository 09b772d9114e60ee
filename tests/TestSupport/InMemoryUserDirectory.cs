using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// A Cognito user pool in memory that behaves as Cognito does where replication depends on it: pools that sign in
/// by username or by email (UUID usernames, lookup by alias), case-insensitive usernames, unique aliases, the
/// schema (unknown attributes are rejected), groups, and Cognito's error types. Counts calls per operation.
/// </summary>
public sealed class InMemoryUserDirectory : IUserDirectory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DirectoryGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Operation, Exception Error)> _faults = new();

    public InMemoryUserDirectory(string poolId = "us-west-2_standby1", bool signInByEmail = false, IEnumerable<string>? customAttributes = null, IEnumerable<string>? immutableAttributes = null)
    {
        PoolId = poolId;
        SignInByEmail = signInByEmail;
        var schema = new Dictionary<string, PoolSchemaAttribute>(StringComparer.Ordinal);
        foreach (var name in StandardAttributes)
        {
            schema[name] = new PoolSchemaAttribute(name, name.EndsWith("_verified", StringComparison.Ordinal) ? "Boolean" : "String", Mutable: name != "sub", Required: name == "sub", DeveloperOnly: false);
        }

        foreach (var name in customAttributes ?? ["custom:tier", "custom:plan", "custom:department"])
        {
            schema[name] = new PoolSchemaAttribute(name, "String", Mutable: true, Required: false, DeveloperOnly: false);
        }

        foreach (var name in immutableAttributes ?? [])
        {
            schema[name] = new PoolSchemaAttribute(name, "String", Mutable: false, Required: false, DeveloperOnly: false);
        }

        Schema = schema;
    }

    public static IReadOnlyList<string> StandardAttributes { get; } =
    [
        "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
        "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
    ];

    public string PoolId { get; }

    public bool SignInByEmail { get; }

    public Dictionary<string, PoolSchemaAttribute> Schema { get; }

    /// <summary>Calls so far, per operation name (e.g. "CreateUser").</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    public int WriteCalls => _calls.Where(c => c.Key is not ("FindUser" or "FindUserBySub" or "ListGroupsForUser" or "GetGroup" or "Describe" or "ListUsers" or "ListGroups" or "ListUsernamesInGroup")).Sum(c => c.Value);

    public void ResetCalls() => _calls.Clear();

    /// <summary>Makes the next call of <paramref name="operation"/> throw <paramref name="error"/>.</summary>
    public void FailNext(string operation, Exception error) => _faults.Enqueue((operation, error));

    public IReadOnlyList<DirectoryUser> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values.Select(u => u.ToDirectoryUser())];
            }
        }
    }

    public IReadOnlyList<string> GroupNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _groups.Keys];
            }
        }
    }

    /// <summary>Adds a user directly (test arrangement, no call counted). Returns its username.</summary>
    public string Seed(string name, IReadOnlyDictionary<string, string> attributes, bool enabled = true, string status = "CONFIRMED", IEnumerable<string>? groups = null)
    {
        lock (_gate)
        {
            var user = NewUser(name, attributes);
            user.Enabled = enabled;
            user.Status = status;
            foreach (var group in groups ?? [])
            {
                _groups.TryAdd(group, new DirectoryGroup(group));
                user.Groups.Add(group);
            }

            _users[user.Username] = user;
            return user.Username;
        }
    }

    public void SeedGroup(DirectoryGroup group)
    {
        lock (_gate)
        {
            _groups[group.Name] = group;
        }
    }

    public Task<PoolDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        Count("Describe");
        return Task.FromResult(new PoolDescription(PoolId, SignInByEmail ? ["email"] : [], false, Schema));
    }

    public Task<DirectoryUser?> FindUserAsync(string usernameOrAlias, CancellationToken cancellationToken)
    {
        Count("FindUser");
        lock (_gate)
        {
            return Task.FromResult(Lookup(usernameOrAlias)?.ToDirectoryUser());
        }
    }

    public Task<DirectoryUser?> FindUserBySubAsync(string sub, CancellationToken cancellationToken)
    {
        Count("FindUserBySub");
        lock (_gate)
        {
            return Task.FromResult(_users.Values.FirstOrDefault(u => u.Sub == sub)?.ToDirectoryUser());
        }
    }

    public Task<IReadOnlyList<string>> ListGroupsForUserAsync(string username, CancellationToken cancellationToken)
    {
        Count("ListGroupsForUser");
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. Existing(username).Groups.Order(StringComparer.Ordinal)]);
        }
    }

    public Task<DirectoryUser> CreateUserAsync(string username, IReadOnlyDictionary<string, string> attributes, string temporaryPassword, CancellationToken cancellationToken)
    {
        Count("CreateUser");
        lock (_gate)
        {
            if (SignInByEmail && !username.Contains('@', StringComparison.Ordinal))
            {
                throw CognitoErrors.Create("InvalidParameterException", "Username should be an email.");
            }

            if (Lookup(username) is not null)
            {
                throw CognitoErrors.Create("UsernameExistsException", "User account already exists");
            }

            CheckSchema(attributes.Keys);
            var user = NewUser(username, attributes);
            user.Status = "FORCE_CHANGE_PASSWORD";
            _users[user.Username] = user;
            return Task.FromResult(user.ToDirectoryUser());
        }
    }

    public Task SetPermanentPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Count("SetPermanentPassword");
        lock (_gate)
        {
            Existing(username).Status = "CONFIRMED";
        }

        return Task.CompletedTask;
    }

    public Task SetTemporaryPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        Count("SetTemporaryPassword");
        lock (_gate)
        {
            Existing(username).Status = "FORCE_CHANGE_PASSWORD";
        }

        return Task.CompletedTask;
    }

    public Task UpdateAttributesAsync(string username, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        Count("UpdateAttributes");
        lock (_gate)
        {
            var user = Existing(username);
            CheckSchema(attributes.Keys);
            var immutable = attributes.Keys.Where(a => Schema.TryGetValue(a, out var s) && !s.Mutable).ToList();
            if (immutable.Count > 0)
            {
                throw CognitoErrors.Create("InvalidParameterException", $"Cannot modify the non-mutable attribute {immutable[0]}");
            }

            foreach (var (name, value) in attributes)
            {
                user.Attributes[name] = value;
            }

            // Cognito marks a changed email or phone unverified unless the same call says otherwise.
            foreach (var (attribute, flag) in new[] { ("email", "email_verified"), ("phone_number", "phone_number_verified") })
            {
                if (attributes.ContainsKey(attribute) && !attributes.ContainsKey(flag))
                {
                    user.Attributes[flag] = "false";
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task DeleteAttributesAsync(string username, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        Count("DeleteAttributes");
        lock (_gate)
        {
            var user = Existing(username);
            foreach (var name in names)
            {
                user.Attributes.Remove(name);
            }
        }

        return Task.CompletedTask;
    }

    public Task SetEnabledAsync(string username, bool enabled, CancellationToken cancellationToken)
    {
        Count(enabled ? "EnableUser" : "DisableUser");
        lock (_gate)
        {
            Existing(username).Enabled = enabled;
        }

        return Task.CompletedTask;
    }

    public Task DeleteUserAsync(string username, CancellationToken cancellationToken)
    {
        Count("DeleteUser");
        lock (_gate)
        {
            if (Lookup(username) is { } user)
            {
                _users.Remove(user.Username);
            }
        }

        return Task.CompletedTask;
    }

    public Task AddToGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Count("AddToGroup");
        lock (_gate)
        {
            var user = Existing(username);
            if (!_groups.ContainsKey(group))
            {
                throw CognitoErrors.Create("ResourceNotFoundException", "Group not found.");
            }

            user.Groups.Add(group);
        }

        return Task.CompletedTask;
    }

    public Task RemoveFromGroupAsync(string username, string group, CancellationToken cancellationToken)
    {
        Count("RemoveFromGroup");
        lock (_gate)
        {
            Existing(username).Groups.Remove(group);
        }

        return Task.CompletedTask;
    }

    public Task<DirectoryGroup?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        Count("GetGroup");
        lock (_gate)
        {
            return Task.FromResult(_groups.GetValueOrDefault(name));
        }
    }

    public Task CreateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Count("CreateGroup");
        lock (_gate)
        {
            if (!_groups.TryAdd(group.Name, group))
            {
                throw CognitoErrors.Create("GroupExistsException", "A group with the name already exists.");
            }
        }

        return Task.CompletedTask;
    }

    public Task UpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        Count("UpdateGroup");
        lock (_gate)
        {
            if (!_groups.ContainsKey(group.Name))
            {
                throw CognitoErrors.Create("ResourceNotFoundException", "Group not found.");
            }

            _groups[group.Name] = group;
        }

        return Task.CompletedTask;
    }

    public Task DeleteGroupAsync(string name, CancellationToken cancellationToken)
    {
        Count("DeleteGroup");
        lock (_gate)
        {
            _groups.Remove(name);
            foreach (var user in _users.Values)
            {
                user.Groups.Remove(name);
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<DirectoryUser> ListUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Count("ListUsers");
        foreach (var user in Users)
        {
            await Task.Yield();
            yield return user;
        }
    }

    public async IAsyncEnumerable<DirectoryGroup> ListGroupsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Count("ListGroups");
        List<DirectoryGroup> groups;
        lock (_gate)
        {
            groups = [.. _groups.Values];
        }

        foreach (var group in groups)
        {
            await Task.Yield();
            yield return group;
        }
    }

    public async IAsyncEnumerable<string> ListUsernamesInGroupAsync(string group, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Count("ListUsernamesInGroup");
        List<string> names;
        lock (_gate)
        {
            if (!_groups.ContainsKey(group))
            {
                throw CognitoErrors.Create("ResourceNotFoundException", "Group not found.");
            }

            names = [.. _users.Values.Where(u => u.Groups.Contains(group)).Select(u => u.Username)];
        }

        foreach (var name in names)
        {
            await Task.Yield();
            yield return name;
        }
    }

    private void Count(string operation)
    {
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (_faults.TryPeek(out var fault) && fault.Operation == operation && _faults.TryDequeue(out fault))
        {
            throw fault.Error;
        }
    }

    private void CheckSchema(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!Schema.ContainsKey(name))
            {
                throw CognitoErrors.Create("InvalidParameterException", $"Attributes did not conform to the schema: {name}: Attribute does not exist in the schema.");
            }
        }
    }

    private StoredUser NewUser(string name, IReadOnlyDictionary<string, string> attributes)
    {
        var sub = Guid.NewGuid().ToString();
        var user = new StoredUser(SignInByEmail ? sub : name, sub);
        foreach (var (key, value) in attributes)
        {
            user.Attributes[key] = value;
        }

        if (SignInByEmail && !user.Attributes.ContainsKey("email"))
        {
            user.Attributes["email"] = name;
        }

        return user;
    }

    private StoredUser? Lookup(string usernameOrAlias)
    {
        if (_users.TryGetValue(usernameOrAlias, out var user))
        {
            return user;
        }

        return SignInByEmail
            ? _users.Values.FirstOrDefault(u => string.Equals(u.Attributes.GetValueOrDefault("email"), usernameOrAlias, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    private StoredUser Existing(string usernameOrAlias) =>
        Lookup(usernameOrAlias) ?? throw CognitoErrors.Create("UserNotFoundException", "User does not exist.");

    private sealed class StoredUser(string username, string sub)
    {
        public string Username { get; } = username;

        public string Sub { get; } = sub;

        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

        public bool Enabled { get; set; } = true;

        public string Status { get; set; } = "CONFIRMED";

        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

        public DirectoryUser ToDirectoryUser() => new(Username, Sub, new Dictionary<string, string>(Attributes, StringComparer.Ordinal), Enabled, Status);
    }
}
