using System.Collections.Concurrent;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Drift.Compact;

/// <summary>
/// Both pools and the mirror, listed at once and folded into compact rows as the pages arrive (nothing of a user but its
/// keys and digests is kept): the source's users and memberships and the mirror keyed by identity key, the target's
/// users and memberships by username. Each listing goes into its own <see cref="SpillSorter{T}"/>, which spills sorted
/// runs to the <see cref="SpillFolder"/> past its share of the budget. The groups (few) are kept whole.
/// </summary>
internal sealed class CompactListing : IDisposable
{
    private const int Sorters = 5;

    public CompactListing(SpillFolder folder, long budgetBytes, RecoverabilityTally recoverability)
    {
        Recoverability = recoverability;
        var share = Math.Max(1, budgetBytes / Sorters);
        SourceUsers = new(CompactCodecs.Source, CompactCodecs.SourceOrder, share, folder);
        SourceMembers = new(CompactCodecs.Member, CompactCodecs.MemberOrder, share, folder);
        Mirror = new(CompactCodecs.Mirror, CompactCodecs.MirrorOrder, share, folder);
        TargetUsers = new(CompactCodecs.Target, CompactCodecs.TargetOrder, share, folder);
        TargetMembers = new(CompactCodecs.Member, CompactCodecs.MemberOrder, share, folder);
    }

    public SpillSorter<SourceRow> SourceUsers { get; }

    /// <summary>Who could sign in after a failover, tallied from every source user as it is listed (not only the users read again).</summary>
    public RecoverabilityTally Recoverability { get; }

    public SpillSorter<MemberRow> SourceMembers { get; }

    public SpillSorter<MirrorRow> Mirror { get; }

    public SpillSorter<TargetRow> TargetUsers { get; }

    public SpillSorter<MemberRow> TargetMembers { get; }

    public IReadOnlyList<DirectoryGroup> SourceGroups { get; private set; } = [];

    public IReadOnlyList<DirectoryGroup> TargetGroups { get; private set; } = [];

    public IReadOnlyDictionary<string, GroupSnapshot> MirrorGroups { get; private set; } = new Dictionary<string, GroupSnapshot>();

    public int SourceListed => Volatile.Read(ref _sourceListed);

    public int TargetListed => Volatile.Read(ref _targetListed);

    private int _sourceListed;
    private int _targetListed;

    /// <summary>Lists everything at once; <paramref name="listed"/> hears "source" or "target" and the users listed so far.</summary>
    public Task ReadAsync(
        IUserDirectory source,
        IUserDirectory target,
        IMirrorCatalog catalog,
        string targetRegion,
        PoolDescription targetPool,
        DriftSettings settings,
        Action<string, int>? listed,
        CancellationToken cancellationToken) =>
        Task.WhenAll(
            ListSourceAsync(source, targetPool, settings, listed, cancellationToken),
            ListMembersAsync(source, username => IdentityKeys.ForUsername(username, settings.UsernamesCaseSensitive), SourceMembers, groups => SourceGroups = groups, cancellationToken),
            ListTargetAsync(target, targetPool, settings, listed, cancellationToken),
            ListMembersAsync(target, username => username, TargetMembers, groups => TargetGroups = groups, cancellationToken),
            ScanMirrorAsync(catalog, targetRegion, cancellationToken));

    public void Dispose()
    {
        SourceUsers.Dispose();
        SourceMembers.Dispose();
        Mirror.Dispose();
        TargetUsers.Dispose();
        TargetMembers.Dispose();
    }

    /// <summary>
    /// Every source user passes through here in full, once, as its listing page arrives: the one place to look at a
    /// whole source user during a compact read.
    /// </summary>
    internal static SourceRow Fold(DirectoryUser user, PoolDescription targetPool, DriftSettings settings)
    {
        // Only a pool that signs in by alias names a new user by an attribute: skip the filtered copy otherwise.
        var creationName = targetPool.SignsInByAlias
            ? targetPool.CreationName(user.Username, user.Attributes.Where(a => settings.IsReplicatedAttribute(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal))
            : targetPool.CreationName(user.Username, user.Attributes);
        return new SourceRow(
            IdentityKeys.ForUsername(user.Username, settings.UsernamesCaseSensitive),
            user.Username,
            UserFingerprint.ProfileOfSource(user, settings.IsReplicatedAttribute),
            ContentDigest.ProfileHashDigest(user.Attributes, user.Enabled, user.Status),
            creationName);
    }

    private async Task ListSourceAsync(IUserDirectory pool, PoolDescription targetPool, DriftSettings settings, Action<string, int>? listed, CancellationToken cancellationToken)
    {
        await foreach (var user in pool.ListUsersAsync(cancellationToken))
        {
            SourceUsers.Add(Fold(user, targetPool, settings));
            await Recoverability.AddAsync(user, cancellationToken);
            if (Interlocked.Increment(ref _sourceListed) % Core.Quotas.CognitoQuotas.ListUsersPageLimit == 0)
            {
                listed?.Invoke("source", _sourceListed);
            }
        }

        listed?.Invoke("source", _sourceListed);
    }

    private async Task ListTargetAsync(IUserDirectory pool, PoolDescription targetPool, DriftSettings settings, Action<string, int>? listed, CancellationToken cancellationToken)
    {
        var email = targetPool.UsernameAttributes.Contains("email");
        var phone = targetPool.UsernameAttributes.Contains("phone_number");
        await foreach (var user in pool.ListUsersAsync(cancellationToken))
        {
            TargetUsers.Add(new TargetRow(
                user.Username,
                UserFingerprint.ProfileOfTarget(user, settings.IsReplicatedAttribute),
                email ? NonEmpty(user.Attributes.GetValueOrDefault("email")) : null,
                phone ? NonEmpty(user.Attributes.GetValueOrDefault("phone_number")) : null));
            if (Interlocked.Increment(ref _targetListed) % Core.Quotas.CognitoQuotas.ListUsersPageLimit == 0)
            {
                listed?.Invoke("target", _targetListed);
            }
        }

        listed?.Invoke("target", _targetListed);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task ListMembersAsync(
        IUserDirectory pool, Func<string, string> keyOf, SpillSorter<MemberRow> members, Action<IReadOnlyList<DirectoryGroup>> groupsListed, CancellationToken cancellationToken)
    {
        var groups = new List<DirectoryGroup>();
        await foreach (var group in pool.ListGroupsAsync(cancellationToken))
        {
            groups.Add(group);
        }

        groupsListed(groups);
        await Parallel.ForEachAsync(
            groups.Select(g => g.Name).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                try
                {
                    await foreach (var username in pool.ListUsernamesInGroupAsync(group, token))
                    {
                        members.Add(new MemberRow(keyOf(username), group));
                    }
                }
                catch (Core.Cognito.ResourceNotFoundException)
                {
                    // Deleted while we read: no members.
                }
            });
    }

    private async Task ScanMirrorAsync(IMirrorCatalog catalog, string targetRegion, CancellationToken cancellationToken)
    {
        var groups = new ConcurrentDictionary<string, GroupSnapshot>(StringComparer.Ordinal);
        var noGroups = ContentHash.OfNames([]);
        await foreach (var item in catalog.ScanAsync(targetRegion, cancellationToken))
        {
            if (item.User is { } user)
            {
                Mirror.Add(new MirrorRow(
                    user.Key,
                    Snapshot: true,
                    user.Deleted,
                    user.ProfileHash is null ? null : CompactCodecs.Digest(user.ProfileHash),
                    CompactCodecs.Digest(user.GroupsHash ?? noGroups),
                    null));
            }
            else if (item.Group is { } group)
            {
                groups[group.Name] = group;
            }
            else if (item.Applied is { Entity.Kind: EntityKind.User, TargetUsername: { } applied } state)
            {
                Mirror.Add(new MirrorRow(state.Entity.Id, Snapshot: false, Deleted: false, null, default, applied));
            }
        }

        MirrorGroups = new Dictionary<string, GroupSnapshot>(groups, StringComparer.Ordinal);
    }
}
