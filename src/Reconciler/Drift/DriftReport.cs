using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// What differs between the source and the target pool. The JSON form is documented in docs/drift-report.md (schema 1,
/// which names them "primary" and "standby" whichever way replication runs).
/// </summary>
public sealed record DriftReport
{
    public const string SchemaName = "identity-replicator/drift-report@1";

    public string Schema { get; init; } = SchemaName;

    public required DateTimeOffset GeneratedAt { get; init; }

    [JsonPropertyName("primary")]
    public required ReportedPool Source { get; init; }

    [JsonPropertyName("standby")]
    public required ReportedPool Target { get; init; }

    /// <summary>Whether attribute values and personal usernames are shown (<c>--show-values</c>).</summary>
    public bool ShowValues { get; init; }

    public required DriftSummary Summary { get; init; }

    /// <summary>One row per difference, in a stable order (kind, then subject).</summary>
    public required ImmutableArray<DriftItem> Differences { get; init; }

    /// <summary>Users and groups the reconciler parked, with the reason it stored (names attributes, never values).</summary>
    public required ImmutableArray<ParkedItem> Parked { get; init; }

    /// <summary>What <c>--repair</c> did; absent without it.</summary>
    public RepairOutcome? Repair { get; init; }

    /// <summary>The pools' configuration compared (and repaired with <c>--repair</c>); absent where it is not compared.</summary>
    public ConfigurationDriftSection? Configuration { get; init; }

    /// <summary>In native mode: the canary's lag figures and the native replica's Regional settings; absent otherwise.</summary>
    public NativeReplicaSection? Native { get; init; }

    /// <summary>Who can sign in after a failover to the target, by how they recover (<see cref="Recoverability.RecoverabilityClassifier"/>).</summary>
    public Recoverability.RecoverabilitySection? Recoverability { get; init; }
}

/// <summary>One pool as the report saw it.</summary>
public sealed record ReportedPool(string Region, string UserPoolId, int Users, int Groups);

public sealed record DriftSummary
{
    /// <summary>No differences between the pools, users or configuration (parked entities, a mirror behind and configuration reports are reported separately).</summary>
    public bool InSync => Differences == 0 && ConfigDifferences == 0;

    /// <summary>Configuration findings that are drift (repair fixes them); configuration reports are not counted.</summary>
    public int ConfigDifferences { get; init; }

    public int Differences { get; init; }

    /// <summary>Source users that replication copies (confirmed and similar); the others are not expected in the target.</summary>
    public int UsersCompared { get; init; }

    public int UsersNotReplicated { get; init; }

    public int UsersMissing { get; init; }

    public int UsersExtra { get; init; }

    public int AttributeDifferences { get; init; }

    public int EnabledDifferences { get; init; }

    public int StatusDifferences { get; init; }

    public int MembershipDifferences { get; init; }

    public int GroupsMissing { get; init; }

    public int GroupsExtra { get; init; }

    public int GroupDifferences { get; init; }

    public int Parked { get; init; }

    /// <summary>Source users whose mirror snapshot is older than what the source holds (capture missed a change).</summary>
    public int MirrorBehind { get; init; }

    /// <summary>Source users with no snapshot in the mirror at all.</summary>
    public int MirrorAbsent { get; init; }
}

public enum DriftKind
{
    /// <summary>A source user has no counterpart in the target.</summary>
    UserMissing,

    /// <summary>A target user has no counterpart in the source.</summary>
    UserExtra,

    /// <summary>Replicated attributes differ (names; values only with --show-values).</summary>
    Attributes,

    /// <summary>Enabled in one pool, disabled in the other.</summary>
    Enabled,

    /// <summary>The target user's status is not the one the source user's maps to.</summary>
    Status,

    /// <summary>Group memberships differ.</summary>
    Memberships,

    GroupMissing,

    GroupExtra,

    /// <summary>Description, precedence or IAM role differ.</summary>
    GroupProperties,
}

/// <summary>How the mirror's snapshot of a user compares with the source.</summary>
public enum MirrorState
{
    Current,
    Behind,
    Absent,
}

/// <summary>One field that differs; values only with --show-values (and always for *_verified flags).</summary>
public sealed record FieldDifference(
    string Name,
    [property: JsonPropertyName("primary")] string? Source = null,
    [property: JsonPropertyName("standby")] string? Target = null);

public sealed record DriftItem
{
    public required DriftKind Kind { get; init; }

    /// <summary>The source user's username (null when hidden: it looks like an email or phone number).</summary>
    public string? Username { get; init; }

    /// <summary>The source user's sub.</summary>
    public string? Sub { get; init; }

    [JsonPropertyName("standbyUsername")]
    public string? TargetUsername { get; init; }

    [JsonPropertyName("standbySub")]
    public string? TargetSub { get; init; }

    public string? Group { get; init; }

    public ImmutableArray<FieldDifference>? Fields { get; init; }

    /// <summary>For enabled and status: what the target should have, and what it has.</summary>
    public string? Expected { get; init; }

    public string? Actual { get; init; }

    /// <summary>For memberships: groups the target user lacks, and groups it has that the source user has not.</summary>
    public ImmutableArray<string>? MissingGroups { get; init; }

    public ImmutableArray<string>? ExtraGroups { get; init; }

    /// <summary>For user rows: the mirror's snapshot compared with the source.</summary>
    public MirrorState? Mirror { get; init; }

    /// <summary>A short subject for people: the username, the sub when the username is hidden, or the group.</summary>
    [JsonIgnore]
    public string Subject => Group is not null
        ? Group
        : Username ?? (Sub is not null ? $"sub {Sub}" : TargetUsername ?? (TargetSub is not null ? $"target sub {TargetSub}" : "?"));

    /// <summary>A one-line description of the difference, without values.</summary>
    [JsonIgnore]
    public string Detail => Kind switch
    {
        DriftKind.UserMissing => "missing in the target",
        DriftKind.UserExtra => "in the target only",
        DriftKind.Attributes => "attributes differ: " + string.Join(", ", (Fields ?? []).Select(f => f.Source is null && f.Target is null ? f.Name : $"{f.Name} ({f.Source ?? "∅"} → {f.Target ?? "∅"})")),
        DriftKind.Enabled or DriftKind.Status => $"{Kind.ToString().ToLowerInvariant()}: target has {Actual}, should have {Expected}",
        DriftKind.Memberships => string.Join("; ", new[]
        {
            MissingGroups is { Length: > 0 } m ? "not in " + string.Join(", ", m) : null,
            ExtraGroups is { Length: > 0 } x ? "also in " + string.Join(", ", x) : null,
        }.Where(p => p is not null)),
        DriftKind.GroupMissing => "group missing in the target",
        DriftKind.GroupExtra => "group in the target only",
        DriftKind.GroupProperties => "group differs: " + string.Join(", ", (Fields ?? []).Select(f => f.Name)),
        _ => Kind.ToString(),
    };
}

public sealed record ParkedItem(string Entity, string? Username, string? Sub, string? Group, string Code, string Reason, DateTimeOffset ParkedAt);

/// <summary>What <c>--repair</c> did, and what a fresh comparison found afterwards.</summary>
public sealed record RepairOutcome(int Attempted, int Applied, int Failed, int RemainingDifferences);
