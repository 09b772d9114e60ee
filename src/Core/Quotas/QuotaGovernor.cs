using System.Collections.Concurrent;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Telemetry;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// Every Cognito call of one client (one account and Region) goes through here: it waits for a token of the
/// operation's quota category, then runs with retries for throttling, 5xx and network faults. Categories are
/// independent, so calls of different categories proceed concurrently at their own budgets.
/// </summary>
public sealed class QuotaGovernor : ICognitoCallPolicy
{
    private readonly QuotaOptions _options;
    private readonly TimeProvider _time;
    private readonly string _scope;
    private readonly ConcurrentDictionary<QuotaCategory, CategoryLane> _lanes = new();

    public QuotaGovernor(QuotaOptions options, TimeProvider time, string scope)
    {
        var errors = options.Validate("Quotas").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
        _time = time;
        _scope = scope;
    }

    /// <summary>Calls, throttled replies and retries so far, per category (for progress bars and benchmarks).</summary>
    public IReadOnlyDictionary<QuotaCategory, QuotaCounters> Counters =>
        _lanes.ToDictionary(l => l.Key, l => l.Value.Counters.Snapshot());

    public AdaptiveTokenBucket BucketFor(QuotaCategory category) => Lane(category).Bucket;

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var lane = Lane(CognitoQuotas.CategoryOf(operation));
        return await lane.Pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                await state.lane.Bucket.AcquireAsync(token);
                Interlocked.Increment(ref state.lane.Counters.Calls);
                var result = await state.call(token);
                state.lane.Bucket.OnSuccess();
                return result;
            },
            (lane, call),
            cancellationToken);
    }

    private CategoryLane Lane(QuotaCategory category) => _lanes.GetOrAdd(category, c => new CategoryLane(c, _options, _time, _scope));

    private sealed class CategoryLane
    {
        public CategoryLane(QuotaCategory category, QuotaOptions options, TimeProvider time, string scope)
        {
            Bucket = new AdaptiveTokenBucket(options.BudgetFor(category), time);
            Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder()
                        .Handle<AwsServiceException>(e => e.IsRetryable)
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutRejectedException>(),
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                    MaxDelay = TimeSpan.FromSeconds(5),
                    OnRetry = args =>
                    {
                        Interlocked.Increment(ref Counters.Retries);
                        if (args.Outcome.Exception is AwsServiceException { IsThrottling: true })
                        {
                            Interlocked.Increment(ref Counters.Throttles);
                            Bucket.OnThrottled();
                            ReplicationMetrics.Throttled.Add(1, new KeyValuePair<string, object?>("category", category.ToString()), new KeyValuePair<string, object?>("scope", scope));
                        }

                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(options.AttemptTimeout)
                .Build();
        }

        public AdaptiveTokenBucket Bucket { get; }

        public ResiliencePipeline Pipeline { get; }

        public MutableCounters Counters { get; } = new();
    }

    private sealed class MutableCounters
    {
        public long Calls;
        public long Throttles;
        public long Retries;

        public QuotaCounters Snapshot() => new(Interlocked.Read(ref Calls), Interlocked.Read(ref Throttles), Interlocked.Read(ref Retries));
    }
}

public sealed record QuotaCounters(long Calls, long Throttles, long Retries);
