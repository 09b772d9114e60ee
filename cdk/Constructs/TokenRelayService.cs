using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Constructs;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using ElbHealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace IdentityReplicator.Cdk.Constructs;

internal sealed class TokenRelayServiceProps
{
    public required DeploymentConfig Config { get; init; }

    public required PoolRole Role { get; init; }

    public required string PrimaryPoolId { get; init; }

    public required string StandbyPoolId { get; init; }

    /// <summary>This Region's table key (the mirror replica the relay reads is encrypted with it).</summary>
    public required string KeyArn { get; init; }

    /// <summary>The worker's cluster: the relay shares its VPC and cluster.</summary>
    public required ICluster Cluster { get; init; }
}

/// <summary>
/// The token relay (<c>idrep relay</c>, the worker's image) in one Region: a Fargate service behind an internet-facing
/// HTTPS load balancer, and this Region's half of the stable name — a Route 53 failover alias record (PRIMARY in the
/// primary's Region, SECONDARY in the standby's) that follows the load balancer's target health. Both Regions' relays
/// route to the active pool by themselves (the control item); the record pair only covers the loss of a relay's Region
/// (docs/design/token-relay.md#deployment). The role reads the control item and the client mappings, nothing else.
/// </summary>
internal sealed class TokenRelayService : Construct
{
    public const string ContainerName = "relay";

    public const string HealthPath = "/health/live";

    public TokenRelayService(Construct scope, string id, TokenRelayServiceProps props)
        : base(scope, id)
    {
        var config = props.Config;
        var relay = config.Relay ?? throw new InvalidOperationException("TokenRelayService needs the relay contexts (DeploymentConfig.Relay).");
        var region = props.Role == PoolRole.Primary ? config.PrimaryRegion : config.StandbyRegion;
        var vpc = props.Cluster.Vpc;
        var publicAddress = config.VpcId is null;

        var logs = new LogGroup(this, "Logs", new LogGroupProps { RemovalPolicy = RemovalPolicy.DESTROY });
        Retention.Set(logs, config.LogRetentionDays);

        TaskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "IdentityReplicator token relay: reads the replication control and the client mappings",
        });
        TaskRole.AddToPolicy(Permissions.Allow(
            "ControlAndClientMappingOnly",
            Permissions.RelayTable,
            [Permissions.TableArn(Stack.Of(this), region, config.TableName)],
            new Dictionary<string, object>
            {
                ["ForAllValues:StringLike"] = new Dictionary<string, object>
                {
                    ["dynamodb:LeadingKeys"] = new[] { MirrorTable.ControlPartition, MirrorTable.ClientMappingPartition(string.Empty) + "*" },
                },
            }));
        TaskRole.AddToPolicy(Permissions.Allow(
            "ReadMirrorTableKey",
            ["kms:Decrypt"],
            [props.KeyArn],
            new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"dynamodb.{region}.amazonaws.com" } }));

        // No secret reaches the relay: it carries the caller's client secret through and keeps nothing.
        var environment = ReplicationEnvironment.For(config, props.PrimaryPoolId, props.StandbyPoolId);
        environment["IDREP_Relay__MirrorRegion"] = region;
        environment[$"IDREP_Relay__TokenEndpoints__{config.PrimaryRegion}"] = relay.PrimaryTokenEndpoint;
        environment[$"IDREP_Relay__TokenEndpoints__{config.StandbyRegion}"] = relay.StandbyTokenEndpoint;

        TaskDefinition = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 256,
            MemoryLimitMiB = 512,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
            TaskRole = TaskRole,
        });
        TaskDefinition.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = WorkerService.Image(config),
            Essential = true,
            Command = ["relay", "--host", "0.0.0.0", "--port", RelaySettings.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Environment = environment,
            PortMappings = [new PortMapping { ContainerPort = RelaySettings.ContainerPort, Protocol = Amazon.CDK.AWS.ECS.Protocol.TCP }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = "relay" }),
            StopTimeout = Duration.Seconds(30),
        });

        var taskSecurity = new SecurityGroup(this, "TaskSecurity", new SecurityGroupProps
        {
            Vpc = vpc,
            Description = "IdentityReplicator token relay: inbound from its load balancer only, HTTPS out",
            AllowAllOutbound = true,
        });
        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = props.Cluster,
            TaskDefinition = TaskDefinition,
            DesiredCount = RelaySettings.TasksPerRegion,
            AssignPublicIp = publicAddress,
            VpcSubnets = new SubnetSelection { SubnetType = publicAddress ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
            SecurityGroups = [taskSecurity],
            MinHealthyPercent = 50,
            MaxHealthyPercent = 200,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
        });

        Balancer = new ApplicationLoadBalancer(this, "Balancer", new ApplicationLoadBalancerProps
        {
            Vpc = vpc,
            InternetFacing = true,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            DropInvalidHeaderFields = true,
        });

        var zone = HostedZone.FromHostedZoneAttributes(this, "Zone", new HostedZoneAttributes { HostedZoneId = relay.HostedZoneId, ZoneName = relay.HostedZoneName });
        var certificate = new Certificate(this, "Certificate", new CertificateProps
        {
            DomainName = relay.DomainName,
            Validation = CertificateValidation.FromDns(zone),
        });
        var listener = Balancer.AddListener("Https", new BaseApplicationListenerProps
        {
            Port = 443,
            Protocol = ApplicationProtocol.HTTPS,
            Certificates = [ListenerCertificate.FromCertificateManager(certificate)],
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            Open = true,
        });
        Targets = listener.AddTargets("Tasks", new AddApplicationTargetsProps
        {
            Port = RelaySettings.ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = [Service.LoadBalancerTarget(new LoadBalancerTargetOptions { ContainerName = ContainerName, ContainerPort = RelaySettings.ContainerPort })],
            HealthCheck = new ElbHealthCheck { Path = HealthPath, HealthyHttpCodes = "200", Interval = Duration.Seconds(15), HealthyThresholdCount = 2, UnhealthyThresholdCount = 2 },
            DeregistrationDelay = Duration.Seconds(30),
        });

        // This Region's half of the stable name: Route 53 answers with the primary's load balancer while its targets are
        // healthy, else the standby's.
        _ = new CfnRecordSet(this, "Name", new CfnRecordSetProps
        {
            HostedZoneId = relay.HostedZoneId,
            Name = relay.DomainName + ".",
            Type = "A",
            Failover = props.Role == PoolRole.Primary ? "PRIMARY" : "SECONDARY",
            SetIdentifier = $"identity-replicator-relay-{region}",
            AliasTarget = new CfnRecordSet.AliasTargetProperty
            {
                DnsName = Balancer.LoadBalancerDnsName,
                HostedZoneId = Balancer.LoadBalancerCanonicalHostedZoneId,
                EvaluateTargetHealth = true,
            },
        });
    }

    public Role TaskRole { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public FargateService Service { get; }

    public ApplicationLoadBalancer Balancer { get; }

    /// <summary>The relay's tasks behind the balancer: their health is what this Region's failover record follows.</summary>
    public ApplicationTargetGroup Targets { get; }
}
