using System.Collections.Concurrent;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Compact;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>How a compact read keeps its rows: in memory up to <paramref name="BudgetBytes"/>, past it in sorted runs in a folder of <paramref name="SpillRoot"/> (the system's temporary folder when null).</summary>
/// <param name="BudgetBytes">The memory the compact rows may take before they spill (<c>Drift:CompactMemoryBudgetMb</c>).</param>
/// <param name="SpillRoot">Where the run's owner-only spill folder is made; deleted when the read ends.</param>
/// <param name="Concurrency">How many users are read again at once (each read is paced by its quota category).</param>
public sealed record CompactReadOptions(long BudgetBytes, string? SpillRoot = null, int Concurrency = 8)
{
    public static CompactReadOptions Default { get; } = new(DriftOptions.DefaultCompactMemoryBudgetMb * 1024L * 1024L);
}

/// <summary>A run whose inputs hold only the users a compact read could not settle, and what it settled.</summary>
internal sealed record FocusedRun(ScopeRun Run, CompactFocus Focus, int SpillFiles, RecoverabilitySection Recoverability);

public sealed partial class SyncScope
{
    /// <summary>
    /// Reads both pools and the mirror in compact form (<see cref="CompactListing"/>, <see cref="CompactPairing"/>), then
    /// reads again, user by user (AdminGetUser and AdminListGroupsForUser), only what it could not settle: the returned
    /// run's inputs hold those users (with their counterparts, mirror snapshots and applied state), every group, and the
    /// mirror snapshots of users the source no longer has — so <see cref="DriftDetector"/>, repair and pruning work on
    /// them exactly as on a whole read, and the settled users are counted in <see cref="FocusedRun.Focus"/>.
    /// </summary>
    internal async Task<FocusedRun> ReadFocusedAsync(CompactReadOptions options, Action<string, int>? listed, bool showValues, CancellationToken cancellationToken, ListingProgress? progress = null, Func<string, string, IRecoveryFactsReader?>? recoveryFacts = null)
    {
        var (control, source, target) = await DirectionAsync(cancellationToken);
        var targetPool = await target.Engine.DescribeTargetAsync(cancellationToken);
        if (progress is not null)
        {
            // The pools' estimated sizes give a person watching the time left (one UserPoolRead call more).
            progress.Expect("source", (await source.Pool.DescribeAsync(cancellationToken)).EstimatedUsers);
            progress.Expect("target", targetPool.EstimatedUsers);
            progress.Enter("listing");
            listed = listed is null ? progress.Listed : listed + progress.Listed;
        }

        var settings = new DriftSettings(Replication.UsernamesCaseSensitive, target.Engine.IsReplicated);
        var sourceNames = Replication.UsernamesCaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var startedAt = Time.GetUtcNow();
        CompactFocus focus;
        IReadOnlyList<DirectoryGroup> sourceGroups, targetGroups;
        IReadOnlyDictionary<string, GroupSnapshot> mirrorGroups;
        List<ParkedEntity> parked;
        int spillFiles;
        // Who can sign in after a failover, counted as the source is listed, with the facts recovery-plan reads.
        await using var recoverability = await RecoverabilityTally.StartAsync(
            recoveryFacts?.Invoke(source.PoolId, target.PoolId), showValues, Replication.UsernamesCaseSensitive, options.Concurrency, cancellationToken);
        using (var folder = new SpillFolder(options.SpillRoot))
        using (var listing = new CompactListing(folder, options.BudgetBytes, recoverability))
        {
            var parkedRead = ListParkedAsync(target, cancellationToken);
            await Task.WhenAll(listing.ReadAsync(source.Pool, target.Pool, target.Catalog, target.Region, targetPool, settings, listed, cancellationToken), parkedRead);
            parked = await parkedRead;
            var parkedUsers = parked.Where(p => p.Entity.Kind == EntityKind.User).Select(p => p.Entity.Id).ToHashSet(sourceNames);
            progress?.Enter("comparing");
            focus = CompactPairing.Pair(listing, targetPool, parkedUsers, folder, options.BudgetBytes);
            (sourceGroups, targetGroups, mirrorGroups, spillFiles) = (listing.SourceGroups, listing.TargetGroups, listing.MirrorGroups, folder.Files);
        }

        var recoverable = await recoverability.CompleteAsync();

        progress?.Enter("reading differing users");
        var read = new FocusedReread(source, target, targetPool, settings, sourceNames);
        await read.ReadAsync(focus, options.Concurrency, cancellationToken);
        target.Engine.TrackParked(parked);
        var inputs = new DriftInputs(
            read.Source(startedAt, sourceGroups),
            source.Region,
            read.Target(startedAt, targetGroups),
            target.Region,
            targetPool,
            new MirrorContents(read.Snapshots, mirrorGroups, read.Applied),
            parked);
        return new FocusedRun(new ScopeRun(control, source, target, inputs, Replication.UsernamesCaseSensitive), focus, spillFiles, recoverable);
    }

    /// <summary>The users a compact read left unsettled, read again one by one, with what the mirror holds for them.</summary>
    private sealed class FocusedReread(PoolEnd source, PoolEnd target, PoolDescription targetPool, DriftSettings settings, StringComparer sourceNames)
    {
        private readonly ConcurrentDictionary<string, (DirectoryUser User, IReadOnlyList<string> Groups)> _source = new(sourceNames);
        private readonly ConcurrentDictionary<string, (DirectoryUser User, IReadOnlyList<string> Groups)> _target =
            new(targetPool.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

        private readonly ConcurrentDictionary<string, UserSnapshot> _snapshots = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<EntityId, AppliedState> _applied = new();

        public IReadOnlyDictionary<string, UserSnapshot> Snapshots => new Dictionary<string, UserSnapshot>(_snapshots, StringComparer.Ordinal);

        public IReadOnlyDictionary<EntityId, AppliedState> Applied => new Dictionary<EntityId, AppliedState>(_applied);

        public async Task ReadAsync(CompactFocus focus, int concurrency, CancellationToken cancellationToken)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(focus.SourceUsernames.Distinct(sourceNames), parallel, SourceUserAsync);
            await Parallel.ForEachAsync(focus.TargetUsernames, parallel, async (username, token) => await TargetUserAsync(username, token));
            await Parallel.ForEachAsync(focus.GoneKeys, parallel, async (key, token) =>
            {
                if (await target.Mirror.GetUserAsync(key, token) is { } snapshot)
                {
                    _snapshots[key] = snapshot;
                }
            });
        }

        public PoolInventory Source(DateTimeOffset startedAt, IReadOnlyList<DirectoryGroup> groups) =>
            Inventory(source.PoolId, startedAt, settings.UsernamesCaseSensitive, _source, groups);

        public PoolInventory Target(DateTimeOffset startedAt, IReadOnlyList<DirectoryGroup> groups) =>
            Inventory(target.PoolId, startedAt, targetPool.CaseSensitive, _target, groups);

        private static PoolInventory Inventory(
            string poolId, DateTimeOffset startedAt, bool caseSensitive, ConcurrentDictionary<string, (DirectoryUser User, IReadOnlyList<string> Groups)> users, IReadOnlyList<DirectoryGroup> groups)
        {
            var members = users.Values.SelectMany(u => u.Groups.Select(g => (Group: g, u.User.Username)))
                .GroupBy(m => m.Group, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)[.. g.Select(m => m.Username)], StringComparer.Ordinal);
            return new PoolInventory(poolId, startedAt, caseSensitive, users.Values.Select(u => u.User), groups, members);
        }

        /// <summary>A source user, its mirror snapshot and applied state, and its counterpart as <see cref="DriftDetector.Counterpart"/> finds it.</summary>
        private async ValueTask SourceUserAsync(string username, CancellationToken cancellationToken)
        {
            var user = await source.Pool.FindUserAsync(username, cancellationToken);
            if (user is null || !sourceNames.Equals(user.Username, username))
            {
                return; // Gone since it was listed.
            }

            _source[user.Username] = (user, await source.Pool.ListGroupsForUserAsync(user.Username, cancellationToken));
            var key = IdentityKeys.ForUsername(user.Username, settings.UsernamesCaseSensitive);
            if (await target.Mirror.GetUserAsync(key, cancellationToken) is { } snapshot)
            {
                _snapshots[key] = snapshot;
            }

            var applied = await target.State.GetAppliedAsync(target.Region, EntityId.ForUser(key), cancellationToken);
            if (applied is not null)
            {
                _applied[applied.Entity] = applied;
            }

            if (applied?.TargetUsername is { } mapped && await TargetUserAsync(mapped, cancellationToken))
            {
                return;
            }

            var desired = user.Attributes.Where(a => settings.IsReplicatedAttribute(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            if (targetPool.CreationName(user.Username, desired) is { } name)
            {
                await TargetUserAsync(name, cancellationToken, byAlias: true);
            }
        }

        /// <summary>Reads a target user by username (or, <paramref name="byAlias"/>, by alias as Cognito resolves it); whether it exists.</summary>
        private async Task<bool> TargetUserAsync(string name, CancellationToken cancellationToken, bool byAlias = false)
        {
            var user = await target.Pool.FindUserAsync(name, cancellationToken);
            var names = targetPool.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
            if (user is null || (!byAlias && !names.Equals(user.Username, name)))
            {
                return false;
            }

            if (!_target.ContainsKey(user.Username))
            {
                _target[user.Username] = (user, await target.Pool.ListGroupsForUserAsync(user.Username, cancellationToken));
            }

            return true;
        }
    }
}
