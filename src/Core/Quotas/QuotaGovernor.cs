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
/// independent, so calls of different categories proceed concurrently at their own budgets. Time spent waiting for
/// a token does not count against <see cref="QuotaOptions.AttemptTimeout"/>; every attempt takes a token, so retries
/// are paced by the same budget and cannot multiply the load. Every reply from the service is reported to the
/// category's bucket — throttled, or not (a success or any other service error) — which decides the rate from both.
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
        return await lane.Retry.ExecuteAsync(
            static async (state, token) =>
            {
                await state.lane.Bucket.AcquireAsync(token);
                Interlocked.Increment(ref state.lane.Counters.Calls);
                try
                {
                    var result = await state.lane.Attempt.ExecuteAsync(static (call, t) => new ValueTask<T>(call(t)), state.call, token);
                    state.lane.Bucket.OnSuccess();
                    return result;
                }
                catch (AwsServiceException e) when (e.IsThrottling)
                {
                    state.lane.OnThrottled();
                    throw;
                }
                catch (AwsServiceException)
                {
                    // The quota let the call through (UserNotFound, UsernameExists, a 5xx): for the bucket's judge it
                    // is a reply that was not throttled. Network faults and timeouts say nothing either way.
                    state.lane.Bucket.OnSuccess();
                    throw;
                }
            },
            (lane, call),
            cancellationToken);
    }

    private CategoryLane Lane(QuotaCategory category) => _lanes.GetOrAdd(category, c => new CategoryLane(c, _options, _time, _scope));

    private sealed class CategoryLane
    {
        private readonly KeyValuePair<string, object?>[] _tags;

        public CategoryLane(QuotaCategory category, QuotaOptions options, TimeProvider time, string scope)
        {
            _tags = [new("category", category.ToString()), new("scope", scope)];
            Bucket = new AdaptiveTokenBucket(options.BudgetFor(category), time);
            var retry = new ResiliencePipelineBuilder { TimeProvider = time };
            if (options.MaxRetries > 0)
            {
                retry.AddRetry(new RetryStrategyOptions
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
                    OnRetry = _ =>
                    {
                        Interlocked.Increment(ref Counters.Retries);
                        return ValueTask.CompletedTask;
                    },
                });
            }

            Retry = retry.Build();
            Attempt = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(options.AttemptTimeout).Build();
        }

        public AdaptiveTokenBucket Bucket { get; }

        /// <summary>Retries around the whole attempt, token wait included.</summary>
        public ResiliencePipeline Retry { get; }

        /// <summary>The time limit of one attempt, after its token was granted.</summary>
        public ResiliencePipeline Attempt { get; }

        public MutableCounters Counters { get; } = new();

        public void OnThrottled()
        {
            Interlocked.Increment(ref Counters.Throttles);
            Bucket.OnThrottled();
            ReplicationMetrics.Throttled.Add(1, _tags);
        }
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
