using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// The worker's canary in native mode: prepares the canary (retrying until it can), then writes it in the primary every
/// <see cref="NativeReplicationOptions.CanaryInterval"/> and reads it at the secondary every
/// <see cref="NativeReplicationOptions.CanaryPollInterval"/>. A failed write or read is logged, recorded on the monitor
/// (health reports it once the replica goes stale) and retried at the next tick; only cancellation ends it.
/// </summary>
internal sealed class NativeCanaryService(NativeCanary canary, NativeReplicationOptions options, TimeProvider time, ILogger<NativeCanaryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prepared = false;
        var nextWrite = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!prepared)
                {
                    await canary.PrepareAsync(stoppingToken);
                    prepared = true;
                    Log.CanaryStarted(logger, options.CanaryInterval.TotalSeconds, options.CanaryPollInterval.TotalMilliseconds);
                }

                if (time.GetUtcNow() >= nextWrite)
                {
                    nextWrite = time.GetUtcNow() + options.CanaryInterval;
                    await canary.WriteAsync(stoppingToken);
                }

                await canary.ReadAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                canary.Monitor.Failed(Reasons.Of(e));
                Log.CanaryFailed(logger, Reasons.Of(e));
                Log.CanaryFailedDetail(logger, e);
            }

            try
            {
                await Task.Delay(prepared ? options.CanaryPollInterval : options.CanaryInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
