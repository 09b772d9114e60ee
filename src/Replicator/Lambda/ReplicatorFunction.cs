using System.Globalization;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Lambda;

/// <summary>
/// The Replicator Lambda function: routes each invocation to the capture handler for its kind of event and
/// returns what Cognito (or EventBridge) expects back.
/// </summary>
public sealed class ReplicatorFunction(TriggerCapture triggers, ILogger<ReplicatorFunction> logger)
{
    public Task<JsonNode?> HandleAsync(JsonNode? input, CancellationToken cancellationToken)
    {
        if (input is JsonObject root && root.ContainsKey("triggerSource"))
        {
            return triggers.HandleAsync(input, cancellationToken);
        }

        Log.TriggerMalformed(logger, "the event is not a Cognito trigger event (no triggerSource)");
        return Task.FromResult(input);
    }

    /// <summary>
    /// Builds the function from the Lambda environment: <c>IDREP_TABLE_NAME</c>, <c>IDREP_PRIMARY_POOL_ID</c>,
    /// optional <c>IDREP_FEED_BUCKETS</c> (8), <c>IDREP_USERNAMES_CASE_SENSITIVE</c> (false),
    /// <c>IDREP_TRIGGER_BUDGET_MS</c> (1500), <c>IDREP_STANDBY_POOL_ID</c> (optional), and <c>AWS_REGION</c> (set by Lambda).
    /// The function follows the replication control item: after a failover it captures the pool the control names.
    /// </summary>
    public static ReplicatorFunction FromEnvironment(Func<string, string?> environment, ILoggerFactory loggers, TimeProvider time)
    {
        string Required(string name) => environment(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Environment variable {name} is not set; the CDK stack sets it (see docs/configuration.md).");

        var region = Required("AWS_REGION");
        var mirrorOptions = new MirrorOptions
        {
            TableName = Required("IDREP_TABLE_NAME"),
            FeedBuckets = int.Parse(environment("IDREP_FEED_BUCKETS") ?? "8", CultureInfo.InvariantCulture),
        };
        var captureOptions = new CaptureOptions
        {
            PrimaryPoolId = Required("IDREP_PRIMARY_POOL_ID"),
            UsernamesCaseSensitive = bool.TryParse(environment("IDREP_USERNAMES_CASE_SENSITIVE"), out var caseSensitive) && caseSensitive,
            TriggerBudget = TimeSpan.FromMilliseconds(int.Parse(environment("IDREP_TRIGGER_BUDGET_MS") ?? "1500", CultureInfo.InvariantCulture)),
        };
        var problems = mirrorOptions.Validate().Concat(captureOptions.Validate()).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        // Short timeouts and one retry: the whole invocation has a budget of well under Cognito's 5 s.
        var dynamo = new AmazonDynamoDBClient(new AmazonDynamoDBConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(region),
            Timeout = captureOptions.TriggerBudget,
            MaxErrorRetry = 1,
        });
        var configured = new ReplicationControl
        {
            Epoch = 0,
            SourceRegion = region,
            SourcePoolId = captureOptions.PrimaryPoolId,
            TargetRegion = string.Empty,
            TargetPoolId = environment("IDREP_STANDBY_POOL_ID") ?? string.Empty,
        };
        return Create(dynamo, mirrorOptions, captureOptions, loggers, time, new ReplicationDirection(new DynamoDbReplicationControlStore(dynamo, mirrorOptions), configured, time));
    }

    /// <summary>
    /// Builds the function around a DynamoDB client (the sandbox passes its local one). With a
    /// <paramref name="direction"/> it captures whichever pool the replication control names as the source.
    /// </summary>
    public static ReplicatorFunction Create(IAmazonDynamoDB dynamo, MirrorOptions mirrorOptions, CaptureOptions captureOptions, ILoggerFactory loggers, TimeProvider time, ReplicationDirection? direction = null)
    {
        var capture = new TriggerCapture(
            new DynamoDbMirrorStore(dynamo, mirrorOptions, time, direction),
            new DynamoDbCaptureHintQueue(dynamo, mirrorOptions),
            captureOptions,
            time,
            loggers.CreateLogger<TriggerCapture>(),
            direction);
        return new ReplicatorFunction(capture, loggers.CreateLogger<ReplicatorFunction>());
    }
}
