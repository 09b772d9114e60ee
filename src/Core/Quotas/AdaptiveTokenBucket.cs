namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// A token bucket whose rate adapts to throttling, without letting throttles that our rate did not cause starve it.
/// <see cref="ThrottleJudge"/> decides the rate from the replies (docs/design/adaptive-rate.md): a window with more
/// throttles than chance explains cuts the rate by 30 %; if the throttled fraction then falls as a quota would make
/// it fall, the cut stays and the rate climbs back on CUBIC's curve, otherwise the rate is restored at once and the
/// fraction is remembered as background.
/// <para>
/// Callers that find the bucket empty wait in line, first come, first served; a one-shot timer lets the head of the
/// line go when the next token is due at the rate in force <em>then</em>, so a lower rate applies to everyone waiting
/// at once (as the AWS SDK for Java's rate limiter does) rather than after slots reserved at the old rate; a higher
/// rate applies from the next token on.
/// </para>
/// </summary>
public sealed class AdaptiveTokenBucket
{
    /// <summary>Rounding slack when a token is due.</summary>
    private const double Slack = 1e-6;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _burst;
    private readonly long _origin;
    private readonly ThrottleJudge _judge;
    private readonly LinkedList<TaskCompletionSource> _line = new();
    private ITimer? _wakeUp;
    private double _rate;
    private double _tokens;
    private long _lastRefill;

    public AdaptiveTokenBucket(double ceiling, TimeProvider time, double burstSeconds = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ceiling);
        Ceiling = ceiling;
        Floor = Math.Max(0.1, ceiling * 0.05);
        _time = time;
        _judge = new ThrottleJudge(ceiling, Floor);
        _rate = ceiling;
        _burst = Math.Max(1, ceiling * burstSeconds);
        _tokens = 1;
        _origin = _lastRefill = time.GetTimestamp();
    }

    public double Ceiling { get; }

    public double Floor { get; }

    /// <summary>The rate currently allowed, in calls per second.</summary>
    public double CurrentRate
    {
        get
        {
            lock (_gate)
            {
                return _rate;
            }
        }
    }

    /// <summary>
    /// The throttled fraction of replies last judged not caused by this bucket's rate (another application sharing
    /// the quota, Cognito's own variance), as of the last reply; 0 when none was measured in the minute before it.
    /// </summary>
    public double BackgroundThrottleFraction
    {
        get
        {
            lock (_gate)
            {
                return _judge.BackgroundFraction;
            }
        }
    }

    /// <summary>Takes one token, waiting in line for it if the bucket is empty. A cancelled wait leaves the line.</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> place;
        lock (_gate)
        {
            Refill();
            if (_line.Count == 0 && _tokens >= 1 - Slack)
            {
                _tokens -= 1;
                return ValueTask.CompletedTask;
            }

            place = _line.AddLast(waiter);
            if (_wakeUp is null)
            {
                ScheduleWakeUp();
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            var leave = cancellationToken.UnsafeRegister(static (state, token) => ((Leave)state!).Run(token), new Leave(this, place));
            _ = waiter.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Unregister(), leave, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new ValueTask(waiter.Task);
    }

    /// <summary>The service said "too many requests". Whether to slow down is the judge's call.</summary>
    public void OnThrottled() => OnReply(throttled: true);

    /// <summary>The service answered without throttling (a success, or an error that is not about the rate).</summary>
    public void OnSuccess() => OnReply(throttled: false);

    private void OnReply(bool throttled)
    {
        lock (_gate)
        {
            Refill();
            _judge.Observe(throttled, _time.GetElapsedTime(_origin, _lastRefill).TotalSeconds);
            var rate = _judge.Rate;
            if (rate == _rate)
            {
                return;
            }

            if (rate < _rate)
            {
                _tokens = Math.Min(_tokens, 0);
            }

            _rate = rate;
        }
    }

    /// <summary>
    /// The timer fired: lets waiters go while there are tokens, then, if any are left, waits for the next token at the
    /// current rate. A rate cut meanwhile is seen here: the token is not there yet, so the wait starts again.
    /// </summary>
    private void WakeUp()
    {
        ITimer? fired;
        lock (_gate)
        {
            fired = _wakeUp;
            _wakeUp = null;
            Refill();
            while (_line.First is { } head && _tokens >= 1 - Slack)
            {
                _line.RemoveFirst();
                _tokens -= 1;
                head.Value.TrySetResult();
            }

            if (_line.Count > 0)
            {
                ScheduleWakeUp();
            }
        }

        fired?.Dispose();
    }

    /// <summary>
    /// Under the lock: a one-shot timer for when the next token is due, in whole milliseconds rounded up (timers have
    /// no finer grain, and a due time of zero would fire inside this call). The timer belongs to the bucket, not to
    /// the caller who happened to start it, so it does not carry the caller's execution context.
    /// </summary>
    private void ScheduleWakeUp()
    {
        var due = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((1 - _tokens) / _rate * 1000)));
        using (ExecutionContext.SuppressFlow())
        {
            _wakeUp = _time.CreateTimer(static state => ((AdaptiveTokenBucket)state!).WakeUp(), this, due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Adds the tokens earned since the last refill. An idle bucket keeps at most the burst; tokens earned while
    /// callers wait are theirs, so a timer that fires late (a busy machine) lets them all go at once instead of losing
    /// their time.
    /// </summary>
    private void Refill()
    {
        var now = _time.GetTimestamp();
        var seconds = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _tokens = Math.Min(_burst + _line.Count, _tokens + (seconds * _rate));
        _lastRefill = now;
    }

    /// <summary>A cancelled waiter leaves the line (it never took a token).</summary>
    private sealed class Leave(AdaptiveTokenBucket bucket, LinkedListNode<TaskCompletionSource> place)
    {
        public void Run(CancellationToken token)
        {
            lock (bucket._gate)
            {
                if (place.List is not null)
                {
                    bucket._line.Remove(place);
                }
            }

            place.Value.TrySetCanceled(token);
        }
    }
}
