using System.Collections.Immutable;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>What the drift detector compares: both pools as just listed, the mirror, and what is parked.</summary>
public sealed record DriftInputs(
    PoolInventory Primary,
    string PrimaryRegion,
    PoolInventory Standby,
    string StandbyRegion,
    PoolDescription StandbyPool,
    MirrorContents Mirror,
    IReadOnlyList<ParkedEntity> Parked);

/// <summary>How users are keyed and compared, and whether values may be shown.</summary>
public sealed record DriftSettings(bool UsernamesCaseSensitive, Func<string, bool> IsReplicatedAttribute, bool ShowValues = false);

/// <summary>A report, and how each primary user was matched to a standby user (what repair and sync act on).</summary>
public sealed record DriftAnalysis(
    DriftReport Report,
    IReadOnlyDictionary<string, DirectoryUser?> Counterparts,
    IReadOnlyList<DirectoryUser> UnmatchedStandbyUsers,
    IReadOnlyList<DirectoryGroup> UnmatchedStandbyGroups,
    IReadOnlyList<DirectoryUser> DriftedUsers);

/// <summary>
/// Compares the primary and the standby user by user, by the rules replication follows (<see cref="UserComparison"/>):
/// a primary user is matched to the standby user its applied state maps it to, else by username (username pools) or
/// by its email/phone (pools that sign in by alias) — as the apply engine would find it. Differences name fields,
/// never values, unless values are asked for. Pure: no I/O.
/// </summary>
public static partial class DriftDetector
{
    private static readonly string[] VisibleAttributes = ["email_verified", "phone_number_verified"];

    public static DriftAnalysis Analyze(DriftInputs inputs, DriftSettings settings, DateTimeOffset generatedAt)
    {
        var items = new List<DriftItem>();
        var drifted = new List<DirectoryUser>();
        var counterparts = new Dictionary<string, DirectoryUser?>(inputs.Primary.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        var matched = new HashSet<string>(inputs.Standby.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        int compared = 0, notReplicated = 0, mirrorBehind = 0, mirrorAbsent = 0;

        foreach (var primary in inputs.Primary.Users.OrderBy(u => u.Username, StringComparer.Ordinal))
        {
            var key = IdentityKeys.ForUsername(primary.Username, settings.UsernamesCaseSensitive);
            var standby = Counterpart(primary, key, inputs, settings);
            counterparts[primary.Username] = standby;
            if (standby is not null)
            {
                matched.Add(standby.Username);
            }

            if (!UserComparison.IsReplicated(primary))
            {
                notReplicated++;
                continue;
            }

            compared++;
            var primaryGroups = inputs.Primary.GroupsOf(primary.Username);
            var mirror = MirrorStateOf(inputs.Mirror.Users.GetValueOrDefault(key), primary, primaryGroups);
            mirrorBehind += mirror == MirrorState.Behind ? 1 : 0;
            mirrorAbsent += mirror == MirrorState.Absent ? 1 : 0;
            var row = new DriftItem
            {
                Kind = DriftKind.UserMissing,
                Username = Shown(primary.Username, settings.ShowValues),
                Sub = primary.Sub,
                StandbyUsername = standby is null ? null : Shown(standby.Username, settings.ShowValues),
                StandbySub = standby?.Sub,
                Mirror = mirror,
            };
            var before = items.Count;
            if (standby is null)
            {
                items.Add(row);
                drifted.Add(primary);
                continue;
            }

            var standbyGroups = inputs.Standby.GroupsOf(standby.Username);
            var differences = UserComparison.Compare(primary, primaryGroups, standby, standbyGroups, settings.IsReplicatedAttribute);
            var attributes = differences.Where(d => d.StartsWith(UserComparison.AttributePrefix, StringComparison.Ordinal))
                .Select(d => d[UserComparison.AttributePrefix.Length..])
                .Select(name => settings.ShowValues || VisibleAttributes.Contains(name)
                    ? new FieldDifference(name, UserComparison.ValueOf(primary, name), UserComparison.ValueOf(standby, name))
                    : new FieldDifference(name))
                .ToImmutableArray();
            if (attributes.Length > 0)
            {
                items.Add(row with { Kind = DriftKind.Attributes, Fields = attributes });
            }

            if (differences.Contains(UserComparison.Enabled))
            {
                items.Add(row with { Kind = DriftKind.Enabled, Expected = EnabledText(primary.Enabled), Actual = EnabledText(standby.Enabled) });
            }

            if (differences.Contains(UserComparison.Status))
            {
                items.Add(row with { Kind = DriftKind.Status, Expected = UserStatuses.TargetStatusFor(primary.Status), Actual = standby.Status });
            }

            if (differences.Contains(UserComparison.Groups))
            {
                items.Add(row with
                {
                    Kind = DriftKind.Memberships,
                    MissingGroups = [.. primaryGroups.Except(standbyGroups, StringComparer.Ordinal)],
                    ExtraGroups = [.. standbyGroups.Except(primaryGroups, StringComparer.Ordinal)],
                });
            }

            if (items.Count > before)
            {
                drifted.Add(primary);
            }
        }

        var unmatched = inputs.Standby.Users.Where(u => !matched.Contains(u.Username)).OrderBy(u => u.Username, StringComparer.Ordinal).ToList();
        items.AddRange(unmatched.Select(u => new DriftItem
        {
            Kind = DriftKind.UserExtra,
            StandbyUsername = Shown(u.Username, settings.ShowValues),
            StandbySub = u.Sub,
        }));

        var standbyGroupsByName = inputs.Standby.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var group in inputs.Primary.Groups)
        {
            if (!standbyGroupsByName.TryGetValue(group.Name, out var counterpart))
            {
                items.Add(new DriftItem { Kind = DriftKind.GroupMissing, Group = group.Name });
            }
            else if (GroupFields(group, counterpart, settings.ShowValues) is { Length: > 0 } fields)
            {
                items.Add(new DriftItem { Kind = DriftKind.GroupProperties, Group = group.Name, Fields = fields });
            }
        }

        var extraGroups = inputs.Standby.Groups.Where(g => inputs.Primary.Group(g.Name) is null).ToList();
        items.AddRange(extraGroups.Select(g => new DriftItem { Kind = DriftKind.GroupExtra, Group = g.Name }));

        var parked = inputs.Parked.Select(p =>
        {
            if (p.Entity.Kind == Core.Mirror.EntityKind.Group)
            {
                return new ParkedItem("group", null, null, p.Entity.Id, p.Code, p.Reason, p.ParkedAt);
            }

            var user = inputs.Primary.FindByUsername(p.Entity.Id);
            return new ParkedItem("user", Shown(user?.Username ?? p.Entity.Id, settings.ShowValues), user?.Sub, null, p.Code, p.Reason, p.ParkedAt);
        }).OrderBy(p => p.Group ?? p.Username ?? p.Sub, StringComparer.Ordinal).ToImmutableArray();

        var ordered = items.OrderBy(i => i.Kind).ThenBy(i => i.Subject, StringComparer.Ordinal).ToImmutableArray();
        var report = new DriftReport
        {
            GeneratedAt = generatedAt,
            Primary = new PoolSide(inputs.PrimaryRegion, inputs.Primary.PoolId, inputs.Primary.UserCount, inputs.Primary.Groups.Length),
            Standby = new PoolSide(inputs.StandbyRegion, inputs.Standby.PoolId, inputs.Standby.UserCount, inputs.Standby.Groups.Length),
            ShowValues = settings.ShowValues,
            Differences = ordered,
            Parked = parked,
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
    /// The standby user a primary user corresponds to: the one its applied state maps it to, else the one the apply
    /// engine would find by username (username pools) or by email/phone (alias pools).
    /// </summary>
    public static DirectoryUser? Counterpart(DirectoryUser primary, string key, DriftInputs inputs, DriftSettings settings)
    {
        if (inputs.Mirror.Applied.GetValueOrDefault(EntityId.ForUser(key))?.TargetUsername is { } mapped
            && inputs.Standby.FindByUsername(mapped) is { } user)
        {
            return user;
        }

        var desired = primary.Attributes.Where(a => settings.IsReplicatedAttribute(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return inputs.StandbyPool.CreationName(primary.Username, desired) is { } name
            ? inputs.Standby.Find(name, inputs.StandbyPool.UsernameAttributes)
            : null;
    }

    /// <summary>Usernames that look like an email address or a phone number are personal data: hidden unless asked for.</summary>
    public static string? Shown(string username, bool showValues) =>
        showValues || !PersonalUsername().IsMatch(username) ? username : null;

    private static readonly string NoGroups = ContentHash.OfNames([]);

    private static MirrorState MirrorStateOf(UserSnapshot? snapshot, DirectoryUser primary, ImmutableArray<string> groups)
    {
        if (snapshot is null || snapshot.Deleted || snapshot.ProfileHash is null)
        {
            return MirrorState.Absent;
        }

        // Memberships never recorded (a capture that read no groups) stand for none: replication leaves them alone.
        var current = snapshot.ProfileHash == new UserProfile(primary.Attributes, primary.Enabled, primary.Status).Hash
            && (snapshot.GroupsHash ?? NoGroups) == ContentHash.OfNames(groups);
        return current ? MirrorState.Current : MirrorState.Behind;
    }

    private static ImmutableArray<FieldDifference> GroupFields(DirectoryGroup primary, DirectoryGroup standby, bool showValues)
    {
        var fields = ImmutableArray.CreateBuilder<FieldDifference>();
        Add("description", primary.Description, standby.Description);
        Add("precedence", primary.Precedence?.ToString(System.Globalization.CultureInfo.InvariantCulture), standby.Precedence?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("roleArn", primary.RoleArn, standby.RoleArn);
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
