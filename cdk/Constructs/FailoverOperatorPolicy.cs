using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using IdentityReplicator.Cdk.Config;

namespace IdentityReplicator.Cdk.Constructs;

internal sealed class FailoverOperatorPolicyProps
{
    public required DeploymentConfig Config { get; init; }

    public required string PrimaryPoolId { get; init; }

    public required string StandbyPoolId { get; init; }

    public required string PrimaryKeyArn { get; init; }

    public required string StandbyKeyArn { get; init; }
}

/// <summary>
/// The managed policy for whoever runs <c>idrep failover</c> (attach it to the operators' role): the control item and
/// journal in the mirror table, the drill user, the drift sample and the configuration comparison in both pools, a new
/// client secret in both (<c>idrep clients rotate-secret</c>), and — for each part of the plan the
/// context names — the Route 53 zone and health checks, the Aurora clusters, the SSM parameter path, the replica lag.
/// </summary>
internal sealed class FailoverOperatorPolicy : Construct
{
    public FailoverOperatorPolicy(Construct scope, string id, FailoverOperatorPolicyProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        var config = props.Config;
        var targets = config.Failover;
        string[] regions = [config.PrimaryRegion, config.StandbyRegion];
        var statements = new List<PolicyStatement>
        {
            Permissions.Allow(
                "ControlItemAndJournal",
                Permissions.OperatorTable,
                regions.SelectMany(r => new[] { Permissions.TableArn(stack, r, config.TableName), Permissions.FeedIndexArn(stack, r, config.TableName) })),
            Permissions.TableKeyThroughDynamoDb("UsePrimaryTableKey", props.PrimaryKeyArn, config.PrimaryRegion),
            Permissions.TableKeyThroughDynamoDb("UseStandbyTableKey", props.StandbyKeyArn, config.StandbyRegion),
            Permissions.Allow(
                "PoolsCheckAndDrillUser",
                // Preflight reads both pools (a drift sample); verify creates the monitoring user and sets its password.
                // Its sign-in (InitiateAuth) is an unauthenticated call that needs no IAM permission.
                [
                    "cognito-idp:DescribeUserPool", "cognito-idp:ListUsers", "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser",
                    "cognito-idp:AdminCreateUser", "cognito-idp:AdminSetUserPassword",
                ],
                [Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId), Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId)]),
            Permissions.Allow(
                "PoolsConfiguration",
                // Preflight's standby-drift check compares both pools' configuration; 'idrep clients rotate-secret' reads it too.
                Permissions.ConfigurationReads,
                [Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId), Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId)]),
            Permissions.Allow(
                "RotateClientSecret",
                Permissions.SecretRotation,
                [Permissions.PoolArn(stack, config.PrimaryRegion, props.PrimaryPoolId), Permissions.PoolArn(stack, config.StandbyRegion, props.StandbyPoolId)]),
        };

        if (targets.HostedZoneId is { } zone)
        {
            statements.Add(Permissions.Allow(
                "DnsRecords",
                ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets"],
                [$"arn:{stack.Partition}:route53:::hostedzone/{zone}"]));

            // A change's id exists only once the change is made, so the wait on it cannot name it in advance.
            statements.Add(Permissions.Allow("DnsChangeStatus", ["route53:GetChange"], [$"arn:{stack.Partition}:route53:::change/*"]));
        }

        if (targets.HealthCheckIds.Count > 0)
        {
            statements.Add(Permissions.Allow(
                "HealthChecks",
                ["route53:GetHealthCheckStatus"],
                targets.HealthCheckIds.Select(h => $"arn:{stack.Partition}:route53:::healthcheck/{h}")));
        }

        if (targets.ParameterPrefix is { } prefix)
        {
            statements.Add(Permissions.Allow(
                "ClientConfigParameters",
                ["ssm:GetParameters", "ssm:PutParameter"],
                regions.Select(r => stack.FormatArn(new ArnComponents { Service = "ssm", Region = r, Resource = "parameter", ResourceName = prefix.Trim('/') + "/*" }))));

            // SecureString parameters under a customer-managed key (the AWS-managed aws/ssm key needs no grant).
            foreach (var (keyArn, index) in targets.ParameterKeyArns.Select((k, i) => (k, i)))
            {
                var keyRegion = keyArn.Split(':') is { Length: > 3 } parts ? parts[3] : config.PrimaryRegion;
                statements.Add(Permissions.Allow(
                    $"ClientConfigParameterKey{index}",
                    ["kms:Decrypt", "kms:Encrypt"],
                    [keyArn],
                    new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"ssm.{keyRegion}.amazonaws.com" } }));
            }
        }

        if (targets.PrimaryDatabase is { } primaryDb && targets.StandbyDatabase is { } standbyDb)
        {
            var databases = new[] { (config.PrimaryRegion, primaryDb), (config.StandbyRegion, standbyDb) }
                .Select(d => DatabaseArn(stack, d.Item1, d.Item2))
                .ToList();
            if (targets.GlobalClusterId is { } global)
            {
                databases.Add($"arn:{stack.Partition}:rds::{stack.Account}:global-cluster:{global}");
            }

            statements.Add(Permissions.Allow(
                "Database",
                [
                    "rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeGlobalClusters", "rds:SwitchoverGlobalCluster",
                    "rds:FailoverGlobalCluster", "rds:PromoteReadReplicaDBCluster", "rds:PromoteReadReplica",
                ],
                databases));

            // GetMetricStatistics (the replica lag) has no resource-level permissions: '*' is the only resource it takes.
            statements.Add(Permissions.Allow("ReplicaLag", ["cloudwatch:GetMetricStatistics"], ["*"]));
        }

        statements.AddRange(CapacityGrants.Statements(stack, config));

        Policy = new ManagedPolicy(this, "Policy", new ManagedPolicyProps
        {
            ManagedPolicyName = "IdentityReplicatorFailoverOperator",
            Description = "Lets an operator run idrep failover plan, drill, execute, failback, resume and status",
            Statements = [.. statements],
        });
    }

    public ManagedPolicy Policy { get; }

    private static string DatabaseArn(Stack stack, string region, string id) => id.StartsWith("db:", StringComparison.Ordinal)
        ? stack.FormatArn(new ArnComponents { Service = "rds", Region = region, Resource = "db", ResourceName = id[3..], ArnFormat = ArnFormat.COLON_RESOURCE_NAME })
        : stack.FormatArn(new ArnComponents { Service = "rds", Region = region, Resource = "cluster", ResourceName = id, ArnFormat = ArnFormat.COLON_RESOURCE_NAME });
}
