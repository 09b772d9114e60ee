using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>What one sweep saw and recorded.</summary>
public sealed record SweepResult(int Users, int Groups, int Recorded, int Tombstones, int Unchanged, TimeSpan Elapsed);

/// <summary>
/// Reads the whole primary pool (users, groups, memberships per group) and records what the triggers missed: admin
/// attribute edits, enable/disable, group and membership changes, new groups, and deletions — a user or group the
/// mirror holds but the primary no longer has becomes a tombstone. Only what differs from the mirror is written.
/// Versions are the moment the listing began, so a change captured while the sweep ran is newer and wins; a user
/// created after the listing began is never tombstoned (its snapshot is newer than the tombstone would be).
/// </summary>
public sealed class PrimarySweep(
    IUserDirectory primary,
    IMirrorStore mirror,
    IMirrorCatalog catalog,
    bool usernamesCaseSensitive,
    SweepOptions options,
    TimeProvider time,
    ILogger<PrimarySweep> logger)
{
    private readonly InventoryRecorder _recorder = new(mirror, usernamesCaseSensitive);

    public async Task<SweepResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var inventoryRead = PoolInventory.ReadAsync(primary, usernamesCaseSensitive, time, cancellationToken);
        var contentsRead = catalog.ReadAllAsync(appliedRegion: null, cancellationToken);
        await Task.WhenAll(inventoryRead, contentsRead);
        var inventory = await inventoryRead;
        var contents = await contentsRead;
        int recorded = 0, tombstones = 0, unchanged = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(inventory.Groups, parallel, async (group, token) =>
        {
            var (_, outcome) = await _recorder.RecordGroupAsync(inventory, group, contents.Groups.GetValueOrDefault(group.Name), CaptureSource.Sweep, token);
            Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
        });

        await Parallel.ForEachAsync(inventory.Users, parallel, async (user, token) =>
        {
            var (_, outcome) = await _recorder.RecordUserAsync(inventory, user, contents.Users.GetValueOrDefault(_recorder.KeyOf(user)), CaptureSource.Sweep, token);
            Interlocked.Increment(ref outcome == RecordOutcome.Changed ? ref recorded : ref unchanged);
        });

        var keys = inventory.Users.Select(_recorder.KeyOf).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(contents.Users.Values.Where(u => !u.Deleted && !keys.Contains(u.Key)), parallel, async (gone, token) =>
        {
            if (await _recorder.RecordUserGoneAsync(inventory, gone, CaptureSource.Sweep, token) == RecordOutcome.Changed)
            {
                Interlocked.Increment(ref tombstones);
            }
        });

        foreach (var gone in contents.Groups.Values.Where(g => !g.Deleted && inventory.Group(g.Name) is null))
        {
            if (await _recorder.RecordGroupGoneAsync(inventory, gone.Name, CaptureSource.Sweep, cancellationToken) == RecordOutcome.Changed)
            {
                tombstones++;
            }
        }

        var result = new SweepResult(inventory.UserCount, inventory.Groups.Length, recorded, tombstones, unchanged, time.GetElapsedTime(started));
        Log.SweepCompleted(logger, result.Users, result.Groups, result.Recorded, result.Tombstones, result.Elapsed.TotalSeconds);
        return result;
    }
}
