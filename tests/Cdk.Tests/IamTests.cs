using System.Text.Json.Nodes;

namespace IdentityReplicator.Cdk.Tests;

/// <summary>
/// Least privilege, checked on every policy of every synthesized template: no statement names a wildcard action, and
/// a resource of '*' appears only where the API takes no other (each listed here with the reason).
/// </summary>
public sealed class IamTests(DefaultSynthesis synthesis) : IClassFixture<DefaultSynthesis>
{
    /// <summary>Actions that have no resource-level permissions: '*' is the only resource they accept.</summary>
    private static readonly HashSet<string> ActionsWithoutResources = new(StringComparer.Ordinal)
    {
        "ecr:GetAuthorizationToken", // pulling the worker image (added by the ECS task's execution role)
        "cloudwatch:GetMetricStatistics", // the failover preflight reading the Aurora replica lag and S3 replication metrics
        "autoscaling:DescribeAutoScalingGroups", // the failover capacity step reading a group's size and instances
    };

    public static TheoryData<string> Deployments => new() { "default", "existing pools and failover targets" };

    [Theory]
    [MemberData(nameof(Deployments))]
    public void NoStatement_NamesAWildcardAction(string deployment)
    {
        using var owned = deployment == "default" ? null : FailoverSynthesis();
        var s = owned ?? synthesis.Value;
        var statements = Statements(s).ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, st => Assert.All(Values(st.Statement["Action"]), action => Assert.DoesNotContain("*", action, StringComparison.Ordinal)));
        Assert.All(statements, st => Assert.Null(st.Statement["NotAction"]));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void WildcardResources_OnlyWhereTheApiTakesNoOther(string deployment)
    {
        using var owned = deployment == "default" ? null : FailoverSynthesis();
        var s = owned ?? synthesis.Value;
        foreach (var (where, statement, isKeyPolicy) in Statements(s))
        {
            if (!Values(statement["Resource"]).Contains("*"))
            {
                continue;
            }

            // In a key policy, '*' is the key the policy is attached to.
            var allowed = isKeyPolicy || Values(statement["Action"]).All(ActionsWithoutResources.Contains);
            Assert.True(allowed, $"{where}: {statement.ToJsonString()} has Resource '*'");
        }
    }

    [Theory]
    [InlineData("IdentityReplicator-Primary", "us-east-1")]
    [InlineData("IdentityReplicator-Standby", "us-west-2")]
    public void TheReplicator_ReadsBothPoolsAndRecordsInItsRegionsTable_AndNothingElse(string stack, string region)
    {
        var policy = Policy(synthesis.Value, stack, "ReplicatorRoleDefaultPolicy");
        var actions = policy.SelectMany(st => Values(st["Action"])).Order().ToList();
        Assert.Equal(
            [
                "cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser", "cognito-idp:GetGroup", "cognito-idp:ListUsers",
                "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                "logs:CreateLogStream", "logs:PutLogEvents",
                "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage",
            ],
            actions);
        var table = policy.Single(st => (string?)st["Sid"] == "RecordInMirrorTable");
        Assert.EndsWith($":dynamodb:{region}:123456789012:table/identity-replicator-mirror\"]]}}", table["Resource"]!.ToJsonString(), StringComparison.Ordinal);

        // Whichever pool the replication control names as the source is read: the primary, or after a failover the standby.
        var pools = Values(policy.Single(st => (string?)st["Sid"] == "ReadPoolsToCapture")["Resource"]).Select(Plain).ToList();
        Assert.Equal(2, pools.Count);
        Assert.Single(pools, p => p.Contains(":cognito-idp:us-east-1:123456789012:userpool/", StringComparison.Ordinal));
        Assert.Single(pools, p => p.Contains(":cognito-idp:us-west-2:123456789012:userpool/", StringComparison.Ordinal));
        var key = policy.Single(st => (string?)st["Sid"] == "UseMirrorTableKey");
        Assert.Equal($"dynamodb.{region}.amazonaws.com", (string?)key["Condition"]!["StringEquals"]!["kms:ViaService"]);
    }

    [Fact]
    public void TheWorker_WritesPoolsAndTheTableButCannotCreateOrDeleteTablesOrPools()
    {
        var actions = Policy(synthesis.Value, "IdentityReplicator-Standby", "WorkerTaskRoleDefaultPolicy").SelectMany(st => Values(st["Action"])).ToHashSet();
        Assert.Contains("cognito-idp:AdminCreateUser", actions);
        Assert.Contains("dynamodb:Query", actions);
        Assert.Contains("s3:PutObject", actions);
        Assert.Contains("events:PutEvents", actions);
        Assert.DoesNotContain(actions, a => a is "dynamodb:DeleteTable" or "dynamodb:CreateTable" or "cognito-idp:DeleteUserPool" or "cognito-idp:UpdateUserPool");
    }

    [Fact]
    public void TheOperatorPolicy_NamesTheZoneClustersParametersAndHealthChecks()
    {
        using var s = FailoverSynthesis();
        var policy = Assert.Single(s.Resources("IdentityReplicator-Primary", "AWS::IAM::ManagedPolicy"))["Properties"]!;
        Assert.Equal("IdentityReplicatorFailoverOperator", (string?)policy["ManagedPolicyName"]);
        var statements = policy["PolicyDocument"]!["Statement"]!.AsArray().ToDictionary(st => (string)st!["Sid"]!, st => st!);
        Assert.Equal("arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", Resource(statements["DnsRecords"]));
        Assert.Equal("arn:aws:route53:::change/*", Resource(statements["DnsChangeStatus"]));
        Assert.Equal(
            ["arn:aws:route53:::healthcheck/11111111-2222-3333-4444-555555555555", "arn:aws:route53:::healthcheck/66666666-7777-8888-9999-000000000000"],
            Values(statements["HealthChecks"]["Resource"]).Select(Plain));
        Assert.Equal(
            ["arn:aws:ssm:us-east-1:123456789012:parameter/myapp/*", "arn:aws:ssm:us-west-2:123456789012:parameter/myapp/*"],
            Values(statements["ClientConfigParameters"]["Resource"]).Select(Plain));
        var parameterKey = statements["ClientConfigParameterKey0"];
        Assert.Equal(["kms:Decrypt", "kms:Encrypt"], Values(parameterKey["Action"]).Order());
        Assert.Equal("ssm.us-west-2.amazonaws.com", (string?)parameterKey["Condition"]!["StringEquals"]!["kms:ViaService"]);
        Assert.Equal(
            ["arn:aws:rds:us-east-1:123456789012:cluster:myapp-east", "arn:aws:rds:us-west-2:123456789012:cluster:myapp-west", "arn:aws:rds::123456789012:global-cluster:myapp-global"],
            Values(statements["Database"]["Resource"]).Select(Plain));
        Assert.Contains("us-east-1_AbC123xyz", statements["PoolsCheckAndDrillUser"]["Resource"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheOperatorPolicy_GrantsExactlyTheCapacityAndReplicatedStoreCalls_OnTheNamedResources()
    {
        using var s = FailoverSynthesis();
        var policy = Assert.Single(s.Resources("IdentityReplicator-Primary", "AWS::IAM::ManagedPolicy"))["Properties"]!;
        var statements = policy["PolicyDocument"]!["Statement"]!.AsArray().ToDictionary(st => (string)st!["Sid"]!, st => st!);

        Assert.Equal(
            ["elasticbeanstalk:DescribeConfigurationSettings", "elasticbeanstalk:DescribeEnvironmentHealth", "elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:UpdateEnvironment"],
            Values(statements["CapacityBeanstalk"]["Action"]).Order());
        Assert.Equal(
            [
                "arn:aws:elasticbeanstalk:us-east-1:123456789012:application/myapp", "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/myapp/myapp-east",
                "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/myapp/myapp-west", "arn:aws:elasticbeanstalk:us-west-2:123456789012:application/myapp",
                "arn:aws:elasticbeanstalk:us-west-2:123456789012:environment/myapp/myapp-east", "arn:aws:elasticbeanstalk:us-west-2:123456789012:environment/myapp/myapp-west",
            ],
            Values(statements["CapacityBeanstalk"]["Resource"]).Select(Plain).Order());
        Assert.Equal(
            ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/web-asg", "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:*:autoScalingGroupName/web-asg"],
            Values(statements["CapacityGroups"]["Resource"]).Select(Plain));
        Assert.Equal(["autoscaling:UpdateAutoScalingGroup"], Values(statements["CapacityGroups"]["Action"]));
        Assert.Equal(["ecs:DescribeServices", "ecs:UpdateService"], Values(statements["CapacityServices"]["Action"]).Order());
        Assert.Equal(
            ["arn:aws:ecs:us-east-1:123456789012:service/jobs/worker", "arn:aws:ecs:us-west-2:123456789012:service/jobs/worker"],
            Values(statements["CapacityServices"]["Resource"]).Select(Plain));
        Assert.Equal(["secretsmanager:DescribeSecret"], Values(statements["ReplicatedSecrets"]["Action"]));
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/db-AbCdEf", Resource(statements["ReplicatedSecrets"]));
        Assert.Equal(["kms:DescribeKey"], Values(statements["ReplicatedKeys"]["Action"]));
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", Resource(statements["ReplicatedKeys"]));
    }

    [Fact]
    public void ExistingPools_AreNamedInThePermissions_AndNoPoolIsDefined()
    {
        using var s = FailoverSynthesis();
        Assert.Empty(s.Resources("IdentityReplicator-PrimaryData", "AWS::Cognito::UserPool"));
        Assert.Empty(s.Resources("IdentityReplicator-StandbyData", "AWS::Cognito::UserPool"));
        var worker = Policy(s, "IdentityReplicator-Standby", "WorkerTaskRoleDefaultPolicy").Single(st => (string?)st["Sid"] == "ApplyToTargetPool");
        Assert.Equal(
            ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz", "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_DeF456uvw"],
            Values(worker["Resource"]).Select(Plain));
    }

    [Fact]
    public void WorkerRole_ReadsBothPoolsConfiguration_ButCannotWriteIt()
    {
        using var s = FailoverSynthesis();
        var statements = Policy(s, "IdentityReplicator-Standby", "WorkerTaskRoleDefaultPolicy").ToDictionary(st => (string)st["Sid"]!);
        string[] pools = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz", "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_DeF456uvw"];

        var reads = Values(statements["ReadPoolConfiguration"]["Action"]).Select(Plain).ToList();

        Assert.Contains("cognito-idp:DescribeUserPoolClient", reads);
        Assert.Contains("cognito-idp:ListUserPoolClientSecrets", reads);
        Assert.Contains("cognito-idp:DescribeManagedLoginBrandingByClient", reads);
        Assert.Contains("cognito-idp:ListTerms", reads);
        Assert.Contains("cognito-idp:DescribeTerms", reads);
        Assert.Contains("cognito-idp:GetLogDeliveryConfiguration", reads);
        Assert.Contains("cognito-idp:DescribeRiskConfiguration", reads);
        Assert.DoesNotContain(reads, action => action.Contains('*', StringComparison.Ordinal));
        var all = statements.Values.SelectMany(st => Values(st["Action"])).ToHashSet();
        Assert.DoesNotContain(all, a => a is "cognito-idp:UpdateUserPoolClient" or "cognito-idp:DeleteUserPoolClient" or "cognito-idp:AddUserPoolClientSecret");
        Assert.Equal(pools, Values(statements["ReadPoolConfiguration"]["Resource"]).Select(Plain));
    }

    [Fact]
    public void FailoverOperatorPolicy_ReadsBothPoolsConfigurationAndAddsClientSecrets_ButWritesNoOtherConfiguration()
    {
        using var s = FailoverSynthesis();
        var policy = Assert.Single(s.Resources("IdentityReplicator-Primary", "AWS::IAM::ManagedPolicy"))["Properties"]!;
        var statements = policy["PolicyDocument"]!["Statement"]!.AsArray().ToDictionary(st => (string)st!["Sid"]!, st => st!);
        string[] pools = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz", "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_DeF456uvw"];

        Assert.Equal(
            [
                "cognito-idp:DescribeIdentityProvider", "cognito-idp:DescribeManagedLoginBrandingByClient", "cognito-idp:DescribeRiskConfiguration", "cognito-idp:DescribeTerms",
                "cognito-idp:DescribeUserPoolClient", "cognito-idp:GetLogDeliveryConfiguration", "cognito-idp:GetUICustomization", "cognito-idp:GetUserPoolMfaConfig",
                "cognito-idp:ListIdentityProviders", "cognito-idp:ListResourceServers", "cognito-idp:ListTerms", "cognito-idp:ListUserPoolClientSecrets", "cognito-idp:ListUserPoolClients",
            ],
            Values(statements["PoolsConfiguration"]["Action"]).Select(Plain).Order(StringComparer.Ordinal));
        Assert.Equal(["cognito-idp:AddUserPoolClientSecret"], Values(statements["RotateClientSecret"]["Action"]).Select(Plain));
        Assert.Equal(pools, Values(statements["PoolsConfiguration"]["Resource"]).Select(Plain));
        Assert.Equal(pools, Values(statements["RotateClientSecret"]["Resource"]).Select(Plain));
        var all = statements.Values.SelectMany(st => Values(st["Action"]).Select(Plain)).ToHashSet();
        Assert.DoesNotContain(all, a => a is "cognito-idp:DeleteUserPoolClientSecret" or "cognito-idp:UpdateUserPoolClient" or "cognito-idp:CreateUserPoolClient");
    }

    private static Synthesis FailoverSynthesis() => new(new Dictionary<string, string>
    {
        ["createPools"] = "false",
        ["primaryUserPoolId"] = "us-east-1_AbC123xyz",
        ["standbyUserPoolId"] = "us-west-2_DeF456uvw",
        ["failoverHostedZoneId"] = "Z0123456789ABCDEFGHIJ",
        ["failoverHealthCheckIds"] = "11111111-2222-3333-4444-555555555555, 66666666-7777-8888-9999-000000000000",
        ["failoverParameterPrefix"] = "/myapp/",
        ["failoverParameterKeyArns"] = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ["failoverGlobalClusterId"] = "myapp-global",
        ["failoverPrimaryDatabase"] = "myapp-east",
        ["failoverStandbyDatabase"] = "myapp-west",
        ["failoverBeanstalkEnvironments"] = "myapp/myapp-east, myapp/myapp-west",
        ["failoverAutoScalingGroups"] = "web-asg",
        ["failoverEcsServices"] = "jobs/worker",
        ["failoverReplicatedSecretArns"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/db-AbCdEf",
        ["failoverReplicatedKeyArns"] = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        ["failoverReplicatedBuckets"] = "myapp-assets-east",
        ["groupRoleArns"] = "arn:aws:iam::123456789012:role/admins",
    });

    private static List<JsonNode> Policy(Synthesis s, string stack, string logicalIdPrefix) =>
        s.Templates[stack]["Resources"]!.AsObject()
            .Single(r => r.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal))
            .Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(st => st!).ToList();

    /// <summary>Every policy statement in every template: IAM policies, inline role policies, resource and key policies.</summary>
    private static IEnumerable<(string Where, JsonObject Statement, bool IsKeyPolicy)> Statements(Synthesis s)
    {
        foreach (var (stack, template) in s.Templates)
        {
            foreach (var (id, resource) in template["Resources"]!.AsObject())
            {
                var isKey = (string?)resource!["Type"] == "AWS::KMS::Key";
                foreach (var statement in Find(resource["Properties"]))
                {
                    yield return ($"{stack}/{id}", statement, isKey);
                }
            }
        }

        static IEnumerable<JsonObject> Find(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when o["Statement"] is JsonArray statements && o.ContainsKey("Version"):
                    foreach (var st in statements)
                    {
                        yield return st!.AsObject();
                    }

                    break;
                case JsonObject o:
                    foreach (var child in o.SelectMany(p => Find(p.Value)))
                    {
                        yield return child;
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.SelectMany(Find))
                    {
                        yield return child;
                    }

                    break;
            }
        }
    }

    /// <summary>A statement's actions or resources as strings (intrinsic functions as their JSON).</summary>
    private static List<string> Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(v => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : v!.ToJsonString()).ToList(),
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [node.ToJsonString()],
    };

    private static string Resource(JsonNode statement) => Plain(Assert.Single(Values(statement["Resource"])));

    /// <summary>An ARN with the partition and account written in, as CloudFormation would resolve them here.</summary>
    private static string Plain(string value)
    {
        if (!value.StartsWith('{'))
        {
            return value;
        }

        var parts = JsonNode.Parse(value)!["Fn::Join"]![1]!.AsArray()
            .Select(p => p is JsonValue v && v.TryGetValue<string>(out var text) ? text : (string?)p!["Ref"] switch
            {
                "AWS::Partition" => "aws",
                "AWS::AccountId" => Synthesis.Account,
                var other => $"<{other}>",
            });
        return string.Concat(parts);
    }
}
