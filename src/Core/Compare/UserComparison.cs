using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Compare;

/// <summary>
/// Compares a source user with its target counterpart by the rules replication follows: replicated attributes
/// (a missing <c>*_verified</c> flag reads as "false"), enabled flag, the target status the source status maps to
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

    /// <summary>Whether the source user is one replication copies (unconfirmed and federated users are not).</summary>
    public static bool IsReplicated(DirectoryUser source) => UserStatuses.TargetStatusFor(source.Status) is not null;

    public static IReadOnlyList<string> Compare(
        DirectoryUser source,
        IReadOnlyCollection<string>? sourceGroups,
        DirectoryUser? target,
        IReadOnlyCollection<string>? targetGroups,
        Func<string, bool> isReplicatedAttribute)
    {
        var expectedStatus = UserStatuses.TargetStatusFor(source.Status);
        if (expectedStatus is null)
        {
            return [];
        }

        if (target is null)
        {
            return [Missing];
        }

        var differences = new List<string>();
        var names = source.Attributes.Keys.Concat(target.Attributes.Keys)
            .Where(isReplicatedAttribute)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Value(source, name) != Value(target, name))
            {
                differences.Add(AttributePrefix + name);
            }
        }

        if (source.Enabled != target.Enabled)
        {
            differences.Add(Enabled);
        }

        if (expectedStatus != target.Status)
        {
            differences.Add(Status);
        }

        if (sourceGroups is not null && targetGroups is not null && !sourceGroups.ToHashSet(StringComparer.Ordinal).SetEquals(targetGroups))
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
