using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime.Credentials;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Lambda;

/// <summary>
/// The Replicator Lambda function. Routes each invocation by its shape:
/// a Cognito trigger event of the captured pool → <see cref="TriggerCapture"/> (event handed back unchanged);
/// a Pre Token Generation event of another pool (the standby) → <see cref="PrimarySubClaims"/>;
/// an EventBridge event (CloudTrail record or application hint) → <see cref="EventCapture"/>;
/// an SQS batch of EventBridge events → each, reporting failed messages as batch item failures.
/// </summary>
public sealed class ReplicatorFunction(
    TriggerCapture triggers,
    EventCapture events,
    PrimarySubClaims claims,
    CaptureOptions options,
    ILogger<ReplicatorFunction> logger,
    TimeProvider time)
{
    /// <summary>
    /// Handles one invocation as the Lambda runtime receives it: raw bytes in, raw bytes out. A payload that cannot be
    /// read safely (<see cref="InvocationPayload"/>) is logged, counted and handed back byte for byte; so is an event
    /// the handler returns unchanged. Never throws for a trigger event; an EventBridge event whose capture failed throws
    /// <see cref="EventCaptureFailedException"/> so that Lambda delivers it again.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> InvokeAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!InvocationPayload.TryRead(payload, out var input, out var problem))
        {
            // Cognito (or whatever sent it) gets its own bytes back: a sign-up or sign-in goes on; nothing is retried.
            Log.PayloadUnreadable(logger, InvocationPayload.Describe(problem), payload.Length);
            ReplicationMetrics.CaptureFailed.Add(1, new("trigger", "unknown"), new("reason", problem));
            return payload;
        }

        if (input is JsonObject trigger && trigger.ContainsKey("triggerSource"))
        {
            var reply = await TriggerAsync(trigger, cancellationToken);
            return ReferenceEquals(reply, trigger) ? payload : InvocationPayload.Write(reply);
        }

        var output = await HandleAsync(input, cancellationToken);
        return ReferenceEquals(output, input) ? payload : InvocationPayload.Write(output);
    }

    /// <summary>
    /// Handles one invocation already read as JSON: a document as <see cref="InvokeAsync"/> reads it (the sandbox's event
    /// bus delivers nodes it built itself). The Lambda runtime calls <see cref="InvokeAsync"/>.
    /// </summary>
    public async Task<JsonNode?> HandleAsync(JsonNode? input, CancellationToken cancellationToken)
    {
        switch (input)
        {
            case JsonObject trigger when trigger.ContainsKey("triggerSource"):
                return await TriggerAsync(trigger, cancellationToken);

            case JsonObject envelope when envelope.ContainsKey("detail-type"):
                // A single asynchronous delivery: let a failure fail the invocation, so Lambda retries it.
                if (!await EventAsync(envelope, cancellationToken))
                {
                    throw new EventCaptureFailedException("The event could not be captured; Lambda will deliver it again.");
                }

                return null;

            case JsonObject sqs when sqs["Records"] is JsonArray records:
                return await SqsBatchAsync(records, cancellationToken);

            case JsonArray batch:
                var failed = 0;
                foreach (var item in batch)
                {
                    if (item is not JsonObject e)
                    {
                        Log.EventMalformed(logger, "a batch item that is not a JSON object");
                    }
                    else if (!await EventAsync(e, cancellationToken))
                    {
                        failed++;
                    }
                }

                return failed == 0 ? null : throw new EventCaptureFailedException($"{failed} of {batch.Count} events could not be captured; the batch will be delivered again.");

            default:
                Log.TriggerMalformed(logger, "the input is neither a Cognito trigger event nor an EventBridge event");
                return input;
        }
    }

    /// <summary>
    /// A Cognito trigger: never throws, and returns within one <see cref="CaptureOptions.TriggerBudget"/> whatever the
    /// stores do — the event itself, or (a standby's Pre Token Generation) a copy with the <c>primary_sub</c> claim.
    /// </summary>
    private async Task<JsonNode?> TriggerAsync(JsonObject trigger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var budget = new CancellationTokenSource(options.TriggerBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var work = TriggerWorkAsync(trigger, linked.Token);
        try
        {
            return await work.WaitAsync(linked.Token);
        }
        catch (Exception e)
        {
            // Deliberately broad: whatever went wrong, the user's sign-up or sign-in goes on with the event as it came.
            await linked.CancelAsync();
            _ = work.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            Log.TriggerAbandoned(logger, Reasons.Of(e), time.GetElapsedTime(started).TotalMilliseconds);
            Log.TriggerAbandonedDetail(logger, e);
            ReplicationMetrics.CaptureFailed.Add(1, new("trigger", "unknown"), new("reason", e is OperationCanceledException ? "budget" : "error"));
            return trigger;
        }
    }

    private async Task<JsonNode?> TriggerWorkAsync(JsonObject trigger, CancellationToken cancellationToken)
    {
        var pool = trigger["userPoolId"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
        if (pool is null || pool == options.PrimaryPoolId)
        {
            return await triggers.HandleAsync(trigger, cancellationToken);
        }

        // Another pool's (the standby's) token: the claim first, as the user waits for it; then capture, which takes
        // the standby's events only once a failover made it the source (it follows the replication control item).
        var parsed = CognitoTriggerEvent.Parse(trigger, out _);
        var reply = parsed is not null && parsed.TriggerSource.StartsWith("TokenGeneration_", StringComparison.Ordinal)
            ? await claims.HandleAsync(trigger, parsed, cancellationToken)
            : trigger;
        await triggers.HandleAsync(trigger, cancellationToken);
        return reply;
    }

    /// <summary>Captures one event; <c>false</c> if it failed and should be delivered again.</summary>
    private async Task<bool> EventAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        try
        {
            var result = await events.HandleAsync(envelope, cancellationToken);
            if (result.Outcome == EventCaptureOutcome.Malformed)
            {
                Log.EventMalformed(logger, result.Detail);
            }
            else if (result.Outcome == EventCaptureOutcome.Invalid)
            {
                // Delivered again it would fail the same way: dropped here, never sent to the failures queue.
                Log.EventInvalid(logger, result.Detail);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var kind = envelope["detail"]?["eventName"]?.ToString() ?? "event";
            Log.EventCaptureFailed(logger, kind, Reasons.Of(e));
            Log.EventCaptureFailedDetail(logger, kind, e);
            return false;
        }
    }

    private async Task<JsonNode> SqsBatchAsync(JsonArray records, CancellationToken cancellationToken)
    {
        var failures = new JsonArray();
        foreach (var record in records.OfType<JsonObject>())
        {
            var id = record["messageId"]?.ToString() ?? string.Empty;
            JsonObject? envelope = null;
            try
            {
                envelope = JsonNode.Parse(record["body"]?.ToString() ?? string.Empty) as JsonObject;
            }
            catch (JsonException)
            {
                // Malformed: logged below and not retried (it would fail the same way again).
            }

            if (envelope is null)
            {
                Log.EventMalformed(logger, "an SQS message whose body is not a JSON event");
            }
            else if (!await EventAsync(envelope, cancellationToken))
            {
                failures.Add((JsonNode)new JsonObject { ["itemIdentifier"] = id });
            }
        }

        return new JsonObject { ["batchItemFailures"] = failures };
    }

    /// <summary>
    /// Builds the function from the Lambda environment: <c>IDREP_TABLE_NAME</c>, <c>IDREP_PRIMARY_POOL_ID</c>,
    /// optional <c>IDREP_FEED_BUCKETS</c> (8), <c>IDREP_USERNAMES_CASE_SENSITIVE</c> (false),
    /// <c>IDREP_TRIGGER_BUDGET_MS</c> (1500), <c>IDREP_PRIMARY_REGION</c> (the function's own Region),
    /// <c>IDREP_QUOTA_SHARE</c> (0.1 of each Cognito quota per function instance), <c>IDREP_PRIMARY_SUB_ATTRIBUTE</c>
    /// (custom:primary_sub), <c>IDREP_PRIMARY_SUB_CLAIM</c> (primary_sub), <c>IDREP_STANDBY_POOL_ID</c> and
    /// <c>IDREP_STANDBY_REGION</c> (optional: without both, event capture cannot read the standby while it is the
    /// source), and <c>AWS_REGION</c> (set by Lambda). Settings that cannot be used
    /// throw a <see cref="Core.Configuration.ConfigurationException"/> naming each (<see cref="LambdaSettings"/>);
    /// with <paramref name="variableNames"/> an <c>IDREP_</c> variable the function does not read is one of them.
    /// </summary>
    public static ReplicatorFunction FromEnvironment(Func<string, string?> environment, ILoggerFactory loggers, TimeProvider time, IEnumerable<string>? variableNames = null)
    {
        var settings = LambdaSettings.Read(environment, variableNames);
        var (region, mirrorOptions, captureOptions, quotas) = (settings.Region, settings.Mirror, settings.Capture, settings.Quotas);

        // Short timeouts and one retry: a trigger invocation has a budget of well under Cognito's 5 s.
        var dynamo = new AmazonDynamoDBClient(new AmazonDynamoDBConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(region),
            Timeout = captureOptions.TriggerBudget,
            MaxErrorRetry = 1,
        });
        var credentials = new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
        IUserDirectory Directory(string poolRegion, string poolId) => new CognitoUserDirectory(
            CognitoIdentityProviderClient.Create(new AwsEndpoint(poolRegion), credentials, new QuotaGovernor(quotas, time, "replicator")),
            poolId);

        var (primaryRegion, standbyPoolId, standbyRegion) = (settings.PrimaryRegion, settings.StandbyPoolId, settings.StandbyRegion);
        var configured = new ReplicationControl
        {
            Epoch = 0,
            SourceRegion = primaryRegion,
            SourcePoolId = captureOptions.PrimaryPoolId,
            TargetRegion = standbyRegion ?? string.Empty,
            TargetPoolId = standbyPoolId ?? string.Empty,
        };
        var controlReader = new ReplicationControlReader(new DynamoDbReplicationControlStore(dynamo, mirrorOptions), configured, time);
        var standby = standbyPoolId is not null && standbyRegion is not null ? Directory(standbyRegion, standbyPoolId) : null;
        return Create(dynamo, Directory(primaryRegion, captureOptions.PrimaryPoolId), mirrorOptions, captureOptions, loggers, time, controlReader, standby);
    }

    /// <summary>
    /// Builds the function around a DynamoDB client and the configured pools it can read (the sandbox passes its local
    /// ones). With a <paramref name="controlReader"/> it captures only the control's source, and the mirror store refuses
    /// snapshots of any other pool.
    /// </summary>
    public static ReplicatorFunction Create(IAmazonDynamoDB dynamo, IUserDirectory primary, MirrorOptions mirrorOptions, CaptureOptions captureOptions, ILoggerFactory loggers, TimeProvider time, ReplicationControlReader? controlReader = null, IUserDirectory? standby = null)
    {
        var mirror = new DynamoDbMirrorStore(dynamo, mirrorOptions, time, controlReader);
        var reader = new SourceReader(primary, captureOptions.UsernamesCaseSensitive, time);
        IReadOnlyList<SourceReader>? others = standby is null ? null : [new SourceReader(standby, captureOptions.UsernamesCaseSensitive, time)];
        return new ReplicatorFunction(
            new TriggerCapture(mirror, new DynamoDbCaptureHintQueue(dynamo, mirrorOptions), captureOptions, time, loggers.CreateLogger<TriggerCapture>(), controlReader),
            new EventCapture(reader, mirror, new DynamoDbSweepRequests(dynamo, mirrorOptions), captureOptions, time, loggers.CreateLogger<EventCapture>(), controlReader, others, new DynamoDbConfigurationHints(dynamo, mirrorOptions)),
            new PrimarySubClaims(new DynamoDbReplicaStateStore(dynamo, mirrorOptions), captureOptions, time, loggers.CreateLogger<PrimarySubClaims>()),
            captureOptions,
            loggers.CreateLogger<ReplicatorFunction>(),
            time);
    }
}

/// <summary>An event could not be captured; failing the invocation makes Lambda deliver it again.</summary>
internal sealed class EventCaptureFailedException : Exception
{
    public EventCaptureFailedException(string message)
        : base(message)
    {
    }

    public EventCaptureFailedException()
    {
    }

    public EventCaptureFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
