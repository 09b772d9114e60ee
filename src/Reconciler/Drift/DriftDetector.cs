using System.Collections.Immutable;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>What the drift detector compares: both pools as just listed, the mirror, and what is parked.</summary>
public sealed record DriftInputs(
    PoolInventory Source,
    string SourceRegion,
    PoolInventory Target,
    string TargetRegion,
    PoolDescription TargetPool,
    MirrorContents Mirror,
    IReadOnlyList<ParkedEntity> Parked);

/// <summary>How users are keyed and compared, and whether values may be shown.</summary>
public sealed record DriftSettings(bool UsernamesCaseSensitive, Func<string, bool> IsReplicatedAttribute, bool ShowValues = false)
{
    /// <summary>The target pool's identity provider names, for recoverability (null: not read, every provider assumed configured).</summary>
    public IReadOnlySet<string>? TargetIdentityProviders { get; init; }
}

/// <summary>A report, and how each source user was matched to a target user (what repair and sync act on).</summary>
internal sealed record DriftAnalysis(
    DriftReport Report,
    IReadOnlyDictionary<string, DirectoryUser?> Counterparts,
    IReadOnlyList<DirectoryUser> UnmatchedTargetUsers,
    IReadOnlyList<DirectoryGroup> UnmatchedTargetGroups,
    IReadOnlyList<DirectoryUser> DriftedUsers);

/// <summary>
/// Compares the source and the target user by user, by the rules replication follows (<see cref="UserComparison"/>):
/// a source user is matched to the target user its applied state maps it to, else by username (username pools) or
/// by its email/phone (pools that sign in by alias) — as the apply engine would find it. Differences name fields,
/// never values, unless values are asked for. Pure: no I/O.
/// </summary>
internal static partial class DriftDetector
{
    private static readonly string[] VisibleAttributes = ["email_verified", "phone_number_verified"];

    public static DriftAnalysis Analyze(DriftInputs inputs, DriftSettings settings, DateTimeOffset generatedAt)
    {
        var items = new List<DriftItem>();
        var drifted = new List<DirectoryUser>();
        var counterparts = new Dictionary<string, DirectoryUser?>(inputs.Source.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        var matched = new HashSet<string>(inputs.Target.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        int compared = 0, notReplicated = 0, mirrorBehind = 0, mirrorAbsent = 0;

        var recoverability = new Recoverability.RecoverabilityTally(settings.TargetIdentityProviders, settings.ShowValues, settings.UsernamesCaseSensitive);
        foreach (var source in inputs.Source.Users.OrderBy(u => u.Username, StringComparer.Ordinal))
        {
            recoverability.Add(source);
            var key = IdentityKeys.ForUsername(source.Username, settings.UsernamesCaseSensitive);
            var target = Counterpart(source, key, inputs, settings);
            counterparts[source.Username] = target;
            if (target is not null)
            {
                matched.Add(target.Username);
            }

            if (!UserComparison.IsReplicated(source))
            {
                notReplicated++;
                continue;
            }

            compared++;
            var sourceGroups = inputs.Source.GroupsOf(source.Username);
            var mirror = MirrorStateOf(inputs.Mirror.Users.GetValueOrDefault(key), source, sourceGroups);
            mirrorBehind += mirror == MirrorState.Behind ? 1 : 0;
            mirrorAbsent += mirror == MirrorState.Absent ? 1 : 0;
            var row = new DriftItem
            {
                Kind = DriftKind.UserMissing,
                Username = Shown(source.Username, settings.ShowValues),
                Sub = source.Sub,
                TargetUsername = target is null ? null : Shown(target.Username, settings.ShowValues),
                TargetSub = target?.Sub,
                Mirror = mirror,
            };
            var before = items.Count;
            if (target is null)
            {
                items.Add(row);
                drifted.Add(source);
                continue;
            }

            var targetGroups = inputs.Target.GroupsOf(target.Username);
            var differences = UserComparison.Compare(source, sourceGroups, target, targetGroups, settings.IsReplicatedAttribute);
            var attributes = differences.Where(d => d.StartsWith(UserComparison.AttributePrefix, StringComparison.Ordinal))
                .Select(d => d[UserComparison.AttributePrefix.Length..])
                .Select(name => settings.ShowValues || VisibleAttributes.Contains(name)
                    ? new FieldDifference(name, UserComparison.ValueOf(source, name), UserComparison.ValueOf(target, name))
                    : new FieldDifference(name))
                .ToImmutableArray();
            if (attributes.Length > 0)
            {
                items.Add(row with { Kind = DriftKind.Attributes, Fields = attributes });
            }

            if (differences.Contains(UserComparison.Enabled))
            {
                items.Add(row with { Kind = DriftKind.Enabled, Expected = EnabledText(source.Enabled), Actual = EnabledText(target.Enabled) });
            }

            if (differences.Contains(UserComparison.Status))
            {
                items.Add(row with { Kind = DriftKind.Status, Expected = UserStatuses.TargetStatusFor(source.Status), Actual = target.Status });
            }

            if (differences.Contains(UserComparison.Groups))
            {
                items.Add(row with
                {
                    Kind = DriftKind.Memberships,
                    MissingGroups = [.. sourceGroups.Except(targetGroups, StringComparer.Ordinal)],
                    ExtraGroups = [.. targetGroups.Except(sourceGroups, StringComparer.Ordinal)],
                });
            }

            if (items.Count > before)
            {
                drifted.Add(source);
            }
        }

        var unmatched = inputs.Target.Users.Where(u => !matched.Contains(u.Username)).OrderBy(u => u.Username, StringComparer.Ordinal).ToList();
        items.AddRange(unmatched.Select(u => new DriftItem
        {
            Kind = DriftKind.UserExtra,
            TargetUsername = Shown(u.Username, settings.ShowValues),
            TargetSub = u.Sub,
        }));

        var targetGroupsByName = inputs.Target.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var group in inputs.Source.Groups)
        {
            if (!targetGroupsByName.TryGetValue(group.Name, out var counterpart))
            {
                items.Add(new DriftItem { Kind = DriftKind.GroupMissing, Group = group.Name });
            }
            else if (GroupFields(group, counterpart, settings.ShowValues) is { Length: > 0 } fields)
            {
                items.Add(new DriftItem { Kind = DriftKind.GroupProperties, Group = group.Name, Fields = fields });
            }
        }

        var extraGroups = inputs.Target.Groups.Where(g => inputs.Source.Group(g.Name) is null).ToList();
        items.AddRange(extraGroups.Select(g => new DriftItem { Kind = DriftKind.GroupExtra, Group = g.Name }));

        var parked = inputs.Parked.Select(p =>
        {
            if (p.Entity.Kind == Core.Mirror.EntityKind.Group)
            {
                return new ParkedItem("group", null, null, p.Entity.Id, p.Code, p.Reason, p.ParkedAt);
            }

            if (p.Entity.Kind == Core.Mirror.EntityKind.Configuration)
            {
                return new ParkedItem("configuration", null, null, p.Entity.Id, p.Code, p.Reason, p.ParkedAt);
            }

            var user = inputs.Source.FindByUsername(p.Entity.Id);
            return new ParkedItem("user", Shown(user?.Username ?? p.Entity.Id, settings.ShowValues), user?.Sub, null, p.Code, p.Reason, p.ParkedAt);
        }).OrderBy(p => p.Group ?? p.Username ?? p.Sub, StringComparer.Ordinal).ToImmutableArray();

        var ordered = items.OrderBy(i => i.Kind).ThenBy(i => i.Subject, StringComparer.Ordinal).ToImmutableArray();
        var report = new DriftReport
        {
            GeneratedAt = generatedAt,
            Source = new ReportedPool(inputs.SourceRegion, inputs.Source.PoolId, inputs.Source.UserCount, inputs.Source.Groups.Length),
            Target = new ReportedPool(inputs.TargetRegion, inputs.Target.PoolId, inputs.Target.UserCount, inputs.Target.Groups.Length),
            ShowValues = settings.ShowValues,
            Differences = ordered,
            Parked = parked,
            Recoverability = recoverability.ToSection(),
            Summary = new DriftSummary
            {
                Differences = ordered.Length,
                UsersCompared = compared,
                UsersNotReplicated = notReplicated,
                UsersMissing = Count(ordered, DriftKind.UserMissing),
                UsersExtra = Count(ordered, DriftKind.UserExtra),
                AttributeDifferences = Count(ordered, DriftKind.Attributes),
                EnabledDifferences = Count(ordered, DriftKind.Enabled),
                StatusDifferences = Count(ordered, DriftKind.Status),
                MembershipDifferences = Count(ordered, DriftKind.Memberships),
                GroupsMissing = Count(ordered, DriftKind.GroupMissing),
                GroupsExtra = Count(ordered, DriftKind.GroupExtra),
                GroupDifferences = Count(ordered, DriftKind.GroupProperties),
                Parked = parked.Length,
                MirrorBehind = mirrorBehind,
                MirrorAbsent = mirrorAbsent,
            },
        };
        return new DriftAnalysis(report, counterparts, unmatched, extraGroups, drifted);
    }

    /// <summary>
    /// The target user a source user corresponds to: the one its applied state maps it to, else the one the apply
    /// engine would find by username (username pools) or by email/phone (alias pools).
    /// </summary>
    public static DirectoryUser? Counterpart(DirectoryUser source, string key, DriftInputs inputs, DriftSettings settings)
    {
        if (inputs.Mirror.Applied.GetValueOrDefault(EntityId.ForUser(key))?.TargetUsername is { } mapped
            && inputs.Target.FindByUsername(mapped) is { } user)
        {
            return user;
        }

        var desired = source.Attributes.Where(a => settings.IsReplicatedAttribute(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return inputs.TargetPool.CreationName(source.Username, desired) is { } name
            ? inputs.Target.Find(name, inputs.TargetPool.UsernameAttributes)
            : null;
    }

    /// <summary>Usernames that look like an email address or a phone number are personal data: hidden unless asked for.</summary>
    public static string? Shown(string username, bool showValues) =>
        showValues || !PersonalUsername().IsMatch(username) ? username : null;

    private static readonly string NoGroups = ContentHash.OfNames([]);

    private static MirrorState MirrorStateOf(UserSnapshot? snapshot, DirectoryUser source, ImmutableArray<string> groups)
    {
        if (snapshot is null || snapshot.Deleted || snapshot.ProfileHash is null)
        {
            return MirrorState.Absent;
        }

        // Memberships never recorded (a capture that read no groups) stand for none: replication leaves them alone.
        var current = snapshot.ProfileHash == new UserProfile(source.Attributes, source.Enabled, source.Status).Hash
            && (snapshot.GroupsHash ?? NoGroups) == ContentHash.OfNames(groups);
        return current ? MirrorState.Current : MirrorState.Behind;
    }

    private static ImmutableArray<FieldDifference> GroupFields(DirectoryGroup source, DirectoryGroup target, bool showValues)
    {
        var fields = ImmutableArray.CreateBuilder<FieldDifference>();
        Add("description", source.Description, target.Description);
        Add("precedence", source.Precedence?.ToString(System.Globalization.CultureInfo.InvariantCulture), target.Precedence?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("roleArn", source.RoleArn, target.RoleArn);
        return fields.ToImmutable();

        void Add(string name, string? a, string? b)
        {
            if (!string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal))
            {
                fields.Add(showValues ? new FieldDifference(name, a, b) : new FieldDifference(name));
            }
        }
    }

    private static string EnabledText(bool enabled) => enabled ? "enabled" : "disabled";

    private static int Count(ImmutableArray<DriftItem> items, DriftKind kind) => items.Count(i => i.Kind == kind);

    [GeneratedRegex(@"@|^\+?[0-9][0-9 ()-]{5,}$")]
    private static partial Regex PersonalUsername();
}
