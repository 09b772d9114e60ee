using System.Collections.Concurrent;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.Proxy;

/// <summary>How the sandbox's quota proxy meters calls.</summary>
public sealed record QuotaProxyOptions
{
    /// <summary>Multiplies every category's default quota (0.5 = half of Cognito's defaults, 2 = twice).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Explicit rates in calls per second, overriding <see cref="Scale"/> for the categories named.</summary>
    public IReadOnlyDictionary<QuotaCategory, double> Rates { get; init; } = new Dictionary<QuotaCategory, double>();

    /// <summary>How many seconds of calls a category may burst (the bucket's size, at least one call).</summary>
    public double BurstSeconds { get; init; } = 1.0;

    public double RateOf(QuotaCategory category) =>
        Rates.TryGetValue(category, out var rate) ? rate : CognitoQuotas.DefaultRate(category) * Scale;
}

/// <summary>Calls let through and refused, per quota category.</summary>
public sealed record ProxyCounters(long Allowed, long Throttled);

/// <summary>
/// Cognito's request-rate quotas, in front of an emulator that has none: one token bucket per quota category
/// (<see cref="CognitoQuotas"/>), and a call that finds its bucket empty is answered as Cognito answers it — HTTP 400,
/// <c>{"__type":"TooManyRequestsException","message":"Rate exceeded"}</c> — without reaching the emulator. Refused
/// calls take no token. Off unless configured; benchmarks switch it on so throughput is measured against the limits
/// real Cognito enforces.
/// </summary>
public sealed class QuotaProxy(TimeProvider time) : ICognitoInterceptor
{
    private readonly ConcurrentDictionary<QuotaCategory, Bucket> _buckets = new();
    private readonly ConcurrentDictionary<string, long> _operations = new(StringComparer.Ordinal);
    private volatile QuotaProxyOptions? _options;

    /// <summary>The rates in force; <c>null</c> when the proxy lets everything through.</summary>
    public QuotaProxyOptions? Options => _options;

    /// <summary>Switches metering on with these rates (or off with <c>null</c>), with full buckets and zeroed counters.</summary>
    public void Configure(QuotaProxyOptions? options)
    {
        _options = options;
        Reset();
    }

    /// <summary>Refills every bucket and zeroes the counters.</summary>
    public void Reset()
    {
        _buckets.Clear();
        _operations.Clear();
    }

    public IReadOnlyDictionary<QuotaCategory, ProxyCounters> Counters =>
        _buckets.ToDictionary(b => b.Key, b => b.Value.Counters);

    /// <summary>Calls let through, per operation.</summary>
    public IReadOnlyDictionary<string, long> AllowedByOperation => new Dictionary<string, long>(_operations, StringComparer.Ordinal);

    public long Throttled => _buckets.Values.Sum(b => b.Counters.Throttled);

    public ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var options = _options;
        if (options is null)
        {
            return ValueTask.FromResult<FrontReply?>(null);
        }

        var category = CognitoQuotas.CategoryOf(call.Operation);
        var bucket = _buckets.GetOrAdd(category, c => new Bucket(options.RateOf(c), options.BurstSeconds, time));
        if (!bucket.TryTake())
        {
            return ValueTask.FromResult<FrontReply?>(FrontReply.Error(400, "TooManyRequestsException", "Rate exceeded"));
        }

        _operations.AddOrUpdate(call.Operation, 1, (_, n) => n + 1);
        return ValueTask.FromResult<FrontReply?>(null);
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A token bucket that refuses rather than waits.</summary>
    private sealed class Bucket(double rate, double burstSeconds, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly double _capacity = Math.Max(1, rate * burstSeconds);
        private double _tokens = Math.Max(1, rate * burstSeconds);
        private long _last = time.GetTimestamp();
        private long _allowed;
        private long _throttled;

        public ProxyCounters Counters
        {
            get
            {
                lock (_gate)
                {
                    return new ProxyCounters(_allowed, _throttled);
                }
            }
        }

        public bool TryTake()
        {
            lock (_gate)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * rate));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    _allowed++;
                    return true;
                }

                _throttled++;
                return false;
            }
        }
    }
}
