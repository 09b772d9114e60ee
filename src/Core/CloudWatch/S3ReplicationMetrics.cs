namespace IdentityReplicator.Core.CloudWatch;

/// <summary>
/// What CloudWatch says about one S3 replication rule: the worst <c>ReplicationLatency</c> (seconds) and
/// <c>OperationsPendingReplication</c> of the window, or that no datapoint exists (replication metrics are not
/// enabled for the rule, or nothing was replicated in the window) — then the lag cannot be known.
/// </summary>
public sealed record S3ReplicationLag(double? LatencySeconds, double? OperationsPending)
{
    public bool IsKnown => LatencySeconds is not null || OperationsPending is not null;
}

/// <summary>
/// Reads S3 replication metrics (namespace <c>AWS/S3</c>, dimensions <c>SourceBucket</c>, <c>DestinationBucket</c>,
/// <c>RuleId</c>) through the CloudWatch client. S3 publishes them in the source bucket's Region, once a minute, only
/// for rules with replication metrics (or S3 RTC) enabled.
/// </summary>
public sealed class S3ReplicationMetrics(CloudWatchClient cloudWatch, TimeProvider time)
{
    public const string Namespace = "AWS/S3";

    public async Task<S3ReplicationLag> ReadAsync(string sourceBucket, string destinationBucket, string ruleId, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var latency = await MaximumAsync("ReplicationLatency", sourceBucket, destinationBucket, ruleId, window, cancellationToken);
        var pending = await MaximumAsync("OperationsPendingReplication", sourceBucket, destinationBucket, ruleId, window, cancellationToken);
        return new S3ReplicationLag(latency, pending);
    }

    private async Task<double?> MaximumAsync(string metric, string sourceBucket, string destinationBucket, string ruleId, TimeSpan window, CancellationToken cancellationToken)
    {
        var end = time.GetUtcNow();
        var response = await cloudWatch.GetMetricStatisticsAsync(
            new GetMetricStatisticsRequest
            {
                Namespace = Namespace,
                MetricName = metric,
                Dimensions = [new("SourceBucket", sourceBucket), new("DestinationBucket", destinationBucket), new("RuleId", ruleId)],
                StartTime = end - window,
                EndTime = end,
                Period = 60,
                Statistics = ["Maximum"],
            },
            cancellationToken);
        return response.Datapoints is { Count: > 0 } points ? points.OrderByDescending(p => p.Timestamp).First().Maximum : null;
    }
}
