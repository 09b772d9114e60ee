using System.Collections.Immutable;

namespace IdentityReplicator.Core.Model;

/// <summary>Where a capture came from. Recorded with each change, for diagnosis and lag reporting.</summary>
public enum CaptureSource
{
    /// <summary>A Cognito Lambda trigger carried the user's attributes.</summary>
    Trigger,

    /// <summary>
    /// The source pool was read (after a hint, an event, or by drift repair). The name predates failback and is stored
    /// in mirror items (<c>src</c>), so it stays.
    /// </summary>
    PrimaryRead,

    /// <summary>A scheduled sweep of the whole source pool.</summary>
    Sweep,

    /// <summary>A CloudTrail event (via EventBridge) led to a re-read.</summary>
    CloudTrail,

    /// <summary>An application published an IdentityReplicator.UserChanged hint.</summary>
    ApplicationHint,

    /// <summary>A full sync run.</summary>
    FullSync,
}

/// <summary>
/// What capture saw of one user at one moment. <see cref="ObservedAt"/> is the version: the moment the state was
/// known to be current. Parts that were not seen are <c>null</c> and keep their recorded value (a trigger event
/// carries attributes but not group memberships).
/// </summary>
public sealed record UserObservation
{
    public required string Key { get; init; }

    /// <summary>The username in the pool it was observed in.</summary>
    public required string Username { get; init; }

    public string? Sub { get; init; }

    public required string SourcePoolId { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    public required CaptureSource Source { get; init; }

    /// <summary>Attributes, enabled and status; <c>null</c> when not observed.</summary>
    public UserProfile? Profile { get; init; }

    /// <summary>Group names; <c>null</c> when not observed.</summary>
    public ImmutableArray<string>? Groups { get; init; }

    /// <summary>The user no longer exists in the source.</summary>
    public bool Deleted { get; init; }

    public static UserObservation Tombstone(string key, string username, string sourcePoolId, DateTimeOffset observedAt, CaptureSource source) => new()
    {
        Key = key,
        Username = username,
        SourcePoolId = sourcePoolId,
        ObservedAt = observedAt,
        Source = source,
        Deleted = true,
    };

    /// <summary>Group names in canonical order.</summary>
    public static ImmutableArray<string> NormalizeGroups(IEnumerable<string> groups) =>
        [.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>What capture saw of one group (name, description, precedence, IAM role) at one moment.</summary>
public sealed record GroupObservation
{
    public required string Name { get; init; }

    public required string SourcePoolId { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    public required CaptureSource Source { get; init; }

    public string? Description { get; init; }

    public int? Precedence { get; init; }

    public string? RoleArn { get; init; }

    public bool Deleted { get; init; }

    public string Hash => GroupContent.Hash(Description, Precedence, RoleArn, Deleted);
}

internal static class GroupContent
{
    public static string Hash(string? description, int? precedence, string? roleArn, bool deleted) => ContentHash.Of(sb =>
    {
        ContentHash.AppendField(sb, "d", description);
        ContentHash.AppendField(sb, "p", precedence?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ContentHash.AppendField(sb, "r", roleArn);
        ContentHash.AppendField(sb, "x", deleted ? "1" : "0");
    });
}
