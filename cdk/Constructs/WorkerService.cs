using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.Scheduler;
using Constructs;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Core.Configuration;
using HealthCheck = Amazon.CDK.AWS.ECS.HealthCheck;

namespace IdentityReplicator.Cdk.Constructs;

internal sealed class WorkerServiceProps
{
    public required DeploymentConfig Config { get; init; }

    public required PoolRole Role { get; init; }

    public required string PrimaryPoolId { get; init; }

    public required string StandbyPoolId { get; init; }

    public required string PrimaryKeyArn { get; init; }

    public required string StandbyKeyArn { get; init; }

    /// <summary>Where drift reports go (standby's Region only).</summary>
    public Bucket? Reports { get; init; }
}

/// <summary>
/// The worker (<c>idrep worker</c>, the Dockerfile at the repository root) as a Fargate service: the reconciler, hint
/// completion and the source sweep. One task runs in the standby's Region; the primary's holds a dormant service
/// (no task) to scale up if the standby's Region is lost. A worker writes whichever pool the control names as the
/// target, so a failover needs no change here. In the standby's Region, EventBridge Scheduler also starts the
/// same task definition as <c>idrep drift --publish</c> on <c>driftSchedule</c>.
/// </summary>
internal sealed class WorkerService : Construct
{
    public const string ContainerName = "worker";

    /// <summary>Where the container serves its health endpoint (the image's default).</summary>
    public const string HealthUrl = "http://127.0.0.1:8080/health/ready";

    public const string MetricsNamespace = "IdentityReplicator";

    public WorkerService(Construct scope, string id, WorkerServiceProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var config = props.Config;
        var region = stack.Region;

        IVpc vpc = config.VpcId is { } vpcId
            ? Vpc.FromLookup(this, "Vpc", new VpcLookupOptions { VpcId = vpcId })
            : new Vpc(this, "Vpc", new VpcProps
            {
                // Zones from context (or the Region's a and b): no lookup, so synthesis is offline and deployable.
                AvailabilityZones = [.. config.ZonesFor(region)],
                // Public subnets and no NAT gateway: the task reaches Cognito, DynamoDB and EventBridge over the internet
                // with a public address and accepts no inbound connection (its security group has no ingress rule).
                NatGateways = 0,
                SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 }],
                RestrictDefaultSecurityGroup = false,
            });
        var subnets = new SubnetSelection { SubnetType = config.VpcId is null ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS };
        var publicAddress = config.VpcId is null;
        var security = new SecurityGroup(this, "Security", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = "IdentityReplicator worker: no inbound, HTTPS out",
            AllowAllOutbound = true,
        });

        Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = vpc });
        var logs = new LogGroup(this, "Logs", new LogGroupProps { RemovalPolicy = RemovalPolicy.DESTROY });
        Retention.Set(logs, config.LogRetentionDays);

        var taskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "IdentityReplicator worker",
        });
        AddPermissions(taskRole, stack, props);

        var environment = ReplicationEnvironment.For(config, props.PrimaryPoolId, props.StandbyPoolId);
        environment["IDREP_Replication__UsernamesCaseSensitive"] = config.UsernamesCaseSensitive ? "true" : "false";
        environment["IDREP_Mirror__FeedBuckets"] = config.FeedBuckets.ToString(CultureInfo.InvariantCulture);
        environment["IDREP_EventBridge__BusName"] = config.EventBusName;
        environment["IDREP_Worker__LogFormat"] = "json";
        environment["IDREP_Worker__HealthUrl"] = "http://127.0.0.1:8080";
        environment["IDREP_Worker__CloudWatchNamespace"] = MetricsNamespace;
        if (props.Reports is { } reports)
        {
            environment["IDREP_Drift__OutputBucket"] = reports.BucketName;
            environment["IDREP_Drift__OutputPrefix"] = DriftReports.Prefix;
        }

        var image = Image(config);
        TaskDefinition = Task("Task", taskRole, image, environment, logs, command: null);

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = Cluster,
            TaskDefinition = TaskDefinition,
            DesiredCount = props.Role == PoolRole.Standby ? 1 : 0,
            AssignPublicIp = publicAddress,
            VpcSubnets = subnets,
            SecurityGroups = [security],
            // One worker at a time: the old task stops before the new one starts.
            MinHealthyPercent = 0,
            MaxHealthyPercent = 100,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
        });

        if (props.Reports is not null)
        {
            // The drift report is its own task definition (same image, role and settings; the command differs).
            DriftTask = Task("DriftTask", taskRole, image, environment, logs, command: ["drift", "--publish"]);
            ScheduleDriftReports(config, DriftTask, subnets, security, publicAddress);
        }
    }

    private FargateTaskDefinition Task(string id, Role taskRole, ContainerImage image, Dictionary<string, string> environment, LogGroup logs, string[]? command)
    {
        var task = new FargateTaskDefinition(this, id, new FargateTaskDefinitionProps
        {
            Cpu = 512,
            MemoryLimitMiB = 1024,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
            TaskRole = taskRole,
        });
        task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = image,
            Essential = true,
            Command = command,
            Environment = environment,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = command is null ? "worker" : "drift" }),
            HealthCheck = command is not null ? null : new HealthCheck
            {
                Command = ["CMD", "dotnet", "idrep.dll", "health", "--url", HealthUrl],
                Interval = Duration.Seconds(30),
                Timeout = Duration.Seconds(10),
                StartPeriod = Duration.Seconds(60),
                Retries = 3,
            },
            StopTimeout = Duration.Seconds(30),
        });
        return task;
    }

    public Cluster Cluster { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public FargateService Service { get; }

    /// <summary>The scheduled drift report's task (standby's Region only).</summary>
    public FargateTaskDefinition? DriftTask { get; }

    /// <summary>The worker's image (the token relay runs it too, as <c>idrep relay</c>).</summary>
    internal static ContainerImage Image(DeploymentConfig config)
    {
        if (config.WorkerImage is { } image)
        {
            return ContainerImage.FromRegistry(image);
        }

        return ContainerImage.FromAsset(config.SourceRoot, new AssetImageProps
        {
            File = "Dockerfile",
            Platform = Platform_.LINUX_AMD64,
            BuildArgs = new Dictionary<string, string> { ["DOTNET_IMAGES"] = config.DotnetImages ?? string.Empty },
            // The image needs the sources only (.dockerignore leaves out tests, docs, cdk and build output).
            Exclude = ["artifacts", ".git", ".idrep", "**/TestResults"],
        });
    }

    private static void AddPermissions(Role role, Stack stack, WorkerServiceProps props)
    {
        var config = props.Config;
        string[] pools =
        [
            Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId),
            Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId),
        ];

        // A worker holds both directions (the control item picks one), so it reads and writes both pools.
        role.AddToPolicy(Permissions.Allow("ReadPools", Permissions.PoolReads, pools));
        role.AddToPolicy(Permissions.Allow("ApplyToTargetPool", Permissions.PoolWrites, pools));
        role.AddToPolicy(Permissions.Allow("ReadPoolConfiguration", Permissions.ConfigurationReads, pools));
        if (config.NativeReplication)
        {
            // Native mode: the canary adds its attribute to the primary's schema on first start (docs/permissions.md).
            role.AddToPolicy(Permissions.Allow("NativeCanarySchema", ["cognito-idp:AddCustomAttributes"], [pools[0]]));
        }

        role.AddToPolicy(Permissions.Allow(
            "MirrorTable",
            Permissions.WorkerTable,
            [
                Permissions.TableArn(stack, config.PrimaryRegion, config.TableName),
                Permissions.FeedIndexArn(stack, config.PrimaryRegion, config.TableName),
                Permissions.TableArn(stack, config.StandbyRegion, config.TableName),
                Permissions.FeedIndexArn(stack, config.StandbyRegion, config.TableName),
            ]));
        role.AddToPolicy(Permissions.TableKeyThroughDynamoDb("UsePrimaryTableKey", props.PrimaryKeyArn, config.PrimaryRegion));
        role.AddToPolicy(Permissions.TableKeyThroughDynamoDb("UseStandbyTableKey", props.StandbyKeyArn, config.StandbyRegion));
        role.AddToPolicy(Permissions.Allow(
            "PublishDriftSummaries",
            ["events:PutEvents"],
            [stack.FormatArn(new ArnComponents { Service = "events", Region = config.StandbyRegion, Resource = "event-bus", ResourceName = config.EventBusName })]));
        if (props.Reports is { } reports)
        {
            role.AddToPolicy(Permissions.Allow("WriteDriftReports", ["s3:PutObject"], [reports.ArnForObjects(DriftReports.Prefix + "*")]));
        }

        if (config.GroupRoleArns.Count > 0)
        {
            // Cognito checks that whoever creates or updates a group with an IAM role may pass that role.
            role.AddToPolicy(Permissions.Allow("PassGroupRoles", ["iam:PassRole"], config.GroupRoleArns));
        }
    }

    private void ScheduleDriftReports(DeploymentConfig config, FargateTaskDefinition task, SubnetSelection subnets, SecurityGroup security, bool publicAddress)
    {
        var stack = Stack.Of(this);
        var role = new Role(this, "SchedulerRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account } },
            }),
            Description = "IdentityReplicator: starts the scheduled drift report",
        });
        role.AddToPolicy(Permissions.Allow(
            "RunDriftTask",
            ["ecs:RunTask"],
            [task.TaskDefinitionArn],
            new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["ecs:cluster"] = Cluster.ClusterArn } }));
        role.AddToPolicy(Permissions.Allow(
            "PassDriftTaskRoles",
            ["iam:PassRole"],
            [task.TaskRole.RoleArn, task.ObtainExecutionRole().RoleArn],
            new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } }));

        _ = new CfnSchedule(this, "DriftSchedule", new CfnScheduleProps
        {
            Description = "IdentityReplicator: the drift report (idrep drift --publish)",
            ScheduleExpression = config.DriftSchedule,
            ScheduleExpressionTimezone = "UTC",
            FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
            State = "ENABLED",
            Target = new CfnSchedule.TargetProperty
            {
                Arn = Cluster.ClusterArn,
                RoleArn = role.RoleArn,
                RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 2, MaximumEventAgeInSeconds = 3600 },
                EcsParameters = new CfnSchedule.EcsParametersProperty
                {
                    TaskDefinitionArn = task.TaskDefinitionArn,
                    LaunchType = "FARGATE",
                    TaskCount = 1,
                    NetworkConfiguration = new CfnSchedule.NetworkConfigurationProperty
                    {
                        AwsvpcConfiguration = new CfnSchedule.AwsVpcConfigurationProperty
                        {
                            Subnets = Cluster.Vpc.SelectSubnets(subnets).SubnetIds,
                            SecurityGroups = [security.SecurityGroupId],
                            AssignPublicIp = publicAddress ? "ENABLED" : "DISABLED",
                        },
                    },
                },
            },
        });
    }
}
