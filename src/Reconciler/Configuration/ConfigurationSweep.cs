using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// One configuration sweep: the whole configuration of the current direction's two pools compared, and the difference
/// applied (what capture missed: a lost record, a change made while the worker was down) one object at a time under
/// the object's apply lease, refusals parked per object (<see cref="ConfigurationFeed.SweepAsync"/>). A sweep reads
/// each pool whole — about a dozen calls plus two per app client and one per identity provider — through the quota
/// categories like every configuration call.
/// </summary>
internal sealed class ConfigurationSweep(IReadOnlyList<ConfigurationFeed> feeds, ReplicationControlReader control)
{
    /// <summary>Runs one pass; <c>null</c> when no feed of this worker writes the current target.</summary>
    public async Task<ConfigurationSweepResult?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var current = await control.CurrentAsync(cancellationToken);
        var feed = feeds.FirstOrDefault(f => f.TargetPoolId == current.TargetPoolId && f.SourcePoolId == current.SourcePoolId);
        return feed is null ? null : await feed.SweepAsync(cancellationToken);
    }
}

/// <summary>
/// Runs <see cref="ConfigurationSweep"/> at start and every <c>Replication:ConfigurationSweepInterval</c> (off when 0).
/// A failed pass is logged and the next one comes at its time; only cancellation ends it.
/// </summary>
internal sealed class ConfigurationSweepService(ConfigurationSweep sweep, IOptions<ConfigurationReplicationOptions> options, TimeProvider time, ILogger<ConfigurationSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ConfigurationSweepInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await sweep.RunOnceAsync(stoppingToken);
                ConfigurationLog.Swept(logger, result?.Result.Applied.Length ?? 0, result?.Result.Refused.Length ?? 0, result?.Deferred ?? 0);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ConfigurationLog.SweepFailed(logger, Reasons.Of(e), e);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
