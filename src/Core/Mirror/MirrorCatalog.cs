using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// Everything the mirror table holds about users and groups, read in one scan: the snapshots, and (optionally) what
/// one Region's reconciler applied. For the source sweep (users the mirror has but the source lost), full sync
/// (what is recorded already) and drift reports (is the mirror behind the source).
/// </summary>
public interface IMirrorCatalog
{
    Task<MirrorContents> ReadAllAsync(string? appliedRegion, CancellationToken cancellationToken);
}

/// <summary>The result of <see cref="IMirrorCatalog.ReadAllAsync"/>; snapshots by identity key and group name.</summary>
public sealed record MirrorContents(
    IReadOnlyDictionary<string, UserSnapshot> Users,
    IReadOnlyDictionary<string, GroupSnapshot> Groups,
    IReadOnlyDictionary<EntityId, AppliedState> Applied)
{
    public static MirrorContents Empty { get; } = new(
        new Dictionary<string, UserSnapshot>(StringComparer.Ordinal),
        new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal),
        new Dictionary<EntityId, AppliedState>());
}
