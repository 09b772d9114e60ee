using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Feed;

/// <summary>
/// Follows the change feed, bucket by bucket: reads entries after its position, applies the newest entry per entity
/// (entities in parallel, bounded), and moves on. Every few seconds it re-reads a look-back window to catch entries
/// that became visible late; what was applied already is skipped. An entry that failed transiently is read again on
/// every poll (and the saved checkpoint never passes it) until it applies, or until it has failed
/// <see cref="ReconcilerOptions.MaxTransientFailures"/> times and is parked. An entry deferred because another worker
/// holds its apply lease is read again the same way, but is never counted as a failure nor parked. A permission error
/// (<see cref="ApplyPermissionException"/>) is never parked: the pass finishes, then fails with it. Positions are saved as checkpoints, so
/// a restarted reconciler resumes where it stopped.
/// </summary>
internal sealed class FeedPoller
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
    private readonly Func<FeedEntry, bool>? _accept;
    private readonly ConfigurationFeed? _configuration;
    private Exception? _systemic;
    private DateTimeOffset _lastLookBack = DateTimeOffset.MinValue;

    /// <summary>
    /// <paramref name="accept"/> says which entries to apply; the others are skipped (counted as
    /// <see cref="ApplyOutcome.Skipped"/>) and the position moves past them. The reconciler's route uses it to ignore
    /// snapshots from a pool that is not the current source. Configuration hints go to <paramref name="configuration"/>
    /// (skipped without one), users and groups to <paramref name="engine"/>.
    /// </summary>
    public FeedPoller(IMirrorStore mirror, IReplicaStateStore state, ApplyEngine engine, ReconcilerOptions options, TimeProvider time, ILogger<FeedPoller> logger, Func<FeedEntry, bool>? accept = null, ConfigurationFeed? configuration = null)
    {
        _accept = accept;
        _configuration = configuration;
        _mirror = mirror;
        _state = state;
        _engine = engine;
        _options = options;
        _time = time;
        _logger = logger;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _buckets = Enumerable.Range(0, mirror.FeedBuckets).Select(b => new BucketState(b)).ToArray();
    }

    /// <summary>How many feed buckets it follows.</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Totals since start, for progress reporting.</summary>
    public FeedStatistics Statistics { get; } = new();

    /// <summary>
    /// How far behind the feed the reconciler is: the age of the oldest entry waiting for a retry, or of the position
    /// reached in a bucket that still had more to read at the last poll; zero when every bucket is caught up.
    /// </summary>
    public TimeSpan Behind
    {
        get
        {
            var now = _time.GetUtcNow();
            var oldest = _buckets
                .Select(b => b.RetryFrom ?? (b.HasMore ? b.Cursor : null))
                .Where(p => !string.IsNullOrEmpty(p))
                .Select(p => MirrorTable.TimeOf(p!))
                .DefaultIfEmpty(now)
                .Min();
            return now > oldest ? now - oldest : TimeSpan.Zero;
        }
    }

    /// <summary>Loads checkpoints and parked entities; returns how many buckets resumed from a checkpoint and how many entities are parked.</summary>
    public async Task<(int Resumed, int Parked)> InitializeAsync(CancellationToken cancellationToken)
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

        var parked = await _engine.LoadParkedAsync(cancellationToken);
        await _engine.DescribeTargetAsync(cancellationToken);
        return (resumed, parked);
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

        // A permission error fails every entity alike: the pass fails, so the service warns and backs off.
        if (Interlocked.Exchange(ref _systemic, null) is { } systemic)
        {
            throw systemic;
        }

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
            position = Min(position, MirrorTable.PositionFloor(MirrorTable.TimeOf(bucket.Saved) - _options.LookBack));
        }

        // Entries that failed are read again every poll until they apply or are parked, wherever they were found.
        if (bucket.RetryFrom is { } retryFrom)
        {
            position = Min(position, retryFrom);
        }

        var handled = 0;
        bucket.HasMore = false;
        for (var page = 0; page < MaxPagesPerPoll; page++)
        {
            var feed = await _mirror.ReadFeedAsync(bucket.Number, position, _options.BatchSize, cancellationToken);
            if (feed.Entries.Count == 0)
            {
                break;
            }

            bucket.HasMore = feed.HasMore || feed.Entries.Count >= _options.BatchSize;

            handled += feed.Entries.Count;
            var newest = feed.Entries
                .GroupBy(e => e.Entity)
                .Select(g => g.MaxBy(e => e.Position, StringComparer.Ordinal)!)
                .ToList();
            var outcomes = await Task.WhenAll(newest.Select(e => ApplyOneAsync(e, cancellationToken)));
            for (var i = 0; i < newest.Count; i++)
            {
                if (outcomes[i])
                {
                    bucket.Failed.Remove(newest[i].Entity);
                }
                else
                {
                    bucket.Failed[newest[i].Entity] = newest[i].Position;
                }
            }

            position = feed.Entries[^1].Position;
            if (string.CompareOrdinal(position, bucket.Cursor) > 0)
            {
                bucket.Cursor = position;
            }

            if (!feed.HasMore && feed.Entries.Count < _options.BatchSize)
            {
                break;
            }
        }

        await SaveCheckpointAsync(bucket, force: false, cancellationToken);
        return handled;
    }

    private static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    /// <summary>Applies one entry; <c>false</c> when it failed transiently and must be retried.</summary>
    private async Task<bool> ApplyOneAsync(FeedEntry entry, CancellationToken cancellationToken)
    {
        if (_accept is not null && !_accept(entry))
        {
            Statistics.Count(ApplyOutcome.Skipped);
            return true;
        }

        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            var result = entry.Configuration is { } hint
                ? _configuration is null ? new ApplyResult(ApplyOutcome.Skipped) : await _configuration.ApplyAsync(hint, cancellationToken)
                : await _engine.ApplyAsync(entry, cancellationToken);
            Statistics.Count(result.Outcome, deleted: entry.User?.Deleted ?? entry.Group?.Deleted ?? false);
            if (result.Outcome == ApplyOutcome.Deferred)
            {
                // Another worker holds the entity's apply lease (or this one lost it midway): read it again on the next
                // poll, and the checkpoint never passes it. Not a failure: it is neither counted as one nor parked.
                return false;
            }

            lock (_failuresGate)
            {
                _failures.Remove(entry.Entity);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Throttling or 5xx that outlasted the call's own retries, the network, the mirror table, or a bug:
            // retry on the next poll. Systemic problems (permissions, credentials, the table) never park anything.
            if (e is ApplyPermissionException)
            {
                Interlocked.CompareExchange(ref _systemic, e, null);
                Statistics.CountFailure();
                return false;
            }

            int attempts;
            lock (_failuresGate)
            {
                attempts = _failures[entry.Entity] = _failures.GetValueOrDefault(entry.Entity) + 1;
            }

            Log.ApplyFailed(_logger, entry.Entity.ToString(), Reasons.Of(e), attempts);
            Log.ApplyFailedDetail(_logger, entry.Entity.ToString(), e);
            Statistics.CountFailure();
            if (attempts < _options.MaxTransientFailures || e is NotAuthorizedException or MirrorStoreException or HttpRequestException)
            {
                return false;
            }

            var version = entry.User is { } user ? Math.Max(user.ProfileVersion, user.GroupsVersion) : entry.Group?.Version ?? entry.Configuration!.Version;
            var parked = await _engine.ParkAfterFailuresAsync(entry.Entity, attempts, e, version, cancellationToken);
            Statistics.Count(parked.Outcome);
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

        // Never save past an entry still waiting to be retried: a restart must read it again.
        var position = bucket.RetryFrom is { } retryFrom ? Min(bucket.Cursor, retryFrom) : bucket.Cursor;
        if (position.Length == 0 || position == bucket.Saved || (!force && now - bucket.SavedAt < _options.CheckpointInterval))
        {
            return;
        }

        // Checkpoints only move forward; the look-back window is applied when they are read.
        if (bucket.Saved is not null && string.CompareOrdinal(position, bucket.Saved) <= 0)
        {
            return;
        }

        await _state.PutCheckpointAsync(_engine.Region, bucket.Number, position, cancellationToken);
        bucket.Saved = position;
        bucket.SavedAt = now;
    }

    private sealed class BucketState(int number)
    {
        public int Number { get; } = number;

        /// <summary>Feed position after which this bucket reads next.</summary>
        public string Cursor { get; set; } = string.Empty;

        public string? Saved { get; set; }

        public DateTimeOffset SavedAt { get; set; }

        /// <summary>The last poll stopped with entries still to read.</summary>
        public bool HasMore { get; set; }

        /// <summary>Entities whose newest entry failed transiently, with that entry's position.</summary>
        public Dictionary<EntityId, string> Failed { get; } = [];

        /// <summary>Just before the oldest failed entry (every position written in its tick sorts after it).</summary>
        public string? RetryFrom => Failed.Count == 0
            ? null
            : MirrorTable.PositionFloor(MirrorTable.TimeOf(Failed.Values.Min(StringComparer.Ordinal)!));
    }
}

/// <summary>Counts of what the poller did since it started.</summary>
internal sealed class FeedStatistics
{
    private long _applied;
    private long _inSync;
    private long _skipped;
    private long _parked;
    private long _deferred;
    private long _failures;
    private long _deleted;

    public long Applied => Interlocked.Read(ref _applied);

    public long InSync => Interlocked.Read(ref _inSync);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Parked => Interlocked.Read(ref _parked);

    /// <summary>Applications left for later because another worker held the entity's apply lease.</summary>
    public long Deferred => Interlocked.Read(ref _deferred);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Of <see cref="Applied"/>, the deletions (a tombstone applied).</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    internal void Count(ApplyOutcome outcome, bool deleted = false)
    {
        if (deleted && outcome == ApplyOutcome.Applied)
        {
            Interlocked.Increment(ref _deleted);
        }

        switch (outcome)
        {
            case ApplyOutcome.Applied: Interlocked.Increment(ref _applied); break;
            case ApplyOutcome.InSync: Interlocked.Increment(ref _inSync); break;
            case ApplyOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
            case ApplyOutcome.Parked: Interlocked.Increment(ref _parked); break;
            case ApplyOutcome.Deferred: Interlocked.Increment(ref _deferred); break;
        }
    }

    internal void CountFailure() => Interlocked.Increment(ref _failures);
}
