using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Drift.Compact;
using IdentityReplicator.Reconciler.Drift.Recoverability;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Drift;

/// <param name="ShowValues">Attribute values in the report (personal data) instead of their digests.</param>
/// <param name="Repair">Repair what differs, then report what remains.</param>
/// <param name="Progress">Where the listing reports how far it has come (for a display on a terminal), or nothing.</param>
public sealed record DriftRequest(bool ShowValues = false, bool Repair = false, ListingProgress? Progress = null);

/// <summary>Produces drift reports (<see cref="DriftReporter"/>; faked in tests of what is done with a report).</summary>
public interface IDriftReporter
{
    Task<DriftReport> RunAsync(DriftRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Produces a drift report of the target against the source the control names (<see cref="SyncScope"/>): reads both
/// pools, the mirror and the parked entities, compares them (<see cref="DriftDetector"/>), and on request repairs what
/// differs through the apply engine — missing and differing groups, then every user with a difference, then what the
/// target has and the source not — and compares again to report what remains.
/// </summary>
public sealed class DriftReporter(
    SyncScope scope,
    Converger converger,
    SyncOptions options,
    ILogger<DriftReporter> logger,
    ConfigurationDrift? configuration = null,
    CompactReadOptions? compact = null,
    Func<string, string, IRecoveryFactsReader?>? recoveryFacts = null,
    INativeReplicaInspector? native = null) : IDriftReporter
{
    private readonly CompactReadOptions _compact = compact ?? CompactReadOptions.Default;

    public async Task<DriftReport> RunAsync(DriftRequest request, CancellationToken cancellationToken)
    {
        // Configuration first: a repair adds the custom attributes users need before users are repaired.
        var direction = await scope.DirectionAsync(cancellationToken);
        var configurationSection = configuration is null ? null : await configuration.RunAsync(direction.Target.PoolId, request.Repair, cancellationToken);
        var report = await UsersAsync(request, cancellationToken);
        if (native is not null)
        {
            report = report with { Native = await native.InspectAsync(cancellationToken) };
        }

        return configurationSection is null
            ? report
            : report with { Configuration = configurationSection, Summary = report.Summary with { ConfigDifferences = configurationSection.Differences } };
    }

    private async Task<DriftReport> UsersAsync(DriftRequest request, CancellationToken cancellationToken)
    {
        // Both pools and the mirror in compact form; only users that differ (or cannot be settled so) are read again.
        var (run, analysis) = await AnalyzeAsync(request.ShowValues, cancellationToken, request.Progress);
        var inputs = run.Inputs;
        var report = analysis.Report;
        Log.DriftReported(logger, report.Summary.Differences, report.Summary.Parked, report.Summary.MirrorBehind);
        if (!request.Repair || (report.Summary.InSync && report.Parked.Length == 0))
        {
            return request.Repair ? report with { Repair = new RepairOutcome(0, 0, 0, report.Summary.Differences) } : report;
        }

        var groups = report.Differences.Where(d => d.Kind is DriftKind.GroupMissing or DriftKind.GroupProperties)
            .Select(d => inputs.Source.Group(d.Group!)!)
            .ToList();
        var parkedUsers = report.Parked.Where(p => p.Entity == "user")
            .Select(p => inputs.Source.Users.FirstOrDefault(u => u.Sub is not null && u.Sub == p.Sub))
            .OfType<Core.Pools.DirectoryUser>();
        var users = analysis.DriftedUsers.Union(parkedUsers).ToList();
        int applied = 0, failed = 0;
        foreach (var result in await converger.ConvergeGroupsAsync(run, groups, CaptureSource.PrimaryRead, options.Concurrency, cancellationToken))
        {
            _ = result.Outcome == ApplyOutcome.Applied ? Interlocked.Increment(ref applied) : 0;
        }

        await Parallel.ForEachAsync(
            users,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (user, token) =>
            {
                try
                {
                    var result = await converger.ConvergeUserAsync(run, user, CaptureSource.PrimaryRead, token);
                    // A user another worker was applying (Deferred) is left to it; the report read afterwards says whether it arrived.
                    _ = result.Outcome switch
                    {
                        ApplyOutcome.Parked => Interlocked.Increment(ref failed),
                        ApplyOutcome.Deferred => 0,
                        _ => Interlocked.Increment(ref applied),
                    };
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    Log.RepairFailed(logger, "user:" + IdentityKeys.Fingerprint(user.Username), Reasons.Of(e));
                    Log.RepairFailedDetail(logger, "user:" + IdentityKeys.Fingerprint(user.Username), e);
                }
            });

        applied += await converger.PruneAsync(run, analysis, CaptureSource.PrimaryRead, cancellationToken);
        var (_, after) = await AnalyzeAsync(request.ShowValues, cancellationToken);
        Log.DriftReported(logger, after.Report.Summary.Differences, after.Report.Summary.Parked, after.Report.Summary.MirrorBehind);
        return report with { Repair = new RepairOutcome(users.Count + groups.Count + analysis.UnmatchedTargetUsers.Count + analysis.UnmatchedTargetGroups.Count, applied, failed, after.Report.Summary.Differences) };
    }

    private async Task<(ScopeRun Run, DriftAnalysis Analysis)> AnalyzeAsync(bool showValues, CancellationToken cancellationToken, ListingProgress? progress = null)
    {
        var focused = await scope.ReadFocusedAsync(_compact, null, showValues, cancellationToken, progress, recoveryFacts);
        var run = focused.Run;
        Log.DriftCompactRead(logger, focused.Focus.SourceUsers, focused.Focus.TargetUsers, focused.Focus.SourceUsernames.Count + focused.Focus.TargetUsernames.Count, focused.SpillFiles);
        return (run, CompactDrift.Analyze(run.Inputs, focused.Focus, focused.Recoverability, scope.Settings(run, showValues), scope.Time.GetUtcNow()));
    }
}
