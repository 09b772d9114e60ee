using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Feed;

/// <summary>
/// Follows the change feed, bucket by bucket: reads entries after its position, applies the newest entry per entity
/// (entities in parallel, bounded), and moves on. Every few seconds it re-reads a look-back window to catch entries
/// that became visible late; what was applied already is skipped. A bucket's position never passes an entry that
/// failed transiently; one that keeps failing is parked so the bucket can move on. Positions are saved as
/// checkpoints, so a restarted reconciler resumes where it stopped.
/// </summary>
public sealed class FeedPoller
{
    private const int MaxPagesPerPoll = 20;

    private readonly IMirrorStore _mirror;
    private readonly IReplicaStateStore _state;
    private readonly ApplyEngine _engine;
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FeedPoller> _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly BucketState[] _buckets;
    private readonly Dictionary<EntityId, int> _failures = [];
    private readonly Lock _failuresGate = new();
    private DateTimeOffset _lastLookBack = DateTimeOffset.MinValue;

    public FeedPoller(IMirrorStore mirror, IReplicaStateStore state, ApplyEngine engine, ReconcilerOptions options, TimeProvider time, ILogger<FeedPoller> logger)
    {
        _mirror = mirror;
        _state = state;
        _engine = engine;
        _options = options;
        _time = time;
        _logger = logger;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _buckets = Enumerable.Range(0, mirror.FeedBuckets).Select(b => new BucketState(b)).ToArray();
    }

    /// <summary>Totals since start, for progress reporting.</summary>
    public FeedStatistics Statistics { get; } = new();

    /// <summary>Loads checkpoints and parked entities; returns how many buckets resumed from a checkpoint.</summary>
    public async Task<int> InitializeAsync(CancellationToken cancellationToken)
    {
        var resumed = 0;
        foreach (var bucket in _buckets)
        {
            var checkpoint = await _state.GetCheckpointAsync(_engine.Region, bucket.Number, cancellationToken);
            if (checkpoint is not null)
            {
                bucket.Saved = checkpoint;
                bucket.Cursor = MirrorTable.PositionFloor(MirrorTable.TimeOf(checkpoint) - _options.LookBack);
                resumed++;
            }
        }

        await _engine.LoadParkedAsync(cancellationToken);
        await _engine.DescribeStandbyAsync(cancellationToken);
        return resumed;
    }

    /// <summary>One pass over every bucket. Returns how many feed entries were handled.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lookBack = now - _lastLookBack >= _options.LookBackInterval;
        if (lookBack)
        {
            _lastLookBack = now;
        }

        var counts = await Task.WhenAll(_buckets.Select(b => PollBucketAsync(b, lookBack, cancellationToken)));
        return counts.Sum();
    }

    /// <summary>Saves every bucket's position now (on stop).</summary>
    public async Task FlushCheckpointsAsync(CancellationToken cancellationToken)
    {
        foreach (var bucket in _buckets)
        {
            await SaveCheckpointAsync(bucket, force: true, cancellationToken);
        }
    }

    private async Task<int> PollBucketAsync(BucketState bucket, bool lookBack, CancellationToken cancellationToken)
    {
        var position = bucket.Cursor;
        if (lookBack && bucket.Saved is not null)
        {
            var floor = MirrorTable.PositionFloor(MirrorTable.TimeOf(bucket.Saved) - _options.LookBack);
            if (string.CompareOrdinal(floor, position) < 0)
            {
                position = floor;
            }
        }

        var handled = 0;
        for (var page = 0; page < MaxPagesPerPoll; page++)
        {
            var feed = await _mirror.ReadFeedAsync(bucket.Number, position, _options.BatchSize, cancellationToken);
            if (feed.Entries.Count == 0)
            {
                break;
            }

            handled += feed.Entries.Count;
            var newest = feed.Entries
                .GroupBy(e => e.Entity)
                .Select(g => g.MaxBy(e => e.Position, StringComparer.Ordinal)!)
                .ToList();
            var outcomes = await Task.WhenAll(newest.Select(e => ApplyOneAsync(e, cancellationToken)));
            var failed = newest.Where((_, i) => !outcomes[i]).Select(e => e.Position).Order(StringComparer.Ordinal).FirstOrDefault();
            var last = feed.Entries[^1].Position;
            if (failed is not null)
            {
                // Do not pass the failed entry: next poll starts just before it (what follows it is skipped as applied).
                var before = feed.Entries.Where(e => string.CompareOrdinal(e.Position, failed) < 0).Select(e => e.Position).LastOrDefault();
                position = before ?? position;
                if (string.CompareOrdinal(position, bucket.Cursor) > 0)
                {
                    bucket.Cursor = position;
                }

                break;
            }

            position = last;
            if (string.CompareOrdinal(last, bucket.Cursor) > 0)
            {
                bucket.Cursor = last;
            }

            if (!feed.HasMore && feed.Entries.Count < _options.BatchSize)
            {
                break;
            }
        }

        await SaveCheckpointAsync(bucket, force: false, cancellationToken);
        return handled;
    }

    /// <summary>Applies one entry; <c>false</c> when it failed transiently and must be retried.</summary>
    private async Task<bool> ApplyOneAsync(FeedEntry entry, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            var result = await _engine.ApplyAsync(entry, cancellationToken);
            Statistics.Count(result.Outcome);
            lock (_failuresGate)
            {
                _failures.Remove(entry.Entity);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Throttling or 5xx that outlasted the call's own retries, the network, the mirror table, or a bug:
            // retry on the next poll. Systemic problems (permissions, the table) never park anything.
            int attempts;
            lock (_failuresGate)
            {
                attempts = _failures[entry.Entity] = _failures.GetValueOrDefault(entry.Entity) + 1;
            }

            Log.ApplyFailed(_logger, entry.Entity.ToString(), Reasons.Of(e), attempts);
            Statistics.CountFailure();
            if (attempts < _options.MaxTransientFailures || e is NotAuthorizedException or MirrorStoreException or HttpRequestException)
            {
                return false;
            }

            var version = entry.User is { } user ? Math.Max(user.ProfileVersion, user.GroupsVersion) : entry.Group!.Version;
            await _engine.ParkAfterFailuresAsync(entry.Entity, attempts, e, version, cancellationToken);
            lock (_failuresGate)
            {
                _failures.Remove(entry.Entity);
            }

            return true;
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private async Task SaveCheckpointAsync(BucketState bucket, bool force, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (bucket.Cursor.Length == 0 || bucket.Cursor == bucket.Saved || (!force && now - bucket.SavedAt < _options.CheckpointInterval))
        {
            return;
        }

        // Checkpoints only move forward; the look-back window is applied when they are read.
        if (bucket.Saved is not null && string.CompareOrdinal(bucket.Cursor, bucket.Saved) <= 0)
        {
            return;
        }

        await _state.PutCheckpointAsync(_engine.Region, bucket.Number, bucket.Cursor, cancellationToken);
        bucket.Saved = bucket.Cursor;
        bucket.SavedAt = now;
    }

    private sealed class BucketState(int number)
    {
        public int Number { get; } = number;

        /// <summary>Feed position after which this bucket reads next.</summary>
        public string Cursor { get; set; } = string.Empty;

        public string? Saved { get; set; }

        public DateTimeOffset SavedAt { get; set; }
    }
}

/// <summary>Counts of what the poller did since it started.</summary>
public sealed class FeedStatistics
{
    private long _applied;
    private long _inSync;
    private long _skipped;
    private long _parked;
    private long _failures;

    public long Applied => Interlocked.Read(ref _applied);

    public long InSync => Interlocked.Read(ref _inSync);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Parked => Interlocked.Read(ref _parked);

    public long Failures => Interlocked.Read(ref _failures);

    internal void Count(ApplyOutcome outcome)
    {
        switch (outcome)
        {
            case ApplyOutcome.Applied: Interlocked.Increment(ref _applied); break;
            case ApplyOutcome.InSync: Interlocked.Increment(ref _inSync); break;
            case ApplyOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
            case ApplyOutcome.Parked: Interlocked.Increment(ref _parked); break;
        }
    }

    internal void CountFailure() => Interlocked.Increment(ref _failures);
}
