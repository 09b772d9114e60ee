using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Cdk.Constructs;

internal sealed class ReplicatorFunctionProps
{
    public required DeploymentConfig Config { get; init; }

    public required PoolRole Role { get; init; }

    public required string PrimaryPoolId { get; init; }

    public required string StandbyPoolId { get; init; }

    /// <summary>This Region's key of the mirror table.</summary>
    public required string KeyArn { get; init; }
}

/// <summary>
/// The Replicator: a Native AOT custom-runtime function called by the pool's triggers and by EventBridge (rules in each
/// Region, for that Region's bus) with Cognito's CloudTrail events and applications' <c>UserChanged</c> hints; it
/// captures the pool the replication control names as the source. Reserved concurrency
/// bounds both its cost and its share of the pool's read quotas; what it cannot handle goes to an SQS queue (the
/// on-failure destination of asynchronous invocations, and the rules' dead-letter queue).
/// </summary>
internal sealed class ReplicatorFunction : Construct
{
    public const string FunctionName = "identity-replicator";

    public ReplicatorFunction(Construct scope, string id, ReplicatorFunctionProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var config = props.Config;
        var region = stack.Region;

        Failures = new Queue(this, "Failures", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(14),
        });
        Failures.AddToResourcePolicy(Permissions.DenyWithoutTls(
            "MessagesOnlyOverTls",
            ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue", "sqs:GetQueueAttributes"],
            [Failures.QueueArn]));

        var logs = new LogGroup(this, "Logs", new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = "/aws/lambda/" + FunctionName,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        Retention.Set(logs, config.LogRetentionDays);

        // Its own role: the managed AWSLambdaBasicExecutionRole would allow writing to every log group.
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "IdentityReplicator Replicator function",
        });
        role.AddToPolicy(Permissions.Allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [logs.LogGroupArn]));
        role.AddToPolicy(Permissions.Allow(
            "ReadPoolsToCapture",
            Permissions.CaptureReads,
            // Each Region's function reads whichever pool the replication control names as the source: the configured
            // primary, or after a failover the standby (IDREP_PRIMARY_POOL_ID, IDREP_STANDBY_POOL_ID).
            [Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId), Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId)]));
        role.AddToPolicy(Permissions.Allow("RecordInMirrorTable", Permissions.CaptureTable, [Permissions.TableArn(stack, region, config.TableName)]));
        role.AddToPolicy(Permissions.TableKeyThroughDynamoDb("UseMirrorTableKey", props.KeyArn, region));

        Function = new Function(this, "Function", new FunctionProps
        {
            FunctionName = FunctionName,
            Description = "IdentityReplicator: records user and group changes of the pool in the mirror table",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = Code.FromAsset(config.ReplicatorAsset, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = ["*.dbg", "*.pdb", "*.xml"] }),
            MemorySize = 256,
            // Cognito waits 5 s for a trigger; the function answers within IDREP_TRIGGER_BUDGET_MS. Events may take longer.
            Timeout = Duration.Seconds(10),
            ReservedConcurrentExecutions = config.ReservedConcurrency,
            Role = role,
            LogGroup = logs,
            Environment = new Dictionary<string, string>
            {
                ["IDREP_TABLE_NAME"] = config.TableName,
                ["IDREP_FEED_BUCKETS"] = config.FeedBuckets.ToString(CultureInfo.InvariantCulture),
                ["IDREP_PRIMARY_POOL_ID"] = props.PrimaryPoolId,
                ["IDREP_STANDBY_POOL_ID"] = props.StandbyPoolId,
                ["IDREP_PRIMARY_REGION"] = config.PrimaryRegion,
                ["IDREP_STANDBY_REGION"] = config.StandbyRegion,
                ["IDREP_USERNAMES_CASE_SENSITIVE"] = config.UsernamesCaseSensitive ? "true" : "false",
                // The function's share of each quota, split over the instances that may run at once.
                ["IDREP_QUOTA_SHARE"] = (config.FunctionQuotaShare / config.ReservedConcurrency).ToString("0.######", CultureInfo.InvariantCulture),
            },
            OnFailure = new SqsDestination(Failures),
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(1),
        });

        // Cognito invokes it for this Region's pool only.
        var localPool = props.Role == PoolRole.Primary
            ? Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId)
            : Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId);
        Function.AddPermission("InvokedByCognito", new Permission
        {
            Principal = new ServicePrincipal("cognito-idp.amazonaws.com"),
            Action = "lambda:InvokeFunction",
            SourceArn = localPool,
            SourceAccount = stack.Account,
        });

        // In both Regions: after a failover the standby's CloudTrail events and hints arrive on its own Region's bus,
        // and the function there captures them (before one, it drops them without reading Cognito).
        AddEventRules(config);
    }

    public Function Function { get; }

    public Queue Failures { get; }

    /// <summary>The function's ARN in a stack's Region, known before it exists (the pool's triggers name it).</summary>
    public static string ArnIn(Stack stack) => stack.FormatArn(new ArnComponents
    {
        Service = "lambda",
        Resource = "function",
        ResourceName = FunctionName,
        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
    });

    private void AddEventRules(DeploymentConfig config)
    {
        var target = new LambdaFunction(Function, new LambdaFunctionProps
        {
            DeadLetterQueue = Failures,
            RetryAttempts = 8,
            MaxEventAge = Duration.Hours(2),
        });

        // Cognito's CloudTrail management events reach EventBridge only with a trail logging them (docs/deploy.md).
        _ = new Rule(this, "CloudTrailEvents", new RuleProps
        {
            Description = "IdentityReplicator: Cognito user pool changes recorded by CloudTrail",
            EventPattern = new EventPattern
            {
                Source = ["aws.cognito-idp"],
                DetailType = ["AWS API Call via CloudTrail"],
                Detail = new Dictionary<string, object>
                {
                    ["eventSource"] = new[] { "cognito-idp.amazonaws.com" },
                    ["eventName"] = CloudTrailChanges.EventNames.ToArray(),
                },
            },
            Targets = [target],
        });

        _ = new Rule(this, "ApplicationHints", new RuleProps
        {
            Description = "IdentityReplicator: UserChanged hints published by applications",
            EventBus = Amazon.CDK.AWS.Events.EventBus.FromEventBusName(this, "HintBus", config.EventBusName),
            // Applications publish under their own source (docs/application-hints.md); a hint only makes the
            // function read the user from the pool, so matching the detail type alone lets nothing in.
            EventPattern = new EventPattern
            {
                DetailType = [UserChangedEvent.DetailType],
            },
            Targets = [target],
        });
    }
}

/// <summary>Log retention in days, as CloudWatch Logs accepts it.</summary>
internal static class Retention
{
    public static readonly int[] AllowedDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static void Set(LogGroup group, int days) => ((CfnLogGroup)group.Node.DefaultChild!).RetentionInDays = days;
}
