using Amazon.CDK;
using Constructs;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Cdk.Constructs;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Cdk.Stacks;

internal sealed class AppStackProps : StackProps
{
    public required DeploymentConfig Config { get; init; }

    public required PoolRole Role { get; init; }

    public required PerPool<DataStack> DataStacks { get; init; }
}

/// <summary>
/// What runs in one Region: the Replicator function on that Region's pool (with the EventBridge rules in the
/// primary's), the worker service (active in the standby's, dormant in the primary's), alarms and a dashboard; in the
/// standby's also the drift reports, and in the primary's the failover operator's policy (IAM is global).
/// </summary>
internal sealed class AppStack : Stack
{
    public AppStack(Construct scope, string id, AppStackProps props)
        : base(scope, id, props)
    {
        var config = props.Config;
        var dataStacks = props.DataStacks;
        var local = dataStacks.For(props.Role);

        Replicator = new ReplicatorFunction(this, "Replicator", new ReplicatorFunctionProps
        {
            Config = config,
            Role = props.Role,
            PrimaryPoolId = dataStacks.Primary.UserPoolId,
            StandbyPoolId = dataStacks.Standby.UserPoolId,
            KeyArn = local.Key.KeyArn,
        });

        var reports = props.Role == PoolRole.Standby ? new DriftReports(this, "DriftReports", config.ReportRetentionDays) : null;
        Worker = new WorkerService(this, "Worker", new WorkerServiceProps
        {
            Config = config,
            Role = props.Role,
            PrimaryPoolId = dataStacks.Primary.UserPoolId,
            StandbyPoolId = dataStacks.Standby.UserPoolId,
            PrimaryKeyArn = dataStacks.Primary.Key.KeyArn,
            StandbyKeyArn = dataStacks.Standby.Key.KeyArn,
            Reports = reports?.Bucket,
        });

        if (config.Relay is { } relay)
        {
            Relay = new TokenRelayService(this, "Relay", new TokenRelayServiceProps
            {
                Config = config,
                Role = props.Role,
                PrimaryPoolId = dataStacks.Primary.UserPoolId,
                StandbyPoolId = dataStacks.Standby.UserPoolId,
                KeyArn = local.Key.KeyArn,
                Cluster = Worker.Cluster,
            });
            Output("RelayEndpoint", $"https://{relay.DomainName}/oauth2/token", "The token relay for M2M callers (both Regions, one name)");
            Output("RelayBalancer", Relay.Balancer.LoadBalancerDnsName, "This Region's relay load balancer (the failover record's target)");
        }

        var monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Replicator = Replicator,
            Worker = Worker,
            WorkerActive = props.Role == PoolRole.Standby,
            AlarmEmail = config.AlarmEmail,
            Relay = Relay,
            NativeLagAlarmMs = config.NativeReplication ? config.NativeLagAlarmMs : null,
        });

        if (props.Role == PoolRole.Primary)
        {
            var policy = new FailoverOperatorPolicy(this, "FailoverOperator", new FailoverOperatorPolicyProps
            {
                Config = config,
                PrimaryPoolId = dataStacks.Primary.UserPoolId,
                StandbyPoolId = dataStacks.Standby.UserPoolId,
                PrimaryKeyArn = dataStacks.Primary.Key.KeyArn,
                StandbyKeyArn = dataStacks.Standby.Key.KeyArn,
            });
            Output("FailoverOperatorPolicyArn", policy.Policy.ManagedPolicyArn, "Attach to the role that runs idrep failover");
        }

        if (config.WorkerImage is null && config.DotnetImages is null)
        {
            Annotations.Of(this).AddWarningV2(
                "identity-replicator:dotnetImages",
                "Context 'dotnetImages' is not set: the worker image cannot be built at deploy time. Set it to the registry path of the .NET images (or 'workerImage' to an image you pushed); see docs/deploy.md.");
        }

        Output("ReplicatorFunctionArn", Replicator.Function.FunctionArn, "For idrep triggers install --function-arn (existing pools)");
        Output("FailuresQueueUrl", Replicator.Failures.QueueUrl, "Events the Replicator could not handle");
        Output("WorkerCluster", Worker.Cluster.ClusterName, "The ECS cluster of the worker");
        Output("WorkerService", Worker.Service.ServiceName, "The worker service (desired count 1 where it is active)");
        Output("AlarmTopicArn", monitoring.Topic.TopicArn, "Subscribe to receive the alarms");
        Output("Dashboard", monitoring.Dashboard.DashboardName, "CloudWatch dashboard");
        if (reports is not null)
        {
            Output("DriftReportsBucket", reports.Bucket.BucketName, "Drift reports (drift-reports/yyyy/MM/dd/)");
        }
    }

    public ReplicatorFunction Replicator { get; }

    public WorkerService Worker { get; }

    /// <summary>The token relay, when the relay contexts are set.</summary>
    public TokenRelayService? Relay { get; }

    private void Output(string name, string value, string description) =>
        _ = new CfnOutput(this, name, new CfnOutputProps { Value = value, Description = description });
}
