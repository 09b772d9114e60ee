using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Direction;

/// <summary>
/// A worker's legs, one per configured pool: runs the one whose pool the control names as the target, and accepts
/// only feed entries the control's source recorded (while fenced, it keeps draining what the source recorded before).
/// </summary>
internal sealed class TargetLegs
{
    private readonly ReplicationControlReader _controlReader;
    private readonly IReadOnlyList<TargetLeg> _legs;
    private readonly ILogger<TargetLegs> _logger;
    private ReplicationControl? _active;

    public TargetLegs(ReplicationControlReader controlReader, IReadOnlyList<TargetLeg> legs, ILogger<TargetLegs> logger)
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
        var pool = entry.User?.SourcePoolId ?? entry.Group?.SourcePoolId ?? entry.Configuration?.SourcePoolId;
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
