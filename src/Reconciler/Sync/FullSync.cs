using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Sync;

public sealed record SyncRequest(bool DryRun = false, bool Prune = false);

/// <summary>What a sync did (or, in a dry run, would do).</summary>
public sealed record SyncResult
{
    public int SourceUsers { get; init; }

    public int SourceGroups { get; init; }

    /// <summary>Users and groups changed in the target.</summary>
    public int Applied { get; init; }

    /// <summary>Users and groups that already matched (no Cognito call needed).</summary>
    public int InSync { get; init; }

    /// <summary>Source users replication does not copy (unconfirmed, federated).</summary>
    public int NotReplicated { get; init; }

    public int Parked { get; init; }

    /// <summary>Users and groups another worker was applying at that moment (it held their apply lease): left to it.</summary>
    public int Deferred { get; init; }

    public int Failed { get; init; }

    /// <summary>Target users and groups deleted (with --prune).</summary>
    public int Deleted { get; init; }

    /// <summary>Target users and groups the source does not have, left in place without --prune.</summary>
    public IReadOnlyList<string> PendingDeletes { get; init; } = [];

    /// <summary>In a dry run: the differences that a sync would remove.</summary>
    public DriftReport? Plan { get; init; }

    public TimeSpan Elapsed { get; init; }
}

/// <summary>Progress of a running sync, read by progress bars (thread-safe counters).</summary>
public sealed class SyncProgress
{
    private int _total;
    private int _done;
    private int _applied;
    private int _failed;
    private int _listed;
    private volatile string _phase = "starting";

    public string Phase => _phase;

    public int Total => Volatile.Read(ref _total);

    public int Done => Volatile.Read(ref _done);

    public int Applied => Volatile.Read(ref _applied);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Source users listed so far (while reading).</summary>
    public int Listed => Volatile.Read(ref _listed);

    internal void Enter(string phase) => _phase = phase;

    internal void SetTotal(int total) => Volatile.Write(ref _total, total);

    internal void SetListed(int listed) => Volatile.Write(ref _listed, listed);

    internal void Count(ApplyOutcome? outcome)
    {
        Interlocked.Increment(ref _done);
        if (outcome is null)
        {
            Interlocked.Increment(ref _failed);
        }
        else if (outcome == ApplyOutcome.Applied)
        {
            Interlocked.Increment(ref _applied);
        }
    }
}

/// <summary>
/// Full sync, from the source to the target the control names (<see cref="SyncScope"/>): reads both pools whole (users,
/// groups, memberships — per group, not per user), records a snapshot of every source user and group whose content the
/// mirror lacks (<see cref="CaptureSource.FullSync"/>, so live replication continues from there), and converges the
/// target through the apply engine: groups first,
/// then users, many at once, each paced by its calls' quota categories. Deletes happen only with
/// <see cref="SyncRequest.Prune"/>; without it they are listed. Re-running after an interruption costs the reads and
/// nothing else for what was finished (the engine compares against the listing and makes no call for a user in step);
/// a user created by the first run is found by the second, so none is created twice.
/// </summary>
public sealed class FullSync(SyncScope scope, Converger converger, SyncOptions options, ILogger<FullSync> logger, CompactReadOptions? compact = null)
{
    public async Task<SyncResult> RunAsync(SyncRequest request, SyncProgress? progress, CancellationToken cancellationToken)
    {
        progress ??= new SyncProgress();
        var started = scope.Time.GetTimestamp();
        progress.Enter("reading both pools");
        if (request.DryRun)
        {
            return await PlanAsync(progress, started, cancellationToken);
        }

        var run = await scope.ReadAsync((pool, n) => { if (pool == "source") { progress.SetListed(n); } }, cancellationToken);
        var inputs = run.Inputs;
        var analysis = DriftDetector.Analyze(inputs, scope.Settings(run, showValues: false), scope.Time.GetUtcNow());
        var pending = analysis.UnmatchedTargetUsers.Select(u => "user " + (u.Sub ?? u.Username))
            .Concat(analysis.UnmatchedTargetGroups.Select(g => "group " + g.Name))
            .ToList();
        var result = new SyncResult
        {
            SourceUsers = inputs.Source.UserCount,
            SourceGroups = inputs.Source.Groups.Length,
            NotReplicated = analysis.Report.Summary.UsersNotReplicated,
        };
        Log.SyncRead(logger, inputs.Source.UserCount, inputs.Source.Groups.Length, inputs.Target.UserCount, analysis.Report.Summary.Differences);
        progress.Enter("groups");
        var groupResults = await converger.ConvergeGroupsAsync(run, inputs.Source.Groups, CaptureSource.FullSync, options.Concurrency, cancellationToken);

        progress.Enter("users");
        progress.SetTotal(inputs.Source.UserCount);
        int applied = 0, inSync = 0, parked = 0, deferred = 0, failed = 0;
        await Parallel.ForEachAsync(
            inputs.Source.Users,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (user, token) =>
            {
                try
                {
                    var outcome = (await converger.ConvergeUserAsync(run, user, CaptureSource.FullSync, token)).Outcome;
                    _ = outcome switch
                    {
                        ApplyOutcome.Applied => Interlocked.Increment(ref applied),
                        ApplyOutcome.Parked => Interlocked.Increment(ref parked),
                        ApplyOutcome.Deferred => Interlocked.Increment(ref deferred),
                        _ => Interlocked.Increment(ref inSync),
                    };
                    progress.Count(outcome);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    // Left for the next run (or the reconciler, which follows the snapshot if it was recorded).
                    Interlocked.Increment(ref failed);
                    progress.Count(null);
                    Log.SyncUserFailed(logger, IdentityKeys.Fingerprint(user.Username), Reasons.Of(e));
                    Log.SyncUserFailedDetail(logger, IdentityKeys.Fingerprint(user.Username), e);
                }
            });

        var deleted = 0;
        if (request.Prune)
        {
            progress.Enter("pruning");
            deleted = await converger.PruneAsync(run, analysis, CaptureSource.FullSync, cancellationToken);
            pending = [];
        }

        progress.Enter("done");
        result = result with
        {
            Applied = applied + groupResults.Count(r => r.Outcome == ApplyOutcome.Applied),
            InSync = inSync - analysis.Report.Summary.UsersNotReplicated + groupResults.Count(r => r.Outcome is not (ApplyOutcome.Applied or ApplyOutcome.Deferred)),
            Parked = parked,
            Deferred = deferred + groupResults.Count(r => r.Outcome == ApplyOutcome.Deferred),
            Failed = failed,
            Deleted = deleted,
            PendingDeletes = pending,
            Elapsed = scope.Time.GetElapsedTime(started),
        };
        Log.SyncDone(logger, result.Applied, result.InSync, result.Failed, result.Deleted, result.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>
    /// A dry run: the plan is the drift report of a compact read (<see cref="SyncScope.ReadFocusedAsync"/>) — both pools
    /// and the mirror folded into fingerprints, only unsettled users read again — so planning needs no more memory for a
    /// large pool than for a small one.
    /// </summary>
    private async Task<SyncResult> PlanAsync(SyncProgress progress, long started, CancellationToken cancellationToken)
    {
        var focused = await scope.ReadFocusedAsync(compact ?? CompactReadOptions.Default, (pool, n) => { if (pool == "source") { progress.SetListed(n); } }, showValues: false, cancellationToken);
        var inputs = focused.Run.Inputs;
        var analysis = Drift.Compact.CompactDrift.Analyze(inputs, focused.Focus, focused.Recoverability, scope.Settings(focused.Run, showValues: false), scope.Time.GetUtcNow());
        Log.SyncRead(logger, focused.Focus.SourceUsers, inputs.Source.Groups.Length, focused.Focus.TargetUsers, analysis.Report.Summary.Differences);
        return new SyncResult
        {
            SourceUsers = focused.Focus.SourceUsers,
            SourceGroups = inputs.Source.Groups.Length,
            NotReplicated = analysis.Report.Summary.UsersNotReplicated,
            Plan = analysis.Report,
            PendingDeletes = [.. analysis.UnmatchedTargetUsers.Select(u => "user " + (u.Sub ?? u.Username)).Concat(analysis.UnmatchedTargetGroups.Select(g => "group " + g.Name))],
            Elapsed = scope.Time.GetElapsedTime(started),
        };
    }
}
