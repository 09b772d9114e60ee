using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.EventBridge;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox.Lambda;

/// <summary>
/// The Replicator as the sandbox deploys it: the real handler behind a local Lambda Invoke endpoint (where both
/// emulators send their triggers), and the EventBridge rules that send it Cognito's CloudTrail events and
/// applications' hints.
/// </summary>
internal sealed class SandboxReplicator
{
    private ReplicatorFunction? _function;
    private StoppingLoggers? _loggers;

    /// <summary>
    /// The sandbox is stopping: the trigger invocations its emulators abort as they stop are not warnings (see
    /// <see cref="StoppingLoggers"/>), so the operator's Ctrl+C ends quietly.
    /// </summary>
    public void Stopping() => _loggers?.Stop();

    /// <summary>
    /// Starts the Invoke endpoint. It starts before the pools exist (the emulators need its address), so until
    /// <see cref="Connect"/> it hands every event back unchanged.
    /// </summary>
    public Task<LocalServer> StartInvokeEndpointAsync(CancellationToken cancellationToken) =>
        LambdaInvokeEndpoint.StartAsync(
            new Dictionary<string, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>>>
            {
                [CognitoLocal.TriggerFunction] = (input, ct) => _function is null ? Task.FromResult(input) : _function.InvokeAsync(input, ct),
            },
            cancellationToken);

    /// <summary>
    /// Creates the function for the two pools (read through <paramref name="client"/>: a pool's front, paced by the
    /// given policy), serves it on the Invoke endpoint and subscribes it to <paramref name="bus"/>.
    /// </summary>
    public void Connect(
        IAmazonDynamoDB dynamo,
        SandboxPool primary,
        SandboxPool standby,
        Func<SandboxPool, ICognitoCallPolicy, CognitoIdentityProviderClient> client,
        LocalEventBus bus,
        SandboxOptions options,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        // Both emulators send their triggers here, and both pools' calls are recorded as CloudTrail events; the function
        // captures whichever pool the replication control names as the source (the primary until a failover reverses
        // it) and drops the other's events (the reconciler's own calls) before reading Cognito. It reads each pool
        // within a budget of that Region's quotas, as it does on AWS.
        IUserDirectory Directory(SandboxPool pool) =>
            new CognitoUserDirectory(client(pool, new QuotaGovernor(new QuotaOptions { Share = QuotaOptions.PrimaryShare }, time, "replicator")), pool.UserPoolId);
        var mirrorOptions = new MirrorOptions { TableName = options.TableName, FeedBuckets = options.FeedBuckets };
        _loggers = new StoppingLoggers(loggers);
        var replicator = ReplicatorFunction.Create(
            dynamo,
            Directory(primary),
            mirrorOptions,
            new CaptureOptions { PrimaryPoolId = primary.UserPoolId, TriggerBudget = options.TriggerBudget },
            _loggers,
            time,
            new ReplicationControlReader(
                new DynamoDbReplicationControlStore(dynamo, mirrorOptions),
                new ReplicationControl { Epoch = 0, SourceRegion = primary.Region, SourcePoolId = primary.UserPoolId, TargetRegion = standby.Region, TargetPoolId = standby.UserPoolId },
                time),
            Directory(standby));
        _function = replicator;

        // EventBridge rules of the deployment: Cognito's CloudTrail events and applications' hints go to the Replicator.
        bus.Subscribe(new EventSubscription(
            "cognito-cloudtrail-to-replicator",
            e => e["source"]?.GetValue<string>() == CloudTrailEvent.Source && e["detail-type"]?.GetValue<string>() == CloudTrailEvent.DetailType,
            (e, ct) => replicator.HandleAsync(e, ct),
            options.CloudTrailDelay));
        bus.Subscribe(new EventSubscription(
            "user-changed-hints-to-replicator",
            e => e["detail-type"]?.GetValue<string>() == UserChangedEvent.DetailType,
            (e, ct) => replicator.HandleAsync(e, ct),
            TimeSpan.Zero));
    }
}
