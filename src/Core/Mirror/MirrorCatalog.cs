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

    /// <summary>
    /// The same items one at a time, for readers that fold them into a compact form instead of holding them all
    /// (drift, sync and the sweep at scale). The default reads them whole.
    /// </summary>
    async IAsyncEnumerable<MirrorItem> ScanAsync(string? appliedRegion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var contents = await ReadAllAsync(appliedRegion, cancellationToken);
        foreach (var user in contents.Users.Values)
        {
            yield return new MirrorItem(user, null, null);
        }

        foreach (var group in contents.Groups.Values)
        {
            yield return new MirrorItem(null, group, null);
        }

        foreach (var applied in contents.Applied.Values)
        {
            yield return new MirrorItem(null, null, applied);
        }
    }
}

/// <summary>One item of a mirror scan: a user snapshot, a group snapshot, or one Region's applied state.</summary>
public sealed record MirrorItem(UserSnapshot? User, GroupSnapshot? Group, AppliedState? Applied);

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
