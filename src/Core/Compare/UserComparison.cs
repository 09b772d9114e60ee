using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Compare;

/// <summary>
/// Compares a primary user with its standby counterpart by the rules replication follows: replicated attributes
/// (a missing <c>*_verified</c> flag reads as "false"), enabled flag, the standby status the primary status maps to
/// (<see cref="UserStatuses.TargetStatusFor"/>), and group memberships. Differences are field names, never values.
/// Drift reports, failover preflight, the demo and the benchmarks all compare by these rules, so they live in Core.
/// </summary>
public static class UserComparison
{
    public const string Missing = "missing";
    public const string Enabled = "enabled";
    public const string Status = "status";
    public const string Groups = "groups";
    public const string AttributePrefix = "attribute:";

    private static readonly string[] VerifiedFlags = ["email_verified", "phone_number_verified"];

    /// <summary>Whether the primary user is one replication copies (unconfirmed and federated users are not).</summary>
    public static bool IsReplicated(DirectoryUser primary) => UserStatuses.TargetStatusFor(primary.Status) is not null;

    public static IReadOnlyList<string> Compare(
        DirectoryUser primary,
        IReadOnlyCollection<string>? primaryGroups,
        DirectoryUser? standby,
        IReadOnlyCollection<string>? standbyGroups,
        Func<string, bool> isReplicatedAttribute)
    {
        var expectedStatus = UserStatuses.TargetStatusFor(primary.Status);
        if (expectedStatus is null)
        {
            return [];
        }

        if (standby is null)
        {
            return [Missing];
        }

        var differences = new List<string>();
        var names = primary.Attributes.Keys.Concat(standby.Attributes.Keys)
            .Where(isReplicatedAttribute)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Value(primary, name) != Value(standby, name))
            {
                differences.Add(AttributePrefix + name);
            }
        }

        if (primary.Enabled != standby.Enabled)
        {
            differences.Add(Enabled);
        }

        if (expectedStatus != standby.Status)
        {
            differences.Add(Status);
        }

        if (primaryGroups is not null && standbyGroups is not null && !primaryGroups.ToHashSet(StringComparer.Ordinal).SetEquals(standbyGroups))
        {
            differences.Add(Groups);
        }

        return differences;
    }

    /// <summary>An attribute's value as compared: a missing <c>*_verified</c> flag reads as "false".</summary>
    public static string? ValueOf(DirectoryUser user, string name) => Value(user, name);

    private static string? Value(DirectoryUser user, string name) =>
        user.Attributes.TryGetValue(name, out var value) ? value : VerifiedFlags.Contains(name) ? "false" : null;
}
