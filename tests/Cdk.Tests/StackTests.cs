using Amazon.CDK.Assertions;
using IdentityReplicator.Cdk.Constructs;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Cdk.Tests;

public sealed class StackTests(DefaultSynthesis synthesis) : IClassFixture<DefaultSynthesis>
{
    private const string PrimaryData = "IdentityReplicator-PrimaryData";
    private const string StandbyData = "IdentityReplicator-StandbyData";
    private const string Primary = "IdentityReplicator-Primary";
    private const string Standby = "IdentityReplicator-Standby";

    private Synthesis S => synthesis.Value;

    [Fact]
    public void Synth_Offline_NamesRealZonesAndNoDummyValue()
    {
        // Act: the templates as synthesized without credentials (no lookup).
        var templates = S.Templates.ToDictionary(t => t.Key, t => t.Value.ToJsonString(), StringComparer.Ordinal);

        // Assert: the CDK's offline stand-ins ("dummy1a", "dummy-value-for-…") are nowhere; the worker's subnets are in the Region's zones.
        Assert.All(templates, t => Assert.DoesNotContain("dummy", t.Value, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(S.MissingContext);
        var zones = S.Resources(Primary, "AWS::EC2::Subnet").Select(r => (string?)r["Properties"]!["AvailabilityZone"]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(new HashSet<string?>(["us-east-1a", "us-east-1b"], StringComparer.Ordinal), zones);
    }

    [Fact]
    public void Synth_MakesTwoStacksPerRegion_InTheirRegionsAndAccount()
    {
        Assert.Equal(new[] { StandbyData, PrimaryData, Primary, Standby }.Order(), S.Stacks.Keys.Order());
        Assert.Equal("us-east-1", S.Stacks[PrimaryData].Region);
        Assert.Equal("us-east-1", S.Stacks[Primary].Region);
        Assert.Equal("us-west-2", S.Stacks[StandbyData].Region);
        Assert.Equal("us-west-2", S.Stacks[Standby].Region);
        Assert.All(S.Stacks.Values, s => Assert.Equal(Synthesis.Account, s.Account));
    }

    [Fact]
    public void MirrorTable_IsAGlobalTableWithTheLayoutTheCodeUses()
    {
        var table = Assert.Single(S.Resources(PrimaryData, "AWS::DynamoDB::GlobalTable"));
        var p = table["Properties"]!;
        Assert.Equal("identity-replicator-mirror", (string?)p["TableName"]);
        Assert.Equal("PAY_PER_REQUEST", (string?)p["BillingMode"]);
        Assert.Equal(
            [(MirrorTable.PartitionKey, "HASH"), (MirrorTable.SortKey, "RANGE")],
            p["KeySchema"]!.AsArray().Select(k => ((string)k!["AttributeName"]!, (string)k["KeyType"]!)));
        var index = Assert.Single(p["GlobalSecondaryIndexes"]!.AsArray())!;
        Assert.Equal(MirrorTable.FeedIndex, (string?)index["IndexName"]);
        Assert.Equal([MirrorTable.FeedBucket, MirrorTable.FeedPosition], index["KeySchema"]!.AsArray().Select(k => (string)k!["AttributeName"]!));
        Assert.Equal("ALL", (string?)index["Projection"]!["ProjectionType"]);
        Assert.Equal(MirrorTable.ExpiresAt, (string?)p["TimeToLiveSpecification"]!["AttributeName"]);
        Assert.True((bool)p["TimeToLiveSpecification"]!["Enabled"]!);
        Assert.Equal("KMS", (string?)p["SSESpecification"]!["SSEType"]);
        Assert.True((bool)p["SSESpecification"]!["SSEEnabled"]!);
        Assert.Equal("Retain", (string?)table["DeletionPolicy"]);

        var replicas = p["Replicas"]!.AsArray().ToDictionary(r => (string)r!["Region"]!, r => r!);
        Assert.Equal(["us-east-1", "us-west-2"], replicas.Keys.Order());
        Assert.All(replicas.Values, r =>
        {
            Assert.True((bool)r["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!);
            Assert.True((bool)r["DeletionProtectionEnabled"]!);
            Assert.NotNull(r["SSESpecification"]!["KMSMasterKeyId"]);
        });
    }

    [Theory]
    [InlineData(PrimaryData)]
    [InlineData(StandbyData)]
    public void Keys_RotateAndAreRetained(string stack)
    {
        var key = Assert.Single(S.Resources(stack, "AWS::KMS::Key"));
        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal("Retain", (string?)key["DeletionPolicy"]);
        S.Template(stack).HasResourceProperties("AWS::KMS::Alias", new Dictionary<string, object> { ["AliasName"] = "alias/identity-replicator" });
    }

    [Theory]
    [InlineData(PrimaryData, false)]
    [InlineData(StandbyData, true)]
    public void DefinedPools_CallTheReplicatorByName_WithTheTriggersTheCliInstalls(string stack, bool standby)
    {
        var pool = Assert.Single(S.Resources(stack, "AWS::Cognito::UserPool"));
        var triggers = pool["Properties"]!["LambdaConfig"]!.AsObject();
        var expected = standby ? UserPoolTriggers.StandbyDefaults : UserPoolTriggers.PrimaryDefaults;
        Assert.Equal(expected.Order(), triggers.Select(t => t.Key).Order());
        Assert.All(triggers, t => Assert.Contains(":function:identity-replicator", t.Value!.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal("Retain", (string?)pool["DeletionPolicy"]);
        Assert.Contains(pool["Properties"]!["Schema"]!.AsArray(), a => (string?)a!["Name"] == "primary_sub");
    }

    [Theory]
    [InlineData(Primary, "us-east-1")]
    [InlineData(Standby, "us-west-2")]
    public void Replicator_IsTheNativeAotBootstrapWithReservedConcurrencyAndAFailureQueue(string stack, string region)
    {
        var function = S.Resources(stack, "AWS::Lambda::Function").Single(f => (string?)f["Properties"]!["FunctionName"] == "identity-replicator");
        var p = function["Properties"]!;
        Assert.Equal("provided.al2023", (string?)p["Runtime"]);
        Assert.Equal("bootstrap", (string?)p["Handler"]);
        Assert.Equal(50, (int)p["ReservedConcurrentExecutions"]!);
        var environment = p["Environment"]!["Variables"]!.AsObject();
        Assert.Equal("identity-replicator-mirror", (string?)environment["IDREP_TABLE_NAME"]);
        Assert.Equal("us-east-1", (string?)environment["IDREP_PRIMARY_REGION"]);
        Assert.Equal("us-west-2", (string?)environment["IDREP_STANDBY_REGION"]);
        Assert.Equal("8", (string?)environment["IDREP_FEED_BUCKETS"]);
        Assert.Equal("0.004", (string?)environment["IDREP_QUOTA_SHARE"]);
        Assert.NotNull(environment["IDREP_PRIMARY_POOL_ID"]);
        Assert.NotNull(environment["IDREP_STANDBY_POOL_ID"]);

        var invoke = Assert.Single(S.Resources(stack, "AWS::Lambda::EventInvokeConfig"));
        Assert.NotNull(invoke["Properties"]!["DestinationConfig"]!["OnFailure"]!["Destination"]);
        var logs = S.Resources(stack, "AWS::Logs::LogGroup").Single(l => (string?)l["Properties"]!["LogGroupName"] == "/aws/lambda/identity-replicator");
        Assert.Equal(30, (int)logs["Properties"]!["RetentionInDays"]!);

        var cognito = S.Resources(stack, "AWS::Lambda::Permission").Single(p => (string?)p["Properties"]!["Principal"] == "cognito-idp.amazonaws.com");
        Assert.Contains($":cognito-idp:{region}:{Synthesis.Account}:userpool/", cognito["Properties"]!["SourceArn"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Primary)]
    [InlineData(Standby)]
    public void EventRules_InBothRegions_SendCloudTrailChangesAndHintsToTheirReplicator(string stack)
    {
        // Each Region's function captures its own pool's events once the control makes that pool the source.
        var rules = S.Resources(stack, "AWS::Events::Rule").Select(r => r["Properties"]!).ToList();
        Assert.Equal(2, rules.Count);
        var cloudTrail = rules.Single(r => r["EventPattern"]!["source"] is not null);
        Assert.Equal("aws.cognito-idp", (string?)cloudTrail["EventPattern"]!["source"]![0]);
        Assert.Equal("AWS API Call via CloudTrail", (string?)cloudTrail["EventPattern"]!["detail-type"]![0]);
        Assert.Equal(CloudTrailChanges.EventNames.Order(), cloudTrail["EventPattern"]!["detail"]!["eventName"]!.AsArray().Select(n => (string)n!).Order());
        Assert.All(CloudTrailChanges.EventNames, name => Assert.NotEqual(CloudTrailChange.None, CloudTrailChanges.Of(name)));

        // Applications publish hints under their own source (docs/application-hints.md): the rule matches the detail type only.
        var hints = rules.Single(r => r["EventPattern"]!["source"] is null);
        Assert.Equal(UserChangedEvent.DetailType, (string?)hints["EventPattern"]!["detail-type"]![0]);
        Assert.All(rules, r => Assert.NotNull(r["Targets"]![0]!["DeadLetterConfig"]));
        Assert.All(rules, r => Assert.Equal(8, (int)r["Targets"]![0]!["RetryPolicy"]!["MaximumRetryAttempts"]!));
        Assert.All(rules, r => Assert.Equal(7200, (int)r["Targets"]![0]!["RetryPolicy"]!["MaximumEventAgeInSeconds"]!));
    }

    [Theory]
    [InlineData(Primary, 0)]
    [InlineData(Standby, 1)]
    public void Worker_RunsInTheStandbysRegion_AndWaitsDormantInThePrimarys(string stack, int desired)
    {
        var service = Assert.Single(S.Resources(stack, "AWS::ECS::Service"));
        Assert.Equal(desired, (int)service["Properties"]!["DesiredCount"]!);
        Assert.Equal(0, (int)service["Properties"]!["DeploymentConfiguration"]!["MinimumHealthyPercent"]!);
        Assert.Equal(100, (int)service["Properties"]!["DeploymentConfiguration"]!["MaximumPercent"]!);

        var worker = S.Resources(stack, "AWS::ECS::TaskDefinition").Select(t => t["Properties"]!["ContainerDefinitions"]![0]!).Single(c => c["Command"] is null);
        Assert.Equal(["CMD", "dotnet", "idrep.dll", "health", "--url", "http://127.0.0.1:8080/health/ready"], worker["HealthCheck"]!["Command"]!.AsArray().Select(c => (string)c!));
        var environment = worker["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => e!["Value"]!.ToJsonString());
        Assert.Contains("IDREP_Replication__Primary__UserPoolId", environment.Keys);
        Assert.Contains("IDREP_Replication__Standby__UserPoolId", environment.Keys);
        Assert.Equal("\"json\"", environment["IDREP_Worker__LogFormat"]);
        Assert.Equal("\"IdentityReplicator\"", environment["IDREP_Worker__CloudWatchNamespace"]);
        Assert.Equal("awslogs", (string?)worker["LogConfiguration"]!["LogDriver"]);

        var logs = S.Resources(stack, "AWS::Logs::LogGroup").Where(l => l["Properties"]!["LogGroupName"] is null);
        Assert.All(logs, l => Assert.Equal(30, (int)l["Properties"]!["RetentionInDays"]!));
    }

    [Fact]
    public void DriftReports_RunOnTheScheduleAsATask_IntoAPrivateBucketThatExpiresThem()
    {
        var schedule = Assert.Single(S.Resources(Standby, "AWS::Scheduler::Schedule"))["Properties"]!;
        Assert.Equal("cron(0 3 * * ? *)", (string?)schedule["ScheduleExpression"]);
        Assert.Equal("UTC", (string?)schedule["ScheduleExpressionTimezone"]);
        Assert.Equal("FARGATE", (string?)schedule["Target"]!["EcsParameters"]!["LaunchType"]);
        var drift = S.Resources(Standby, "AWS::ECS::TaskDefinition").Select(t => t["Properties"]!["ContainerDefinitions"]![0]!).Single(c => c["Command"] is not null);
        Assert.Equal(["drift", "--publish"], drift["Command"]!.AsArray().Select(c => (string)c!));
        Assert.Contains(drift["Environment"]!.AsArray(), e => (string?)e!["Name"] == "IDREP_Drift__OutputBucket");

        var bucket = Assert.Single(S.Resources(Standby, "AWS::S3::Bucket"));
        var p = bucket["Properties"]!;
        Assert.True((bool)p["PublicAccessBlockConfiguration"]!["BlockPublicAcls"]!);
        Assert.True((bool)p["PublicAccessBlockConfiguration"]!["RestrictPublicBuckets"]!);
        Assert.Equal("AES256", (string?)p["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        var rule = Assert.Single(p["LifecycleConfiguration"]!["Rules"]!.AsArray())!;
        Assert.Equal(90, (int)rule["ExpirationInDays"]!);
        Assert.Equal("drift-reports/", (string?)rule["Prefix"]);
        Assert.Equal("Retain", (string?)bucket["DeletionPolicy"]);
        Assert.Empty(S.Resources(Primary, "AWS::Scheduler::Schedule"));
    }

    [Fact]
    public void Alarms_CoverLagBacklogParkedDriftTriggerErrorsAndThrottles_AndNotifyTheTopic()
    {
        var alarms = S.Resources(Standby, "AWS::CloudWatch::Alarm").Select(a => a["Properties"]!).ToList();
        var metrics = alarms.Select(a => (string?)a["MetricName"]).ToHashSet();
        foreach (var name in new[] { "ReplicationLag", "FeedBehind", "ParkedNow", "DriftDifferences", "DriftRuns", "Throttled", "TriggerCaptureFailed", "Errors", "Throttles", "ApproximateNumberOfMessagesVisible" })
        {
            Assert.Contains(name, metrics);
        }

        Assert.All(alarms, a => Assert.Single(a["AlarmActions"]!.AsArray()));
        var behind = alarms.Single(a => (string?)a["MetricName"] == "FeedBehind");
        Assert.Equal("breaching", (string?)behind["TreatMissingData"]);
        var missingReport = alarms.Single(a => (string?)a["MetricName"] == "DriftRuns");
        Assert.Equal(("LessThanThreshold", "breaching"), ((string?)missingReport["ComparisonOperator"], (string?)missingReport["TreatMissingData"]));
        S.Template(Standby).ResourceCountIs("AWS::CloudWatch::Dashboard", 1);
        S.Template(Standby).HasResourceProperties("AWS::SNS::Subscription", new Dictionary<string, object> { ["Protocol"] = "email", ["Endpoint"] = "oncall@example.com" });
        S.Template(Standby).HasResourceProperties("AWS::Logs::MetricFilter", Match.ObjectLike(new Dictionary<string, object> { ["FilterPattern"] = "{ $.EventId = 1004 }" }));
    }

    [Fact]
    public void WorkerAlarms_NameTheMetricsTheExporterWrites_WithItsDimension()
    {
        var exported = CloudWatchMetricNames.All.Select(m => m.Name).ToHashSet();
        var workerAlarms = S.Resources(Standby, "AWS::CloudWatch::Alarm")
            .Select(a => a["Properties"]!)
            .Where(a => (string?)a["Namespace"] == MetricNames.Namespace && (string?)a["MetricName"] != MetricNames.TriggerCaptureFailed)
            .ToList();

        Assert.NotEmpty(workerAlarms);
        Assert.All(workerAlarms, a =>
        {
            Assert.Contains((string)a["MetricName"]!, exported);
            var dimension = Assert.Single(a["Dimensions"]!.AsArray())!;
            Assert.Equal(("Service", "worker"), ((string?)dimension["Name"], (string?)dimension["Value"]));
        });
    }
}
