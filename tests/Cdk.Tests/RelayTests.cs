using System.Text.Json.Nodes;
namespace IdentityReplicator.Cdk.Tests;

/// <summary>The deployment with the token relay (its contexts set), synthesized once for its tests.</summary>
public sealed class RelaySynthesis : IDisposable
{
    public static readonly Dictionary<string, string> Context = new(StringComparer.Ordinal)
    {
        ["relayDomainName"] = "token.example.com",
        ["relayHostedZoneId"] = "Z0RELAY0123456789ABC",
        ["relayHostedZoneName"] = "example.com",
        ["relayPrimaryTokenEndpoint"] = "https://myapp-east.auth.us-east-1.amazoncognito.com/oauth2/token",
        ["relayStandbyTokenEndpoint"] = "https://myapp-west.auth.us-west-2.amazoncognito.com/oauth2/token",
    };

    public Synthesis Value { get; } = new(Context);

    public void Dispose() => Value.Dispose();
}

/// <summary>
/// The token relay (issue 13): a service in each Region behind one stable name (Route 53 failover alias records on each
/// Region's load balancer), reading only the control item and the client mappings of its own Region's mirror replica.
/// </summary>
public sealed class RelayTests(RelaySynthesis synthesis) : IClassFixture<RelaySynthesis>
{
    private const string Primary = "IdentityReplicator-Primary";
    private const string Standby = "IdentityReplicator-Standby";

    private Synthesis S => synthesis.Value;

    public static TheoryData<string, string> Regions => new() { { Primary, "us-east-1" }, { Standby, "us-west-2" } };

    [Theory]
    [MemberData(nameof(Regions))]
    public void Synth_WithRelayContext_RunsTheRelayInEachRegion_BehindAnHttpsLoadBalancer(string stack, string region)
    {
        // Assert: a relay service running 'idrep relay' from the worker image, its health check on /health/live.
        var task = Single(stack, "AWS::ECS::TaskDefinition", t => Container(t) is { } c && Values(c["Command"]).FirstOrDefault() == "relay");
        var container = Container(task)!;
        Assert.Equal(["relay", "--host", "0.0.0.0", "--port", "8081"], Values(container["Command"]));
        var environment = Environment(container);
        Assert.Equal(region, environment["IDREP_Relay__MirrorRegion"]);
        Assert.Equal(RelaySynthesis.Context["relayPrimaryTokenEndpoint"], environment["IDREP_Relay__TokenEndpoints__us-east-1"]);
        Assert.Equal(RelaySynthesis.Context["relayStandbyTokenEndpoint"], environment["IDREP_Relay__TokenEndpoints__us-west-2"]);
        Assert.Equal("identity-replicator-mirror", environment["IDREP_Mirror__TableName"]);
        Assert.Equal("us-east-1", environment["IDREP_Replication__Primary__Region"]);
        Assert.Equal("us-west-2", environment["IDREP_Replication__Standby__Region"]);

        var taskId = S.Templates[stack]["Resources"]!.AsObject().Single(r => r.Value == task).Key;
        var service = Single(stack, "AWS::ECS::Service", s => (string?)s["Properties"]!["TaskDefinition"]!["Ref"] == taskId);
        Assert.Equal(2, (int)service["Properties"]!["DesiredCount"]!);

        var balancer = Assert.Single(S.Resources(stack, "AWS::ElasticLoadBalancingV2::LoadBalancer"));
        Assert.Equal("internet-facing", (string?)balancer["Properties"]!["Scheme"]);
        var listener = Assert.Single(S.Resources(stack, "AWS::ElasticLoadBalancingV2::Listener"));
        Assert.Equal("HTTPS", (string?)listener["Properties"]!["Protocol"]);
        Assert.Equal(443, (int)listener["Properties"]!["Port"]!);
        var target = Assert.Single(S.Resources(stack, "AWS::ElasticLoadBalancingV2::TargetGroup"));
        Assert.Equal("/health/live", (string?)target["Properties"]!["HealthCheckPath"]);
        Assert.Equal(8081, (int)target["Properties"]!["Port"]!);

        var certificate = Assert.Single(S.Resources(stack, "AWS::CertificateManager::Certificate"));
        Assert.Equal("token.example.com", (string?)certificate["Properties"]!["DomainName"]);
        Assert.Equal("DNS", (string?)certificate["Properties"]!["ValidationMethod"]);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Synth_WithRelayContext_PutsNoSecretInTheRelaysEnvironment(string stack, string region)
    {
        _ = region;
        var task = Single(stack, "AWS::ECS::TaskDefinition", t => Container(t) is { } c && Values(c["Command"]).FirstOrDefault() == "relay");
        var container = Container(task)!;
        Assert.Null(container["Secrets"]);
        Assert.All(Environment(container).Keys, name => Assert.DoesNotMatch("(?i)secret|password|token$|key$", name));
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void TheRelayRole_ReadsOnlyTheControlAndClientMappings_OfItsRegionsReplica(string stack, string region)
    {
        // Act: the relay task role's policy, whole.
        var statements = Policy(stack, "RelayTaskRoleDefaultPolicy");

        // Assert: GetItem and Query on this Region's table, limited to the CTRL and CLIENTS#* partitions; kms:Decrypt on the
        // table key only through DynamoDB in this Region (the table is encrypted with it); nothing else.
        Assert.Equal(["ControlAndClientMappingOnly", "ReadMirrorTableKey"], statements.Select(st => (string)st["Sid"]!).Order(StringComparer.Ordinal));
        var table = statements.Single(st => (string?)st["Sid"] == "ControlAndClientMappingOnly");
        Assert.Equal("Allow", (string?)table["Effect"]);
        Assert.Equal(["dynamodb:GetItem", "dynamodb:Query"], Values(table["Action"]).Order(StringComparer.Ordinal));
        Assert.Equal($"arn:aws:dynamodb:{region}:123456789012:table/identity-replicator-mirror", Plain(Assert.Single(Values(table["Resource"]))));
        var condition = Assert.Single(table["Condition"]!.AsObject());
        Assert.Equal("ForAllValues:StringLike", condition.Key);
        var keys = Assert.Single(condition.Value!.AsObject());
        Assert.Equal("dynamodb:LeadingKeys", keys.Key);
        Assert.Equal(["CTRL", "CLIENTS#*"], Values(keys.Value));

        var key = statements.Single(st => (string?)st["Sid"] == "ReadMirrorTableKey");
        Assert.Equal(["kms:Decrypt"], Values(key["Action"]));
        Assert.Equal($"dynamodb.{region}.amazonaws.com", (string?)key["Condition"]!["StringEquals"]!["kms:ViaService"]);
    }

    [Fact]
    public void TheRelayName_IsOneFailoverAliasPair_PrimaryInThePrimaryRegion_SecondaryInTheStandbys()
    {
        // Arrange: each Region's record, as synthesized in its own stack.
        var records = new[] { (Primary, "PRIMARY"), (Standby, "SECONDARY") }.Select(r =>
        {
            var failover = S.Resources(r.Item1, "AWS::Route53::RecordSet").Where(x => x["Properties"]!["Failover"] is not null).ToList();
            var record = Assert.Single(failover);
            return (Expected: r.Item2, Properties: record["Properties"]!);
        }).ToList();

        // Assert: the same name in the configured zone, alias records to each Region's load balancer, evaluated by health.
        Assert.All(records, r =>
        {
            Assert.Equal(r.Expected, (string?)r.Properties["Failover"]);
            Assert.Equal("token.example.com.", (string?)r.Properties["Name"]);
            Assert.Equal("A", (string?)r.Properties["Type"]);
            Assert.Equal("Z0RELAY0123456789ABC", (string?)r.Properties["HostedZoneId"]);
            Assert.True((bool)r.Properties["AliasTarget"]!["EvaluateTargetHealth"]!);
            Assert.Contains("RelayBalancer", r.Properties["AliasTarget"]!["DNSName"]!.ToJsonString(), StringComparison.Ordinal);
        });
        Assert.Equal(2, records.Select(r => (string?)r.Properties["SetIdentifier"]).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Alarms_WithRelay_NoHealthyTaskAndBalancer5xx_NotifyTheTopicTheOtherAlarmsUse(string stack, string region)
    {
        // Arrange: the topic the worker's alarms notify.
        _ = region;
        var alarms = S.Resources(stack, "AWS::CloudWatch::Alarm").Select(a => a["Properties"]!).ToList();
        var topic = alarms.Single(a => (string?)a["MetricName"] == "Errors")["AlarmActions"]!.ToJsonString();

        // Assert: no healthy relay task behind the balancer (what the failover record follows) breaches, silence too.
        var unhealthy = alarms.Single(a => (string?)a["MetricName"] == "HealthyHostCount");
        Assert.Equal(("AWS/ApplicationELB", "LessThanThreshold", 1.0, "breaching"), ((string?)unhealthy["Namespace"], (string?)unhealthy["ComparisonOperator"], (double)unhealthy["Threshold"]!, (string?)unhealthy["TreatMissingData"]));
        Assert.Equal(["LoadBalancer", "TargetGroup"], unhealthy["Dimensions"]!.AsArray().Select(d => (string)d!["Name"]!).Order(StringComparer.Ordinal));
        var errors = alarms.Single(a => (string?)a["MetricName"] == "HTTPCode_ELB_5XX_Count");
        Assert.Equal(("AWS/ApplicationELB", "GreaterThanThreshold", "notBreaching"), ((string?)errors["Namespace"], (string?)errors["ComparisonOperator"], (string?)errors["TreatMissingData"]));
        Assert.Equal(topic, unhealthy["AlarmActions"]!.ToJsonString());
        Assert.Equal(topic, errors["AlarmActions"]!.ToJsonString());
        Assert.DoesNotContain(alarms, a => (string?)a["MetricName"] == "NativeReplicationLag");
    }

    [Fact]
    public void Synth_RelayAndWorker_ReadTheSameReplicationSettings()
    {
        foreach (var stack in new[] { Primary, Standby })
        {
            var relay = Environment(Container(Single(stack, "AWS::ECS::TaskDefinition", t => Container(t) is { } c && Values(c["Command"]).FirstOrDefault() == "relay"))!);
            var worker = Environment(Container(Single(stack, "AWS::ECS::TaskDefinition", t => Container(t) is { } c && (string?)c["Name"] == "worker" && c["Command"] is null))!);
            var shared = worker.Where(e => e.Key.StartsWith("IDREP_Replication__", StringComparison.Ordinal) && e.Key != "IDREP_Replication__UsernamesCaseSensitive" || e.Key == "IDREP_Mirror__TableName").ToList();
            Assert.Equal(5, shared.Count);
            Assert.All(shared, e => Assert.Equal(e.Value, relay.GetValueOrDefault(e.Key)));
        }
    }

    [Fact]
    public void Synth_WithoutRelayContext_DeploysNoRelay()
    {
        using var plain = new Synthesis();
        Assert.All(plain.Templates.Keys, stack => Assert.Empty(plain.Resources(stack, "AWS::ElasticLoadBalancingV2::LoadBalancer")));
        Assert.All(plain.Templates.Keys, stack => Assert.Empty(plain.Resources(stack, "AWS::Route53::RecordSet")));
    }

    [Fact]
    public void FromContext_WithPartOfTheRelayContext_NamesEachMissingKey()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Synthesis(new Dictionary<string, string>
        {
            ["relayDomainName"] = "token.example.com",
            ["relayStandbyTokenEndpoint"] = "http://myapp-west.auth.us-west-2.amazoncognito.com/oauth2/token",
        }));
        foreach (var expected in new[]
        {
            "Context 'relayHostedZoneId' is not set",
            "Context 'relayHostedZoneName' is not set",
            "Context 'relayPrimaryTokenEndpoint' is not set",
            "Context 'relayStandbyTokenEndpoint' is 'http://myapp-west.auth.us-west-2.amazoncognito.com/oauth2/token'; it must be an https URL ending in /oauth2/token",
        })
        {
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    private JsonObject Single(string stack, string type, Func<JsonObject, bool> match)
    {
        var matches = S.Resources(stack, type).Where(match).ToList();
        return Assert.Single(matches);
    }

    private static JsonObject? Container(JsonObject task) =>
        task["Properties"]!["ContainerDefinitions"]!.AsArray().Select(c => c!.AsObject()).SingleOrDefault();

    private static Dictionary<string, string> Environment(JsonObject container) =>
        container["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => e!["Value"] is JsonValue v ? (string)v! : e["Value"]!.ToJsonString(), StringComparer.Ordinal);

    private List<JsonNode> Policy(string stack, string logicalIdPrefix) =>
        S.Templates[stack]["Resources"]!.AsObject()
            .Where(r => r.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal) && (string?)r.Value!["Type"] == "AWS::IAM::Policy")
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(st => st!)
            .ToList();

    private static List<string> Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a!.ToJsonString())],
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        _ => [node.ToJsonString()],
    };

    /// <summary>An ARN as a string, with the CDK's Fn::Join of the partition folded back into "aws".</summary>
    private static string Plain(string value) =>
        value.StartsWith('{') ? string.Concat(JsonNode.Parse(value)!["Fn::Join"]![1]!.AsArray().Select(p => p is JsonValue v && v.TryGetValue<string>(out var s) ? s : "aws")) : value;
}
