using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>What one sweep saw and recorded.</summary>
internal sealed record SweepResult(int Users, int Groups, int Recorded, int Tombstones, int Unchanged, TimeSpan Elapsed);

/// <summary>A pool the sweep can read as the source, with the mirror table in its Region (where it records).</summary>
internal sealed record SweepSource(IUserDirectory Pool, IMirrorStore Mirror, IMirrorCatalog Catalog);

/// <summary>
/// Reads the whole source pool (users, groups, memberships per group) and records what the triggers missed — admin
/// edits, enable/disable, group and membership changes, and deletions as tombstones. Only what differs from the mirror
/// is written, versioned at the moment the listing began, so a change captured meanwhile is newer and wins. It sweeps
/// the source the control names (<paramref name="configured"/> or one of <paramref name="otherPools"/>); fenced, nothing.
/// </summary>
internal sealed class SourceSweep(
    IUserDirectory configured,
    IMirrorStore mirror,
    IMirrorCatalog catalog,
    bool usernamesCaseSensitive,
    SweepOptions options,
    TimeProvider time,
    ILogger<SourceSweep> logger,
    ReplicationControlReader? controlReader = null,
    IReadOnlyList<SweepSource>? otherPools = null)
{
    private readonly SweepSource _configured = new(configured, mirror, catalog);

    /// <summary>The pool to sweep now, or <c>null</c> (with the reason) when nothing may be recorded.</summary>
    public async Task<(SweepSource? Source, string Why)> SourceAsync(CancellationToken cancellationToken)
    {
        if (controlReader is null)
        {
            return (_configured, "no replication control");
        }

        var control = await controlReader.CurrentAsync(cancellationToken, refresh: true);
        if (!control.Writable)
        {
            return (null, $"a failover has fenced replication ({control})");
        }

        var source = new[] { _configured }.Concat(otherPools ?? [])
            .FirstOrDefault(s => string.Equals(s.Pool.PoolId, control.SourcePoolId, StringComparison.Ordinal));
        return source is null
            ? (null, $"the source pool {control.SourcePoolId} is not one this worker can read ({control})")
            : (source, control.ToString());
    }

    /// <summary>One pass; <paramref name="progress"/> hears how far the listing has come (for a display on a terminal).</summary>
    public async Task<SweepResult> RunOnceAsync(CancellationToken cancellationToken, ListingProgress? progress = null)
    {
        var started = time.GetTimestamp();
        var (source, why) = await SourceAsync(cancellationToken);
        if (source is null)
        {
            Log.SweepSkipped(logger, why);
            return new SweepResult(0, 0, 0, 0, 0, time.GetElapsedTime(started));
        }

        if (!ReferenceEquals(source, _configured))
        {
            Log.SweepSource(logger, source.Pool.PoolId, why);
        }

        if (progress is not null)
        {
            progress.Expect("source", (await source.Pool.DescribeAsync(cancellationToken)).EstimatedUsers);
            progress.Enter("listing");
        }

        var recorder = new InventoryRecorder(source.Mirror, usernamesCaseSensitive);
        var startedAt = time.GetUtcNow();
        int recorded = 0, tombstones = 0, unchanged = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        var groups = new List<DirectoryGroup>();
        var mirrorGroups = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
        int users;

        // Users, memberships and the mirror folded into sorted runs (spilled past the budget), then walked in key order:
        // only what the mirror does not hold already is recorded.
        using (var folder = new SpillFolder(SpillRoot))
        using (var fold = new SweepFold(folder, BudgetBytes ?? options.CompactMemoryBudgetMb * 1024L * 1024L))
        {
            await Task.WhenAll(
                ListUsersAsync(source.Pool, fold, usernamesCaseSensitive, progress, cancellationToken),
                ListMembersAsync(source.Pool, fold, groups, usernamesCaseSensitive, options.Concurrency, cancellationToken),
                ScanMirrorAsync(source.Catalog, fold, mirrorGroups, cancellationToken));
            progress?.Enter("recording");
            var groupInventory = new PoolInventory(source.Pool.PoolId, startedAt, usernamesCaseSensitive, [], groups, new Dictionary<string, IReadOnlyCollection<string>>());
            await Parallel.ForEachAsync(groupInventory.Groups, parallel, async (group, token) =>
            {
                var (_, outcome) = await recorder.RecordGroupAsync(groupInventory, group, mirrorGroups.GetValueOrDefault(group.Name), CaptureSource.Sweep, token);
                Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
            });

            await Parallel.ForEachAsync(fold.Walk(), parallel, async (work, token) =>
            {
                if (work.User is { } user)
                {
                    var inventory = new PoolInventory(
                        source.Pool.PoolId, startedAt, usernamesCaseSensitive, [user], groups, work.Groups.ToDictionary(g => g, _ => (IReadOnlyCollection<string>)[user.Username], StringComparer.Ordinal));
                    var (_, outcome) = await recorder.RecordUserAsync(inventory, user, null, CaptureSource.Sweep, token);
                    Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
                }
                else if (work.Gone is { } gone
                    && await recorder.RecordUserGoneAsync(groupInventory, new UserSnapshot { Key = gone.Key, Username = gone.Username, SourcePoolId = source.Pool.PoolId }, CaptureSource.Sweep, token) == RecordOutcome.Changed)
                {
                    Interlocked.Increment(ref tombstones);
                }
            });
            users = fold.UserCount;
            unchanged += fold.Unchanged;
        }

        foreach (var gone in mirrorGroups.Values.Where(g => !g.Deleted && !groups.Exists(s => s.Name == g.Name)))
        {
            var inventory = new PoolInventory(source.Pool.PoolId, startedAt, usernamesCaseSensitive, [], groups, new Dictionary<string, IReadOnlyCollection<string>>());
            if (await recorder.RecordGroupGoneAsync(inventory, gone.Name, CaptureSource.Sweep, cancellationToken) == RecordOutcome.Changed)
            {
                tombstones++;
            }
        }

        var result = new SweepResult(users, groups.Count, recorded, tombstones, unchanged, time.GetElapsedTime(started));
        Log.SweepCompleted(logger, result.Users, result.Groups, result.Recorded, result.Tombstones, result.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>Where the sweep's spill folder is made (the system's temporary folder when null).</summary>
    internal string? SpillRoot { get; init; }

    /// <summary>The spill budget in bytes, when not the options' megabytes (tests spill after a few hundred bytes).</summary>
    internal long? BudgetBytes { get; init; }

    private static async Task ListUsersAsync(IUserDirectory pool, SweepFold fold, bool caseSensitive, ListingProgress? progress, CancellationToken cancellationToken)
    {
        var listed = 0;
        await foreach (var user in pool.ListUsersAsync(cancellationToken))
        {
            fold.Users.Add(new SweepUserRow(IdentityKeys.ForUsername(user.Username, caseSensitive), user));
            if (++listed % Core.Quotas.CognitoQuotas.ListUsersPageLimit == 0)
            {
                progress?.Listed("source", listed);
            }
        }

        progress?.Listed("source", listed);
    }

    private static async Task ListMembersAsync(IUserDirectory pool, SweepFold fold, List<DirectoryGroup> groups, bool caseSensitive, int concurrency, CancellationToken cancellationToken)
    {
        await foreach (var group in pool.ListGroupsAsync(cancellationToken))
        {
            if (!groups.Exists(g => g.Name == group.Name))
            {
                groups.Add(group);
            }
        }

        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(concurrency, 8), CancellationToken = cancellationToken },
            async (group, token) =>
            {
                try
                {
                    await foreach (var username in pool.ListUsernamesInGroupAsync(group.Name, token))
                    {
                        fold.Members.Add(new SweepMemberRow(IdentityKeys.ForUsername(username, caseSensitive), group.Name));
                    }
                }
                catch (Core.Cognito.ResourceNotFoundException)
                {
                    // Deleted while we read: no members.
                }
            });
    }

    private static async Task ScanMirrorAsync(IMirrorCatalog catalog, SweepFold fold, Dictionary<string, GroupSnapshot> groups, CancellationToken cancellationToken)
    {
        await foreach (var item in catalog.ScanAsync(appliedRegion: null, cancellationToken))
        {
            if (item.User is { } user)
            {
                fold.Mirror.Add(new SweepMirrorRow(user.Key, user.Username, user.Deleted, user.Groups is not null, user.ProfileHash, user.GroupsHash));
            }
            else if (item.Group is { } group)
            {
                groups[group.Name] = group;
            }
        }
    }
}
