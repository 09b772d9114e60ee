using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using Polly;
using Polly.Retry;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// The benchmark's baseline, as today's backup/restore tools call Cognito: one call at a time (across both pools),
/// no knowledge of quotas, and a throttled or failed call retried after an exponential backoff with jitter (100 ms
/// doubling, at most 5 s, as the AWS SDKs' standard retry mode does) while holding its turn.
/// </summary>
internal sealed class OneAtATimePolicy : ICognitoCallPolicy
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ResiliencePipeline _retry;
    private long _throttles;

    public OneAtATimePolicy(TimeProvider time)
    {
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AwsServiceException>(e => e.IsRetryable).Handle<HttpRequestException>(),
                MaxRetryAttempts = 30,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is AwsServiceException { IsThrottling: true })
                    {
                        Interlocked.Increment(ref _throttles);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public long Throttles => Interlocked.Read(ref _throttles);

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await _retry.ExecuteAsync(async token => await call(token), cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }
}
