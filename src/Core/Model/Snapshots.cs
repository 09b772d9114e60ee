using System.Collections.Immutable;

namespace IdentityReplicator.Core.Model;

/// <summary>
/// The recorded state of one user in the mirror table: the newest observation of each part, with each part's
/// version (observation time in ticks; 0 = never observed) and content hash. A deleted user is a tombstone.
/// </summary>
public sealed record UserSnapshot
{
    public required string Key { get; init; }

    public required string Username { get; init; }

    public string? Sub { get; init; }

    public required string SourcePoolId { get; init; }

    /// <summary><c>null</c> for a tombstone or when only groups were ever observed.</summary>
    public UserProfile? Profile { get; init; }

    public bool Deleted { get; init; }

    public long ProfileVersion { get; init; }

    public string? ProfileHash { get; init; }

    /// <summary><c>null</c> when memberships were never observed: leave the standby's as they are.</summary>
    public ImmutableArray<string>? Groups { get; init; }

    public long GroupsVersion { get; init; }

    public string? GroupsHash { get; init; }

    /// <summary>Where the last content change sits in the change feed.</summary>
    public string? FeedPosition { get; init; }

    /// <summary>When the last content change was observed in the primary.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    public CaptureSource ChangeSource { get; init; }
}

/// <summary>The recorded state of one group in the mirror table.</summary>
public sealed record GroupSnapshot
{
    public required string Name { get; init; }

    public required string SourcePoolId { get; init; }

    public string? Description { get; init; }

    public int? Precedence { get; init; }

    public string? RoleArn { get; init; }

    public bool Deleted { get; init; }

    public long Version { get; init; }

    public string? Hash { get; init; }

    public string? FeedPosition { get; init; }

    public DateTimeOffset ChangedAt { get; init; }
}
