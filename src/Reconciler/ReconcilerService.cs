using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Direction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler;

/// <summary>
/// The reconciler's hosted service: checks the mirror table, then polls the change feed until the host stops —
/// quickly while changes flow, backing off to <see cref="ReconcilerOptions.IdlePollInterval"/> when quiet. A failed
/// pass is logged and retried; only cancellation ends it. Positions are saved on the way out. Which pool it applies to
/// follows the replication control item (<see cref="ReplicationRoute"/>), so after a failover it runs the other way.
/// </summary>
public sealed class ReconcilerService(
    ReplicationRoute route,
    ReconcilerStartup startup,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await startup.RunAsync(stoppingToken);
        var idle = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var poller = await route.ActiveAsync(stoppingToken);
                var handled = poller is null ? 0 : await poller.PollOnceAsync(stoppingToken);
                idle = handled > 0
                    ? options.Value.PollInterval
                    : TimeSpan.FromTicks(Math.Min(options.Value.IdlePollInterval.Ticks, Math.Max(idle.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks)));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PollFailed(logger, Reasons.Of(e));
                idle = options.Value.IdlePollInterval;
            }

            try
            {
                await Task.Delay(idle, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await route.FlushCheckpointsAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PollFailed(logger, Reasons.Of(e));
        }
    }
}

/// <summary>
/// Start-up checks, retried until they pass: the mirror table exists and was created with the same feed bucket count,
/// the pool replication writes can be described; then its checkpoints and parked entities are loaded.
/// </summary>
public sealed class ReconcilerStartup(
    ReplicationRoute route,
    MirrorClients mirrorClients,
    IOptions<MirrorOptions> mirror,
    IOptions<ReplicationOptions> replication,
    TimeProvider time,
    ILogger<ReconcilerStartup> logger)
{
    private int _done;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _done) == 1)
        {
            return;
        }

        var standby = replication.Value.Standby;
        while (true)
        {
            try
            {
                var recorded = await MirrorTable.ReadFeedBucketsAsync(mirrorClients.For(standby.Region), mirror.Value.TableName, cancellationToken);
                if (recorded is { } buckets && buckets != mirror.Value.FeedBuckets)
                {
                    throw new InvalidOperationException(
                        $"Mirror table '{mirror.Value.TableName}' was created with {buckets} feed buckets but Mirror:FeedBuckets is {mirror.Value.FeedBuckets}; set Mirror:FeedBuckets to {buckets} here and in the Replicator function.");
                }

                await route.ActiveAsync(cancellationToken);
                Volatile.Write(ref _done, 1);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Log.CannotStart(logger, e is InvalidOperationException ? e.Message : Reasons.Of(e));
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
            }
        }
    }
}
