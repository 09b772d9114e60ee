using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace IdentityReplicator.Core.Pools;

/// <summary>
/// Everything a pool holds that replication cares about, read in one pass: users (ListUsers, pages of 60), groups
/// (ListGroups) and memberships (ListUsersInGroup per group — one listing per group, not one call per user). The
/// listing of users and the listing of memberships run at the same time; both count against the UserList quota, the
/// pool's rate limiting paces them. Memberships of users that appeared during the read are ignored; users that
/// disappeared during it are simply absent.
/// </summary>
public sealed class PoolInventory
{
    private readonly Dictionary<string, DirectoryUser> _byUsername;
    private readonly Dictionary<string, ImmutableArray<string>> _memberships;
    private readonly Lazy<Dictionary<string, DirectoryUser>> _byEmail;
    private readonly Lazy<Dictionary<string, DirectoryUser>> _byPhone;

    public PoolInventory(
        string poolId,
        DateTimeOffset readStartedAt,
        bool caseSensitive,
        IEnumerable<DirectoryUser> users,
        IEnumerable<DirectoryGroup> groups,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> members)
    {
        PoolId = poolId;
        ReadStartedAt = readStartedAt;
        CaseSensitive = caseSensitive;
        var comparer = caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        _byUsername = new Dictionary<string, DirectoryUser>(comparer);
        foreach (var user in users)
        {
            _byUsername[user.Username] = user;
        }

        Groups = groups.GroupBy(g => g.Name, StringComparer.Ordinal).Select(g => g.First()).OrderBy(g => g.Name, StringComparer.Ordinal).ToImmutableArray();
        var memberships = new Dictionary<string, List<string>>(comparer);
        foreach (var (group, usernames) in members)
        {
            foreach (var username in usernames)
            {
                if (_byUsername.ContainsKey(username))
                {
                    (memberships.TryGetValue(username, out var list) ? list : memberships[username] = []).Add(group);
                }
            }
        }

        _memberships = memberships.ToDictionary(m => m.Key, m => m.Value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray(), comparer);
        _byEmail = new(() => IndexBy("email", StringComparer.OrdinalIgnoreCase));
        _byPhone = new(() => IndexBy("phone_number", StringComparer.Ordinal));
    }

    public string PoolId { get; }

    /// <summary>When the read began: everything listed is at least this new (the version of what it observed).</summary>
    public DateTimeOffset ReadStartedAt { get; }

    public bool CaseSensitive { get; }

    public IEnumerable<DirectoryUser> Users => _byUsername.Values;

    public int UserCount => _byUsername.Count;

    public ImmutableArray<DirectoryGroup> Groups { get; }

    public DirectoryGroup? Group(string name) => Groups.FirstOrDefault(g => g.Name == name);

    public DirectoryUser? FindByUsername(string username) => _byUsername.GetValueOrDefault(username);

    /// <summary>
    /// The user Cognito's admin calls would find under <paramref name="usernameOrAlias"/>: by username, and in pools
    /// that sign in by email or phone also by those aliases.
    /// </summary>
    public DirectoryUser? Find(string usernameOrAlias, IReadOnlyList<string> aliasAttributes)
    {
        if (_byUsername.TryGetValue(usernameOrAlias, out var user))
        {
            return user;
        }

        foreach (var alias in aliasAttributes)
        {
            var index = alias switch
            {
                "email" => _byEmail.Value,
                "phone_number" => _byPhone.Value,
                _ => null,
            };
            if (index is not null && index.TryGetValue(usernameOrAlias, out user))
            {
                return user;
            }
        }

        return null;
    }

    /// <summary>The groups a user is in, in ordinal order (empty for a user in none or not listed).</summary>
    public ImmutableArray<string> GroupsOf(string username) => _memberships.GetValueOrDefault(username, []);

    /// <summary>Reads the whole pool. <paramref name="listed"/> is told how many users have been listed so far.</summary>
    public static async Task<PoolInventory> ReadAsync(
        IUserDirectory directory,
        bool caseSensitive,
        TimeProvider time,
        CancellationToken cancellationToken,
        Action<int>? listed = null,
        int groupConcurrency = 8)
    {
        var startedAt = time.GetUtcNow();
        var users = ListUsersAsync(directory, listed, cancellationToken);
        var memberships = ListMembershipsAsync(directory, groupConcurrency, cancellationToken);
        await Task.WhenAll(users, memberships);
        var (groups, members) = await memberships;
        return new PoolInventory(directory.PoolId, startedAt, caseSensitive, await users, groups, members);
    }

    private static async Task<List<DirectoryUser>> ListUsersAsync(IUserDirectory directory, Action<int>? listed, CancellationToken cancellationToken)
    {
        var users = new List<DirectoryUser>();
        await foreach (var user in directory.ListUsersAsync(cancellationToken))
        {
            users.Add(user);
            if (users.Count % CognitoQuotasPage == 0)
            {
                listed?.Invoke(users.Count);
            }
        }

        listed?.Invoke(users.Count);
        return users;
    }

    private const int CognitoQuotasPage = Quotas.CognitoQuotas.ListUsersPageLimit;

    private static async Task<(List<DirectoryGroup>, Dictionary<string, IReadOnlyCollection<string>>)> ListMembershipsAsync(
        IUserDirectory directory, int concurrency, CancellationToken cancellationToken)
    {
        var groups = new List<DirectoryGroup>();
        await foreach (var group in directory.ListGroupsAsync(cancellationToken))
        {
            groups.Add(group);
        }

        var members = new ConcurrentDictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                var names = new List<string>();
                try
                {
                    await foreach (var name in directory.ListUsernamesInGroupAsync(group.Name, token))
                    {
                        names.Add(name);
                    }
                }
                catch (Cognito.ResourceNotFoundException)
                {
                    // Deleted while we read: no members.
                }

                members[group.Name] = names;
            });
        return (groups, new Dictionary<string, IReadOnlyCollection<string>>(members, StringComparer.Ordinal));
    }

    private Dictionary<string, DirectoryUser> IndexBy(string attribute, StringComparer comparer)
    {
        var index = new Dictionary<string, DirectoryUser>(comparer);
        foreach (var user in _byUsername.Values)
        {
            if (user.Attributes.TryGetValue(attribute, out var value) && !string.IsNullOrEmpty(value))
            {
                index.TryAdd(value, user);
            }
        }

        return index;
    }
}
