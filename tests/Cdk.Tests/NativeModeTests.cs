namespace IdentityReplicator.Cdk.Tests;

/// <summary>The deployment in native mode (Cognito's native replica copies the users), with the relay, synthesized once.</summary>
public sealed class NativeSynthesis : IDisposable
{
    public static readonly Dictionary<string, string> Context = new(RelaySynthesis.Context, StringComparer.Ordinal)
    {
        ["createPools"] = "false",
        ["primaryUserPoolId"] = "us-east-1_Native1",
        ["standbyUserPoolId"] = "us-east-1_Native1",
        ["replicationMode"] = "native",
        ["nativeLagAlarmMs"] = "45000",
    };

    public Synthesis Value { get; } = new(Context);

    public void Dispose() => Value.Dispose();
}

/// <summary>
/// Native mode (<c>replicationMode: native</c>): the worker and the relay run with <c>Replication:Mode</c> native, and the
/// standby's Region alarms on the canary's <c>NativeReplicationLag</c> at the configured threshold instead of on the
/// change feed the native worker does not follow.
/// </summary>
public sealed class NativeModeTests(NativeSynthesis synthesis) : IClassFixture<NativeSynthesis>
{
    private const string Primary = "IdentityReplicator-Primary";
    private const string Standby = "IdentityReplicator-Standby";

    private Synthesis S => synthesis.Value;

    [Fact]
    public void Alarms_NativeMode_NativeReplicationLagP99AboveTheConfiguredThreshold_OrSilent_NotifiesTheTopic()
    {
        var alarms = S.Resources(Standby, "AWS::CloudWatch::Alarm").Select(a => a["Properties"]!).ToList();
        var topic = alarms.Single(a => (string?)a["MetricName"] == "Errors")["AlarmActions"]!.ToJsonString();

        var lag = alarms.Single(a => (string?)a["MetricName"] == "NativeReplicationLag");
        Assert.Equal(
            ("IdentityReplicator", "p99", 45000.0, "GreaterThanThreshold", "breaching"),
            ((string?)lag["Namespace"], (string?)lag["ExtendedStatistic"], (double)lag["Threshold"]!, (string?)lag["ComparisonOperator"], (string?)lag["TreatMissingData"]));
        var dimension = Assert.Single(lag["Dimensions"]!.AsArray())!;
        Assert.Equal(("Service", "worker"), ((string?)dimension["Name"], (string?)dimension["Value"]));
        Assert.Equal(topic, lag["AlarmActions"]!.ToJsonString());

        // The native worker follows no change feed: an alarm on its silence would always fire.
        Assert.DoesNotContain(alarms, a => (string?)a["MetricName"] is "FeedBehind" or "ReplicationLag");
        Assert.DoesNotContain(S.Resources(Primary, "AWS::CloudWatch::Alarm"), a => (string?)a["Properties"]!["MetricName"] == "NativeReplicationLag");
    }

    [Fact]
    public void WorkerRole_NativeMode_MayAddTheCanaryAttributeToThePrimarysSchemaOnly()
    {
        foreach (var stack in new[] { Primary, Standby })
        {
            var statement = S.Resources(stack, "AWS::IAM::Policy")
                .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                .Single(st => (string?)st!["Sid"] == "NativeCanarySchema")!;
            Assert.Equal("cognito-idp:AddCustomAttributes", (string?)statement["Action"]);
            Assert.Contains(":us-east-1:", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Contains("userpool/us-east-1_Native1", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Synth_NativeMode_TheWorkerAndTheRelayRunInNativeMode()
    {
        foreach (var stack in new[] { Primary, Standby })
        {
            var containers = S.Resources(stack, "AWS::ECS::TaskDefinition")
                .SelectMany(t => t["Properties"]!["ContainerDefinitions"]!.AsArray())
                .Select(c => c!["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => e!["Value"]!.ToJsonString().Trim('"'), StringComparer.Ordinal))
                .ToList();
            Assert.True(containers.Count >= 2, $"{stack}: {containers.Count} containers");
            Assert.All(containers, environment => Assert.Equal("native", environment.GetValueOrDefault("IDREP_Replication__Mode")));
            Assert.All(containers, environment => Assert.Equal("us-east-1_Native1", environment.GetValueOrDefault("IDREP_Replication__Standby__UserPoolId")));
        }
    }
}
