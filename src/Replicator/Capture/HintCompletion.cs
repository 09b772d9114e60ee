using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// Completes capture hints: reads each hinted user from the source pool by its username and records the snapshot of
/// whoever holds it now (a user that is gone by then needs nothing — a hint never writes a tombstone; one that does not
/// exist yet is retried with backoff until <see cref="CaptureOptions.HintGiveUpAfter"/>). A username Cognito would
/// reject (<see cref="CognitoIdentifiers"/>), or does reject, drops the hint at once, counted as <c>Invalid</c>.
/// Hints of another pool are read with <paramref name="otherReaders"/>; hints of a pool without a reader are dropped.
/// </summary>
internal sealed class HintCompletion(
    ICaptureHintQueue hints,
    IMirrorStore mirror,
    SourceReader reader,
    CaptureOptions options,
    TimeProvider time,
    ILogger<HintCompletion> logger,
    IReadOnlyDictionary<string, SourceReader>? otherReaders = null)
{
    private const int BatchSize = 100;

    /// <summary>Completes the hints that are due; returns how many it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await hints.DueAsync(time.GetUtcNow(), BatchSize, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var perUser = due.GroupBy(h => (h.SourcePoolId, h.Username)).Select(g => g.ToList()).ToList();
        await Parallel.ForEachAsync(
            perUser,
            new ParallelOptions { MaxDegreeOfParallelism = options.HintConcurrency, CancellationToken = cancellationToken },
            async (group, token) => await CompleteAsync(group, token));
        return due.Count;
    }

    private async Task CompleteAsync(List<CaptureHint> group, CancellationToken cancellationToken)
    {
        var first = group.MinBy(h => h.FirstSeen)!;
        var user = IdentityKeys.Fingerprint(first.Username);
        try
        {
            var poolReader = string.Equals(first.SourcePoolId, options.PrimaryPoolId, StringComparison.Ordinal)
                ? reader
                : otherReaders?.GetValueOrDefault(first.SourcePoolId);
            if (poolReader is null)
            {
                await CompleteAllAsync(group, cancellationToken);
                return;
            }

            if (CognitoIdentifiers.Problem(first.Username, sub: null, groupName: null) is { } problem)
            {
                await DropAsync(group, user, problem, cancellationToken);
                return;
            }

            // Hints are mostly brand-new users (no groups yet): read the profile only and spare the source's
            // UserResourceRead quota. Later membership changes are captured by the sweep and CloudTrail events.
            var observation = await poolReader.ReadUserAsync(first.Username, CaptureSource.PrimaryRead, includeGroups: false, cancellationToken);
            if (observation is null)
            {
                var age = time.GetUtcNow() - first.FirstSeen;
                if (age > options.HintGiveUpAfter)
                {
                    Log.HintAbandoned(logger, user, age.TotalSeconds);
                    await CompleteAllAsync(group, cancellationToken);
                }
                else
                {
                    Log.HintNotYetVisible(logger, user, first.Attempts + 1);
                    await hints.RescheduleAsync(first, time.GetUtcNow() + Backoff(first.Attempts), cancellationToken);
                    await CompleteAllAsync(group.Where(h => h != first), cancellationToken);
                }

                return;
            }

            var outcome = await mirror.RecordUserAsync(observation, cancellationToken);
            ReplicationMetrics.Captured.Add(1, new("source", "hint"), new("outcome", outcome.ToString()));
            Log.HintCompleted(logger, user, outcome.ToString());
            await CompleteAllAsync(group, cancellationToken);
        }
        catch (InvalidParameterException e)
        {
            // Cognito refuses the username however often it is asked: retrying would only keep the hint forever.
            Log.EventRejectedByCognito(logger, "capture hint", e);
            await DropAsync(group, user, "Cognito rejected the username as invalid (InvalidParameterException)", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.HintFailed(logger, user, Reasons.Of(e));
            Log.HintFailedDetail(logger, user, e);
            try
            {
                await hints.RescheduleAsync(first, time.GetUtcNow() + Backoff(first.Attempts), cancellationToken);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                Log.HintRescheduleFailed(logger, user, Reasons.Of(again), again);
            }
        }
    }

    /// <summary>A hint that can never succeed: counted and removed, not retried.</summary>
    private async Task DropAsync(List<CaptureHint> group, string user, string problem, CancellationToken cancellationToken)
    {
        Log.HintInvalid(logger, user, problem);
        ReplicationMetrics.Captured.Add(1, new("source", "hint"), new("outcome", nameof(EventCaptureOutcome.Invalid)));
        await CompleteAllAsync(group, cancellationToken);
    }

    private async Task CompleteAllAsync(IEnumerable<CaptureHint> group, CancellationToken cancellationToken)
    {
        foreach (var hint in group)
        {
            await hints.CompleteAsync(hint, cancellationToken);
        }
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempts, 10))));
}

/// <summary>Runs <see cref="HintCompletion"/> until the host stops: fast while there is work, slower when idle.</summary>
internal sealed class HintCompletionService(HintCompletion completion, CaptureOptions options, TimeProvider time, ILogger<HintCompletionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.HintIdlePollInterval;
            try
            {
                if (await completion.RunOnceAsync(stoppingToken) > 0)
                {
                    delay = options.HintPollInterval;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.HintPassFailed(logger, Reasons.Of(e));
                Log.HintPassFailedDetail(logger, e);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
