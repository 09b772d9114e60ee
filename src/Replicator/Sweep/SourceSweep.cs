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

    public async Task<SweepResult> RunOnceAsync(CancellationToken cancellationToken)
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

        var recorder = new InventoryRecorder(source.Mirror, usernamesCaseSensitive);
        var inventoryRead = PoolInventory.ReadAsync(source.Pool, usernamesCaseSensitive, time, cancellationToken);
        var contentsRead = source.Catalog.ReadAllAsync(appliedRegion: null, cancellationToken);
        await Task.WhenAll(inventoryRead, contentsRead);
        var inventory = await inventoryRead;
        var contents = await contentsRead;
        int recorded = 0, tombstones = 0, unchanged = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(inventory.Groups, parallel, async (group, token) =>
        {
            var (_, outcome) = await recorder.RecordGroupAsync(inventory, group, contents.Groups.GetValueOrDefault(group.Name), CaptureSource.Sweep, token);
            Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
        });

        await Parallel.ForEachAsync(inventory.Users, parallel, async (user, token) =>
        {
            var (_, outcome) = await recorder.RecordUserAsync(inventory, user, contents.Users.GetValueOrDefault(recorder.KeyOf(user)), CaptureSource.Sweep, token);
            Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
        });

        var keys = inventory.Users.Select(recorder.KeyOf).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(contents.Users.Values.Where(u => !u.Deleted && !keys.Contains(u.Key)), parallel, async (gone, token) =>
        {
            if (await recorder.RecordUserGoneAsync(inventory, gone, CaptureSource.Sweep, token) == RecordOutcome.Changed)
            {
                Interlocked.Increment(ref tombstones);
            }
        });

        foreach (var gone in contents.Groups.Values.Where(g => !g.Deleted && inventory.Group(g.Name) is null))
        {
            if (await recorder.RecordGroupGoneAsync(inventory, gone.Name, CaptureSource.Sweep, cancellationToken) == RecordOutcome.Changed)
            {
                tombstones++;
            }
        }

        var result = new SweepResult(inventory.UserCount, inventory.Groups.Length, recorded, tombstones, unchanged, time.GetElapsedTime(started));
        Log.SweepCompleted(logger, result.Users, result.Groups, result.Recorded, result.Tombstones, result.Elapsed.TotalSeconds);
        return result;
    }
}
