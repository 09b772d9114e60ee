using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Feed;

namespace IdentityReplicator.Reconciler.Direction;

/// <summary>
/// Replication into one pool: the pool written (the target), that Region's apply state, and the feed poller that
/// applies to it. A worker holds one leg per configured pool; the control's target decides which runs.
/// </summary>
internal sealed class TargetLeg(string targetPoolId, string targetRegion, FeedPoller poller, IReplicaStateStore state, int feedBuckets)
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
