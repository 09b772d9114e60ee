using System.Collections.Immutable;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>The state a source snapshot asks of its target user.</summary>
/// <param name="SourceUsername">The source user's username: what a username pool creates the user under.</param>
/// <param name="Profile">Attributes, enabled flag and source status; null when only memberships were observed.</param>
/// <param name="Groups">Group names; null when memberships were never observed (the target's are then left alone).</param>
/// <param name="OriginalSub">The <c>sub</c> the identity attribute carries: the one the source user carries on, else its own.</param>
internal sealed record DesiredUser(string SourceUsername, UserProfile? Profile, IReadOnlyList<string>? Groups, string? OriginalSub)
{
    public static DesiredUser Of(UserSnapshot snapshot, string? identityAttribute) => new(
        snapshot.Username,
        snapshot.Profile,
        snapshot.Groups is { } groups ? groups : null,
        snapshot.Profile is { } profile && !string.IsNullOrEmpty(identityAttribute) && profile.Attributes.TryGetValue(identityAttribute, out var carried) && carried.Length > 0
            ? carried
            : snapshot.Sub);
}

/// <summary>
/// Which attributes replication writes to a target pool — everything but Cognito-managed ones and exclusions — and which
/// attribute carries each user's original <c>sub</c> (written by replication itself, never compared or deleted as user data).
/// </summary>
internal sealed class AttributeRules
{
    private readonly HashSet<string> _excluded;

    public AttributeRules(IEnumerable<string> excluded, string? identityAttribute)
    {
        _excluded = new HashSet<string>(excluded, StringComparer.Ordinal);
        IdentityAttribute = string.IsNullOrEmpty(identityAttribute) ? null : identityAttribute;
        if (IdentityAttribute is not null)
        {
            _excluded.Add(IdentityAttribute);
        }
    }

    /// <summary>The custom attribute that carries a user's original <c>sub</c>; null when turned off.</summary>
    public string? IdentityAttribute { get; }

    public bool IsReplicated(string attribute) =>
        !UserProfile.IsPseudoAttribute(attribute) && attribute != "identities" && !_excluded.Contains(attribute);
}

/// <summary>
/// Decides, without any I/O, which Cognito calls bring one target-pool user to the state a source snapshot asks for:
/// desired state + target state + the pool's description → the ordered calls (<see cref="UserPlan"/>). The executor
/// (<see cref="UserApply"/>) reads the target, asks for a plan and performs it.
/// </summary>
internal static class UserPlanner
{
    private static readonly string[] VerifiedFlags = ["email_verified", "phone_number_verified"];

    private static readonly (string Attribute, string Flag)[] Verifiable = [("email", "email_verified"), ("phone_number", "phone_number_verified")];

    /// <summary>
    /// The whole plan for a target whose memberships are known (none for a target that does not exist yet): the profile's
    /// calls, then the memberships' — for the user once it exists, so a new user is created before it joins a group.
    /// </summary>
    public static UserPlan Plan(DesiredUser desired, DirectoryUser? target, IReadOnlyList<string> targetGroups, PoolDescription pool, AttributeRules rules)
    {
        var plan = desired.Profile is null ? UserPlan.Nothing : PlanProfile(desired, target, pool, rules);
        if (plan.Stops || desired.Groups is not { } groups || (target is null && !plan.Creates))
        {
            return plan;
        }

        return plan.Then(PlanMemberships(groups, plan.Creates ? [] : targetGroups));
    }

    /// <summary>The name a new target user is created under (null when the pool signs in by an alias the user lacks).</summary>
    public static string? CreationName(DesiredUser desired, PoolDescription pool, AttributeRules rules) =>
        desired.Profile is { } profile ? pool.CreationName(desired.SourceUsername, Replicated(profile, rules)) : null;

    /// <summary>
    /// The profile's calls: create the user (confirmed and disabled as the source is), or update its attributes,
    /// password status and enabled flag. Stops when the source status is not replicated, or parks when the pool's
    /// schema cannot take the attributes or the user has none of the aliases the pool signs in by.
    /// </summary>
    public static UserPlan PlanProfile(DesiredUser desired, DirectoryUser? target, PoolDescription pool, AttributeRules rules)
    {
        var profile = desired.Profile ?? throw new ArgumentException("Only a desired user with a profile has profile calls.", nameof(desired));
        if (ApplyEngine.TargetStatusFor(profile.Status) is not { } status)
        {
            return new UserPlan { NotReplicated = $"status {profile.Status} is not replicated" };
        }

        var attributes = Replicated(profile, rules);
        var creationName = pool.CreationName(desired.SourceUsername, attributes);
        AddIdentity(attributes, desired.OriginalSub, pool, rules);
        if (SchemaProblem(pool, attributes, target) is { } problem)
        {
            return new UserPlan { Park = problem };
        }

        if (target is not null)
        {
            return new UserPlan { Calls = PlanUpdate(target, attributes, status, profile.Enabled, rules) };
        }

        if (creationName is null)
        {
            return new UserPlan
            {
                Park = new ParkDecision(
                    "NoSignInAlias",
                    $"Target pool {pool.PoolId} signs in by {string.Join(" or ", pool.UsernameAttributes)}, but this user has none of them; give the user one in the source pool, or make the target a username pool."),
            };
        }

        var calls = ImmutableArray.CreateBuilder<UserCall>();
        calls.Add(new UserCall.CreateUser(creationName, attributes));
        if (status == UserStatuses.Confirmed)
        {
            calls.Add(new UserCall.SetPermanentPassword());
        }

        if (!profile.Enabled)
        {
            calls.Add(new UserCall.SetEnabled(false));
        }

        return new UserPlan { Calls = calls.ToImmutable() };
    }

    /// <summary>
    /// The calls that make an existing target user's attributes, status and enabled flag what they should be: one
    /// update (a verified flag travels with its email or phone, so Cognito sends no code), one deletion of replicated
    /// attributes the source lacks (a missing verified flag means "not verified": it is set to "false", never deleted),
    /// a password call for the status, an enable or disable.
    /// </summary>
    public static ImmutableArray<UserCall> PlanUpdate(DirectoryUser target, IReadOnlyDictionary<string, string> attributes, string status, bool enabled, AttributeRules rules)
    {
        var updates = attributes.Where(a => !target.Attributes.TryGetValue(a.Key, out var current) || current != a.Value)
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var deletes = target.Attributes.Keys
            .Where(name => rules.IsReplicated(name) && !attributes.ContainsKey(name) && !VerifiedFlags.Contains(name))
            .ToList();
        foreach (var flag in VerifiedFlags.Where(rules.IsReplicated))
        {
            if (!attributes.ContainsKey(flag) && target.Attributes.TryGetValue(flag, out var current) && current == "true")
            {
                updates[flag] = "false";
            }
        }

        foreach (var (attribute, flag) in Verifiable)
        {
            if (updates.ContainsKey(attribute) && !updates.ContainsKey(flag) && rules.IsReplicated(flag))
            {
                updates[flag] = attributes.GetValueOrDefault(flag, "false");
            }
        }

        var calls = ImmutableArray.CreateBuilder<UserCall>();
        if (updates.Count > 0)
        {
            calls.Add(new UserCall.UpdateAttributes(updates));
        }

        if (deletes.Count > 0)
        {
            calls.Add(new UserCall.DeleteAttributes(deletes));
        }

        if (status == UserStatuses.Confirmed && target.Status == UserStatuses.ForceChangePassword)
        {
            calls.Add(new UserCall.SetPermanentPassword());
        }
        else if (status == UserStatuses.ForceChangePassword && target.Status != UserStatuses.ForceChangePassword)
        {
            // An admin set a temporary password in the source: the target user must change it too.
            calls.Add(new UserCall.SetTemporaryPassword());
        }

        if (target.Enabled != enabled)
        {
            calls.Add(new UserCall.SetEnabled(enabled));
        }

        return calls.ToImmutable();
    }

    /// <summary>Membership calls: the groups to join, then the groups to leave.</summary>
    public static ImmutableArray<UserCall> PlanMemberships(IReadOnlyList<string> desired, IReadOnlyList<string> current) =>
    [
        .. desired.Except(current, StringComparer.Ordinal).Select(group => new UserCall.AddToGroup(group)),
        .. current.Except(desired, StringComparer.Ordinal).Select(group => new UserCall.RemoveFromGroup(group)),
    ];

    /// <summary>A tombstone's calls: delete the target user if there is one.</summary>
    public static ImmutableArray<UserCall> PlanDelete(DirectoryUser? target) => target is null ? [] : [new UserCall.DeleteUser()];

    private static Dictionary<string, string> Replicated(UserProfile profile, AttributeRules rules) =>
        profile.Attributes.Where(a => rules.IsReplicated(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>
    /// Adds the identity attribute where the target schema has it: the original <c>sub</c>, carried through failovers
    /// (a source user that has one passes it on; otherwise it is the source's own <c>sub</c>).
    /// </summary>
    private static void AddIdentity(Dictionary<string, string> attributes, string? originalSub, PoolDescription pool, AttributeRules rules)
    {
        if (rules.IdentityAttribute is { } attribute && originalSub is not null && pool.Schema.ContainsKey(attribute))
        {
            attributes[attribute] = originalSub;
        }
    }

    /// <summary>Attributes the pool's schema lacks, or immutable ones that differ; nothing when the schema is unknown.</summary>
    private static ParkDecision? SchemaProblem(PoolDescription pool, Dictionary<string, string> attributes, DirectoryUser? target)
    {
        if (pool.Schema.Count == 0)
        {
            return null;
        }

        var missing = attributes.Keys.Where(name => !pool.Schema.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return new ParkDecision(
                "SchemaMismatch",
                $"Target pool {pool.PoolId} has no attribute {string.Join(", ", missing.Select(m => $"'{m}'"))}; add it to the target pool's schema, or list it in Replication:ExcludeAttributes.",
                SchemaDependent: true);
        }

        if (target is not null)
        {
            var immutable = attributes
                .Where(a => pool.Schema.TryGetValue(a.Key, out var s) && !s.Mutable && target.Attributes.TryGetValue(a.Key, out var current) && current != a.Value)
                .Select(a => a.Key)
                .ToList();
            if (immutable.Count > 0)
            {
                return new ParkDecision(
                    "ImmutableAttribute",
                    $"Attribute {string.Join(", ", immutable.Select(m => $"'{m}'"))} differs but is immutable in target pool {pool.PoolId}; delete the target user so it is re-created, or make the attribute mutable.",
                    SchemaDependent: true);
            }
        }

        return null;
    }
}
