using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Sync;

/// <summary>
/// Brings target users and groups to what the source holds, through the mirror and the apply engine: each entity is
/// first recorded as a snapshot (unless the mirror holds its content already), then reconciled against the target
/// listing, so only the calls that differ are made and live replication continues from the recorded state. Shared by
/// full sync (every entity) and drift repair (the ones that differ).
/// </summary>
public sealed class Converger
{
    /// <summary>Creates or updates target groups to match the source's.</summary>
    public async Task<IReadOnlyList<ApplyResult>> ConvergeGroupsAsync(ScopeRun run, IEnumerable<DirectoryGroup> groups, CaptureSource source, int concurrency, CancellationToken cancellationToken)
    {
        var inputs = run.Inputs;
        var results = new List<ApplyResult>();
        var gate = new Lock();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                var (snapshot, _) = await run.Recorder.RecordGroupAsync(inputs.Source, group, inputs.Mirror.Groups.GetValueOrDefault(group.Name), source, token);
                var result = snapshot is null ? new ApplyResult(ApplyOutcome.Skipped) : await run.Engine.ReconcileGroupAsync(snapshot, inputs.Target, token);
                lock (gate)
                {
                    results.Add(result);
                }
            });
        return results;
    }

    /// <summary>
    /// Records one source user and reconciles its target counterpart; the engine takes the user's apply lease while
    /// the snapshot is recorded.
    /// </summary>
    public Task<ApplyResult> ConvergeUserAsync(ScopeRun run, DirectoryUser user, CaptureSource source, CancellationToken cancellationToken)
    {
        var inputs = run.Inputs;
        var key = run.Recorder.KeyOf(user);
        return run.Engine.ReconcileUserAsync(
            key,
            async token => (await run.Recorder.RecordUserAsync(inputs.Source, user, inputs.Mirror.Users.GetValueOrDefault(key), source, token)).Snapshot,
            inputs.Target,
            inputs.Mirror.Applied.GetValueOrDefault(EntityId.ForUser(key)),
            cancellationToken);
    }

    /// <summary>
    /// Deletes what the source no longer has: mirror snapshots of users and groups gone from the source become
    /// tombstones (and are applied), then target users and groups no source entity stands for are deleted.
    /// Returns how many target users and groups were deleted.
    /// </summary>
    internal async Task<int> PruneAsync(ScopeRun run, DriftAnalysis analysis, CaptureSource source, CancellationToken cancellationToken)
    {
        var inputs = run.Inputs;
        var deleted = 0;
        var sourceKeys = inputs.Source.Users.Select(run.Recorder.KeyOf).ToHashSet(StringComparer.Ordinal);
        var handled = new HashSet<string>(inputs.Target.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var gone in inputs.Mirror.Users.Values.Where(u => !u.Deleted && !sourceKeys.Contains(u.Key)))
        {
            await run.Recorder.RecordUserGoneAsync(inputs.Source, gone, source, cancellationToken);
            if (await run.Mirror.GetUserAsync(gone.Key, cancellationToken) is { Deleted: true } tombstone)
            {
                var applied = inputs.Mirror.Applied.GetValueOrDefault(EntityId.ForUser(gone.Key));
                var result = await run.Engine.ReconcileUserAsync(tombstone, inputs.Target, applied, cancellationToken);
                if (result.Outcome is ApplyOutcome.Applied or ApplyOutcome.Deferred && applied?.TargetUsername is { } target)
                {
                    // Deferred: a worker holds the user's apply lease and applies what the mirror holds; leave it to it.
                    handled.Add(target);
                    deleted += result.Outcome == ApplyOutcome.Applied ? 1 : 0;
                }
            }
        }

        foreach (var user in analysis.UnmatchedTargetUsers.Where(u => !handled.Contains(u.Username)))
        {
            await run.Engine.DeleteUnmatchedUserAsync(user.Username, cancellationToken);
            deleted++;
        }

        var sourceGroups = inputs.Source.Groups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var goneGroups = inputs.Mirror.Groups.Values.Where(g => !g.Deleted && !sourceGroups.Contains(g.Name)).Select(g => g.Name)
            .Union(analysis.UnmatchedTargetGroups.Select(g => g.Name), StringComparer.Ordinal);
        foreach (var name in goneGroups)
        {
            await run.Recorder.RecordGroupGoneAsync(inputs.Source, name, source, cancellationToken);
            if (await run.Mirror.GetGroupAsync(name, cancellationToken) is { Deleted: true } tombstone
                && (await run.Engine.ReconcileGroupAsync(tombstone, inputs.Target, cancellationToken)).Outcome == ApplyOutcome.Applied)
            {
                deleted++;
            }
        }

        return deleted;
    }
}
