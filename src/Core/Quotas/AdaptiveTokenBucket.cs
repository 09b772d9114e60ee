namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// A token bucket whose rate adapts to throttling: multiplicative decrease on a throttled reply (at most once
/// per second, so one burst of throttles counts once), additive increase back to the ceiling while calls succeed
/// (AIMD, as TCP does). Callers that find the bucket empty reserve a token and wait for it, so pacing is exact
/// and first come, first served.
/// </summary>
public sealed class AdaptiveTokenBucket
{
    private const double DecreaseFactor = 0.7;
    private const double IncreasePerSecond = 0.05; // of the ceiling, per second of successful calls
    private static readonly TimeSpan DecreaseInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _burst;
    private double _rate;
    private double _tokens;
    private long _lastRefill;
    private long _lastDecrease;
    private long _lastIncrease;

    public AdaptiveTokenBucket(double ceiling, TimeProvider time, double burstSeconds = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ceiling);
        Ceiling = ceiling;
        Floor = Math.Max(0.1, ceiling * 0.05);
        _time = time;
        _rate = ceiling;
        _burst = Math.Max(1, ceiling * burstSeconds);
        _tokens = 1;
        _lastRefill = _lastIncrease = time.GetTimestamp();
        _lastDecrease = _lastRefill - (long)(DecreaseInterval.TotalSeconds * time.TimestampFrequency);
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

    /// <summary>Takes one token, waiting for it if the bucket is empty. A cancelled wait gives its token back.</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            Refill();
            _tokens -= 1;
            if (_tokens >= 0)
            {
                return ValueTask.CompletedTask;
            }

            wait = TimeSpan.FromSeconds(-_tokens / _rate);
        }

        return WaitAsync(wait, cancellationToken);
    }

    private async ValueTask WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _tokens += 1;
            }

            throw;
        }
    }

    /// <summary>The service said "too many requests": slow down.</summary>
    public void OnThrottled()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_lastDecrease, now) < DecreaseInterval)
            {
                return;
            }

            Refill();
            _rate = Math.Max(Floor, _rate * DecreaseFactor);
            _tokens = Math.Min(_tokens, 0);
            _lastDecrease = _lastIncrease = now;
        }
    }

    /// <summary>A call went through: creep back towards the ceiling.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            if (_rate >= Ceiling)
            {
                return;
            }

            var now = _time.GetTimestamp();
            var seconds = _time.GetElapsedTime(_lastIncrease, now).TotalSeconds;
            _rate = Math.Min(Ceiling, _rate + (Ceiling * IncreasePerSecond * seconds));
            _lastIncrease = now;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var seconds = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _tokens = Math.Min(_burst, _tokens + (seconds * _rate));
        _lastRefill = now;
    }
}
