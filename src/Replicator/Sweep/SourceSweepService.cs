using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Scheduling;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>
/// Runs <see cref="SourceSweep"/> on its schedule until the host stops, and sooner when a request for any of
/// <paramref name="poolIds"/> is pending (requests coalesce; at most one requested sweep per
/// <see cref="SweepOptions.MinimumRequestedInterval"/>). A failed sweep is logged and the next runs on time.
/// </summary>
internal sealed class SourceSweepService(SourceSweep sweep, ISweepRequests requests, IReadOnlyList<string> poolIds, SweepOptions options, TimeProvider time, ILogger<SourceSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        var schedule = RunSchedule.From(options.Schedule, options.Interval);
        Log.SweepScheduled(logger, schedule.Description);
        var runNow = options.RunOnStart;
        var next = schedule.Next(time.GetUtcNow());
        var lastRequested = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var requested = !runNow && now < next && now - lastRequested >= options.MinimumRequestedInterval
                    && await AnyPendingAsync(stoppingToken);
                if (!runNow && now < next && !requested)
                {
                    var wait = next - now;
                    await Task.Delay(wait < options.RequestCheckInterval ? wait : options.RequestCheckInterval, time, stoppingToken);
                    continue;
                }

                runNow = false;
                var started = time.GetUtcNow();
                if (requested)
                {
                    // Tried counts, failed or not: a failing requested sweep waits its interval like a successful one.
                    lastRequested = started;
                }

                await sweep.RunOnceAsync(stoppingToken);

                // Requests that came before this sweep began are answered by it.
                foreach (var poolId in poolIds)
                {
                    await requests.CompleteAsync(poolId, started, stoppingToken);
                }

                next = schedule.Next(time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SweepFailed(logger, Reasons.Of(e));
                Log.SweepFailedDetail(logger, e);

                // Never again at once, or a failure that lasts would spin (and spend the pool's ListUsers quota): a
                // failed scheduled sweep waits for its next run, and whatever failed waits one request check first.
                if (time.GetUtcNow() >= next)
                {
                    next = schedule.Next(time.GetUtcNow());
                }

                try
                {
                    await Task.Delay(options.RequestCheckInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> AnyPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var poolId in poolIds)
        {
            if (await requests.PendingAsync(poolId, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }
}
