using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Direction;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler;

/// <summary>
/// The reconciler's hosted service: checks the mirror table, then polls the change feed until the host stops —
/// quickly while changes flow, backing off to <see cref="ReconcilerOptions.IdlePollInterval"/> when quiet. A failed
/// pass is logged and retried; only cancellation ends it. Positions are saved on the way out. It applies to the pool the
/// control names as the target (<see cref="TargetLegs"/>).
/// </summary>
internal sealed class ReconcilerService(
    TargetLegs legs,
    ReconcilerStartup startup,
    ReconcilerHealth health,
    ApplyEngine engine,
    IOptions<ReconcilerOptions> options,
    TimeProvider time,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    private readonly FeedActivityLog _activity = new(time, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await startup.RunAsync(stoppingToken);
        ReplicationMetrics.FeedBehind(() => legs.Active?.Behind.TotalSeconds ?? 0);
        ReplicationMetrics.ParkedNow(() => engine.ParkedCount);
        health.Started(time.GetUtcNow());
        var idle = options.Value.PollInterval;
        var denied = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var poller = await legs.ActiveAsync(stoppingToken);
                var handled = poller is null ? 0 : await poller.PollOnceAsync(stoppingToken);
                health.Polled(time.GetUtcNow());
                denied = TimeSpan.Zero;
                idle = handled > 0
                    ? options.Value.PollInterval
                    : TimeSpan.FromTicks(Math.Min(options.Value.IdlePollInterval.Ticks, Math.Max(idle.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks)));
            }
            catch (ApplyPermissionException e) when (!stoppingToken.IsCancellationRequested)
            {
                // Systemic: nothing is parked; back off (1 s, doubling up to a minute) and try the same entries again.
                denied = PermissionBackoff(denied, options.Value.IdlePollInterval);
                Log.PermissionDenied(logger, e.ErrorCode, e.Message, denied.TotalSeconds, e);
                health.Failed(Reasons.Of(e));
                idle = denied;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PollFailed(logger, Reasons.Of(e));
                Log.PollFailedDetail(logger, e);
                health.Failed(Reasons.Of(e));
                idle = options.Value.IdlePollInterval;
            }

            _activity.Observe(legs.Active?.Statistics, legs.Active?.Behind ?? TimeSpan.Zero, engine.ParkedCount);
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

    /// <summary>The wait after another pass failed for lack of permission: at least a second, doubling, at most a minute.</summary>
    public static TimeSpan PermissionBackoff(TimeSpan previous, TimeSpan idle)
    {
        var first = idle > TimeSpan.FromSeconds(1) ? idle : TimeSpan.FromSeconds(1);
        var next = previous <= TimeSpan.Zero ? first : previous * 2;
        return next > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : next;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await legs.FlushCheckpointsAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PollFailed(logger, Reasons.Of(e));
            Log.PollFailedDetail(logger, e);
        }
    }
}

/// <summary>
/// Start-up checks, retried until they pass: the mirror table exists and was created with the same feed bucket count,
/// the pool replication writes can be described; then its checkpoints and parked entities are loaded.
/// </summary>
internal sealed class ReconcilerStartup(
    TargetLegs legs,
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
                    throw new ConfigurationException(
                        $"Mirror table '{mirror.Value.TableName}' was created with {buckets} feed buckets but Mirror:FeedBuckets is {mirror.Value.FeedBuckets}; set Mirror:FeedBuckets to {buckets} here and in the Replicator function.");
                }

                await legs.ActiveAsync(cancellationToken);
                Volatile.Write(ref _done, 1);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A setting to change is said in words; anything else (the table, the network, a bug) with its stack.
                Log.CannotStart(logger, e is ConfigurationException ? e.Message : Reasons.Of(e), e is ConfigurationException ? null : e);
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
            }
        }
    }
}

/// <summary>What the reconciler's health check reports: started, and when the feed was last read successfully.</summary>
public sealed class ReconcilerHealth
{
    private long _startedTicks;
    private long _lastPollTicks;
    private string? _lastError;

    public DateTimeOffset? StartedAt => Read(ref _startedTicks);

    public DateTimeOffset? LastPollAt => Read(ref _lastPollTicks);

    public string? LastError => Volatile.Read(ref _lastError);

    public void Started(DateTimeOffset at) => Interlocked.Exchange(ref _startedTicks, at.UtcTicks);

    public void Polled(DateTimeOffset at)
    {
        Interlocked.Exchange(ref _lastPollTicks, at.UtcTicks);
        Volatile.Write(ref _lastError, null);
    }

    public void Failed(string reason) => Volatile.Write(ref _lastError, reason);

    /// <summary>Ready: started, and the feed was read successfully within <paramref name="window"/>.</summary>
    public (bool Ready, string Reason) Check(DateTimeOffset now, TimeSpan window)
    {
        if (StartedAt is null)
        {
            return (false, "starting: checking the mirror table and the target pool");
        }

        if (LastPollAt is not { } last || now - last > window)
        {
            return (false, $"the change feed has not been read successfully for over {window.TotalSeconds:0} s{(LastError is { } error ? $" (last error: {error})" : string.Empty)}");
        }

        return (true, "following the change feed");
    }

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }
}
