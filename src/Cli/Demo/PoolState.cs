using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Cli.Demo;

/// <summary>Everything the demo compares of one pool, read at one moment: users (by email), groups and memberships.</summary>
internal sealed class PoolState
{
    public PoolState(Dictionary<string, DirectoryUser> users, Dictionary<string, DirectoryGroup> groups, Dictionary<string, HashSet<string>> memberships)
    {
        UsersByEmail = users;
        Groups = groups;
        Memberships = memberships;
    }

    public IReadOnlyDictionary<string, DirectoryUser> UsersByEmail { get; }

    public IReadOnlyDictionary<string, DirectoryGroup> Groups { get; }

    /// <summary>Group names per username.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Memberships { get; }

    public IReadOnlyCollection<string> GroupsOf(DirectoryUser user) =>
        Memberships.TryGetValue(user.Username, out var groups) ? groups : [];

    /// <summary>Reads the pool: ListUsers, ListGroups, and ListUsersInGroup per group (not one call per user).</summary>
    public static async Task<PoolState> ReadAsync(IUserDirectory pool, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, DirectoryUser>(StringComparer.OrdinalIgnoreCase);
        await foreach (var user in pool.ListUsersAsync(cancellationToken))
        {
            users[user.Attributes.GetValueOrDefault("email") ?? user.Username] = user;
        }

        var groups = new Dictionary<string, DirectoryGroup>(StringComparer.Ordinal);
        await foreach (var group in pool.ListGroupsAsync(cancellationToken))
        {
            groups[group.Name] = group;
        }

        var memberships = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var group in groups.Keys.ToList())
        {
            try
            {
                await foreach (var username in pool.ListUsernamesInGroupAsync(group, cancellationToken))
                {
                    if (!memberships.TryGetValue(username, out var set))
                    {
                        memberships[username] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(group);
                }
            }
            catch (ResourceNotFoundException)
            {
                // Deleted between listing the groups and listing its members.
                groups.Remove(group);
            }
        }

        return new PoolState(users, groups, memberships);
    }
}
