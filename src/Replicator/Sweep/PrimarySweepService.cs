using IdentityReplicator.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>Runs <see cref="PrimarySweep"/> on its schedule until the host stops; a failed sweep is logged and the next runs on time.</summary>
public sealed class PrimarySweepService(PrimarySweep sweep, SweepOptions options, TimeProvider time, ILogger<PrimarySweepService> logger) : BackgroundService
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
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!runNow)
                {
                    var wait = schedule.Next(time.GetUtcNow()) - time.GetUtcNow();
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
                }

                runNow = false;
                await sweep.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SweepFailed(logger, Reasons.Of(e));
            }
        }
    }
}
