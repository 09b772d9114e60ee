using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Direction;

/// <summary>
/// One direction replication can run in: the pool it writes (the target), that Region's apply state, and the feed
/// poller that applies to it. A worker holds one leg per pool, so a failover only changes which one runs.
/// </summary>
public sealed class ReplicationLeg(string targetPoolId, string targetRegion, FeedPoller poller, IReplicaStateStore state, int feedBuckets)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _initialized;

    public string TargetPoolId { get; } = targetPoolId;

    public string TargetRegion { get; } = targetRegion;

    public FeedPoller Poller { get; } = poller;

    public bool Initialized => Volatile.Read(ref _initialized);

    /// <summary>
    /// Loads checkpoints once. A leg that never ran and starts because a failover reversed replication begins at the
    /// moment of the reversal (the poller re-reads its look-back behind that), not at the start of the feed: what was
    /// written before came from the pool it now writes to.
    /// </summary>
    public async Task<(int Resumed, int Parked)> InitializeAsync(ReplicationControl control, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return (0, 0);
            }

            if (control.Epoch > 0 && control.ChangedAt > DateTimeOffset.MinValue)
            {
                var start = MirrorTable.PositionFloor(control.ChangedAt);
                for (var bucket = 0; bucket < feedBuckets; bucket++)
                {
                    if (await state.GetCheckpointAsync(TargetRegion, bucket, cancellationToken) is null)
                    {
                        await state.PutCheckpointAsync(TargetRegion, bucket, start, cancellationToken);
                    }
                }
            }

            var result = await Poller.InitializeAsync(cancellationToken);
            Volatile.Write(ref _initialized, true);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// Which way the reconciler applies, decided by the replication control item (<see cref="ReplicationControlReader"/>):
/// the leg whose pool is the control's target runs, and it applies only snapshots recorded by the control's source
/// pool. With no control item that is the configured primary → standby. While a failover has fenced the source the
/// leg keeps draining what the source recorded before the fence.
/// </summary>
public sealed class ReplicationRoute
{
    private readonly ReplicationControlReader _controlReader;
    private readonly IReadOnlyList<ReplicationLeg> _legs;
    private readonly ILogger<ReplicationRoute> _logger;
    private ReplicationControl? _active;

    public ReplicationRoute(ReplicationControlReader controlReader, IReadOnlyList<ReplicationLeg> legs, ILogger<ReplicationRoute> logger)
    {
        _controlReader = controlReader;
        _legs = legs;
        _logger = logger;
    }

    /// <summary>The poller that ran last (for metrics), <c>null</c> before the first poll.</summary>
    public FeedPoller? Active { get; private set; }

    /// <summary>The control the active leg follows (the configured one before the first read).</summary>
    public ReplicationControl Current => Volatile.Read(ref _active) ?? _controlReader.Known;

    /// <summary>Whether a feed entry came from the current source (entries without a recorded pool are accepted).</summary>
    public bool Accepts(FeedEntry entry)
    {
        var pool = entry.User?.SourcePoolId ?? entry.Group?.SourcePoolId;
        return string.IsNullOrEmpty(pool) || string.Equals(pool, Current.SourcePoolId, StringComparison.Ordinal);
    }

    /// <summary>The poller to run now (initialized), or <c>null</c> when no leg of this worker writes the target pool.</summary>
    public async Task<FeedPoller?> ActiveAsync(CancellationToken cancellationToken)
    {
        var control = await _controlReader.CurrentAsync(cancellationToken);
        var leg = _legs.FirstOrDefault(l => string.Equals(l.TargetPoolId, control.TargetPoolId, StringComparison.Ordinal));
        var previous = Volatile.Read(ref _active);
        Volatile.Write(ref _active, control);
        if (previous is null || previous.Epoch != control.Epoch)
        {
            Log.DirectionChanged(_logger, control.Epoch, control.SourcePoolId, control.TargetPoolId, control.Writable, leg is not null);
        }

        if (leg is null)
        {
            Active = null;
            return null;
        }

        if (!leg.Initialized)
        {
            var (resumed, parked) = await leg.InitializeAsync(control, cancellationToken);
            Log.Started(_logger, leg.TargetPoolId, leg.TargetRegion, leg.Poller.BucketCount, resumed, parked);
        }

        Active = leg.Poller;
        return leg.Poller;
    }

    /// <summary>Saves the positions of every leg that ran (on stop).</summary>
    public async Task FlushCheckpointsAsync(CancellationToken cancellationToken)
    {
        foreach (var leg in _legs.Where(l => l.Initialized))
        {
            await leg.Poller.FlushCheckpointsAsync(cancellationToken);
        }
    }
}
