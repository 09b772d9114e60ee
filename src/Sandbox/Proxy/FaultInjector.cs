using IdentityReplicator.Sandbox.Cognito;

namespace IdentityReplicator.Sandbox.Proxy;

/// <summary>Which faults the sandbox injects into Cognito calls, and how often (each a probability per call).</summary>
public sealed record FaultOptions
{
    /// <summary>Answer TooManyRequestsException (HTTP 400) without calling the emulator.</summary>
    public double Throttle { get; init; }

    /// <summary>Answer InternalErrorException (HTTP 500) without calling the emulator.</summary>
    public double ServerError { get; init; }

    /// <summary>Close the connection without an answer (the client sees a network error).</summary>
    public double Drop { get; init; }

    /// <summary>Delay the call by <see cref="LatencyDuration"/> before handling it.</summary>
    public double Latency { get; init; }

    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Only these operations get faults; all when empty.</summary>
    public IReadOnlySet<string> Operations { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Seed of the random choices, so a chaos test fails the same way twice.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>Faults injected since the injector was configured, by kind.</summary>
public sealed record FaultCounters(long Throttled, long ServerErrors, long Dropped);

/// <summary>
/// Chaos for tests: throttling, server errors, dropped connections and latency injected in front of the emulator,
/// at configured rates. Off unless configured.
/// </summary>
public sealed class FaultInjector(TimeProvider time) : ICognitoInterceptor
{
    private readonly Lock _gate = new();
    private FaultOptions? _options;
    private Random _random = new(1);
    private long _injected;
    private long _throttled;
    private long _serverErrors;
    private long _dropped;

    /// <summary>Faults injected since configured.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Faults injected since configured, by kind.</summary>
    public FaultCounters Counters => new(Interlocked.Read(ref _throttled), Interlocked.Read(ref _serverErrors), Interlocked.Read(ref _dropped));

    public void Configure(FaultOptions? options)
    {
        lock (_gate)
        {
            _options = options;
            _random = new Random(options?.Seed ?? 1);
            Interlocked.Exchange(ref _injected, 0);
            Interlocked.Exchange(ref _throttled, 0);
            Interlocked.Exchange(ref _serverErrors, 0);
            Interlocked.Exchange(ref _dropped, 0);
        }
    }

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        FaultOptions? options;
        double roll;
        bool slow;
        lock (_gate)
        {
            options = _options;
            if (options is null || (options.Operations.Count > 0 && !options.Operations.Contains(call.Operation)))
            {
                return null;
            }

            roll = _random.NextDouble();
            slow = _random.NextDouble() < options.Latency;
        }

        if (slow)
        {
            await Task.Delay(options.LatencyDuration, time, cancellationToken);
        }

        FrontReply? reply = null;
        if (roll < options.Throttle)
        {
            reply = FrontReply.Error(400, "TooManyRequestsException", "Rate exceeded");
            Interlocked.Increment(ref _throttled);
        }
        else if (roll < options.Throttle + options.ServerError)
        {
            reply = FrontReply.Error(500, "InternalErrorException", "Internal error (injected by the sandbox).");
            Interlocked.Increment(ref _serverErrors);
        }
        else if (roll < options.Throttle + options.ServerError + options.Drop)
        {
            reply = FrontReply.Dropped;
            Interlocked.Increment(ref _dropped);
        }

        if (reply is not null)
        {
            Interlocked.Increment(ref _injected);
        }

        return reply;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
