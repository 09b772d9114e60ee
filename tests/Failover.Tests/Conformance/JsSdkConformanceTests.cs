using System.Text.Json.Nodes;
using System.Xml.Linq;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.Rds;
using IdentityReplicator.Core.Route53;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Conformance;

/// <summary>
/// The sandbox's Route 53, RDS and SSM endpoints checked against the official AWS SDK for JavaScript v3: the SDK calls
/// every operation the tool uses and must parse each reply; and for the same inputs our Route 53 and RDS clients must
/// send what the SDK sends (requests captured at the endpoints and compared), so neither side drifts into a dialect.
/// </summary>
public sealed class JsSdkConformanceTests : IAsyncLifetime
{
    private const string Region = "us-west-2";
    private const string RecordName = "app.conformance.test.";
    private const string WeightedName = "api.conformance.test.";
    private const long StartTime = 1_767_225_600;
    private static readonly string[] Files = ["package.json", "package-lock.json", "conformance.mjs"];

    private LocalRoute53 _route53 = null!;
    private LocalRds _rds = null!;
    private LocalSsm _ssm = null!;
    private LocalCloudWatch _cloudWatch = null!;
    private string _install = string.Empty;
    private string _zoneId = string.Empty;
    private string _healthCheckId = string.Empty;
    private string _eastArn = string.Empty;

    public async Task InitializeAsync()
    {
        _install = await EmulatorPackages.EnsureInstalledAsync(typeof(JsSdkConformanceTests).Assembly, "conformance", Files, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        _route53 = await LocalRoute53.StartAsync(TimeProvider.System, TimeSpan.FromMinutes(5), CancellationToken.None);
        _rds = await LocalRds.StartAsync(TimeProvider.System, TimeSpan.FromMinutes(5), CancellationToken.None);
        _ssm = await LocalSsm.StartAsync(TimeProvider.System, CancellationToken.None);
        _cloudWatch = await LocalCloudWatch.StartAsync(TimeProvider.System, CancellationToken.None);
        _cloudWatch.Set(Region, "AuroraGlobalDBReplicationLag", "app-west", 42, "Milliseconds");
        _zoneId = _route53.CreateZone("conformance.test.");
        _route53.Put(_zoneId, new ResourceRecordSet { Name = RecordName, Type = "CNAME", TTL = 60, ResourceRecords = ["east.conformance.test"] });
        _healthCheckId = _route53.AddHealthCheck(healthy: true);
        _eastArn = _rds.AddCluster("us-east-1", "app-east");
        var west = _rds.AddCluster(Region, "app-west");
        _rds.AddGlobalCluster("app-global", _eastArn, west);
        _rds.AddCluster(Region, "replica-cluster", replicationSource: _eastArn);
        _rds.AddInstance("us-east-1", "source-db");
        _rds.AddInstance(Region, "replica-db", replicaOf: "source-db");
        _ssm.Put(Region, "/conformance/user-pool-id", "us-east-1_Old");
    }

    public async Task DisposeAsync()
    {
        await _route53.DisposeAsync();
        await _rds.DisposeAsync();
        await _ssm.DisposeAsync();
        await _cloudWatch.DisposeAsync();
    }

    [Fact]
    public async Task JsSdk_EveryOperationTheToolUses_ParsesTheSandboxReplies()
    {
        var westArn = $"arn:aws:rds:{Region}:{LocalAws.Account}:cluster:app-west";

        var reply = await RunJsSdkAsync(
            ["GetHostedZone", "ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange", "GetHealthCheckStatus",
             "DescribeDBClusters", "DescribeDBInstances", "DescribeGlobalClusters", "SwitchoverGlobalCluster", "FailoverGlobalCluster",
             "PromoteReadReplicaDBCluster", "PromoteReadReplica", "PutParameter", "GetParameter", "GetParameters", "GetMetricStatistics"],
            westArn);

        Assert.Equal("/hostedzone/" + _zoneId, (string?)reply["GetHostedZone"]!["HostedZone"]!["Id"]);
        Assert.Equal("east.conformance.test", (string?)reply["ListResourceRecordSets"]!["ResourceRecordSets"]![0]!["ResourceRecords"]![0]!["Value"]);
        Assert.Equal(60, (int)reply["ListResourceRecordSets"]!["ResourceRecordSets"]![0]!["TTL"]!);
        Assert.False((bool)reply["ListResourceRecordSets"]!["IsTruncated"]!);
        Assert.Equal("PENDING", (string?)reply["ChangeResourceRecordSets"]!["ChangeInfo"]!["Status"]);
        Assert.StartsWith("/change/", (string?)reply["GetChange"]!["ChangeInfo"]!["Id"], StringComparison.Ordinal);
        Assert.NotNull((string?)reply["GetChange"]!["ChangeInfo"]!["SubmittedAt"]);
        var observations = reply["GetHealthCheckStatus"]!["HealthCheckObservations"]!.AsArray();
        Assert.Equal(3, observations.Count);
        Assert.All(observations, o => Assert.StartsWith("Success", (string?)o!["StatusReport"]!["Status"], StringComparison.Ordinal));

        var cluster = reply["DescribeDBClusters"]!["DBClusters"]![0]!;
        Assert.Equal(westArn, (string?)cluster["DBClusterArn"]);
        Assert.False((bool)cluster["DBClusterMembers"]![0]!["IsClusterWriter"]!);
        var instance = reply["DescribeDBInstances"]!["DBInstances"]![0]!;
        Assert.Equal("source-db", (string?)instance["ReadReplicaSourceDBInstanceIdentifier"]);
        Assert.Equal("replicating", (string?)instance["StatusInfos"]![0]!["Status"]);
        var members = reply["DescribeGlobalClusters"]!["GlobalClusters"]![0]!["GlobalClusterMembers"]!.AsArray();
        Assert.Equal(2, members.Count);
        Assert.True((bool)members.Single(m => (string?)m!["DBClusterArn"] == _eastArn)!["IsWriter"]!);
        Assert.Equal([westArn], members.Single(m => (string?)m!["DBClusterArn"] == _eastArn)!["Readers"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("switching-over", (string?)reply["SwitchoverGlobalCluster"]!["GlobalCluster"]!["FailoverState"]!["Status"]);
        Assert.Equal("InvalidGlobalClusterStateFault", (string?)reply["FailoverGlobalCluster"]!["error"]);
        Assert.Equal(400, (int)reply["FailoverGlobalCluster"]!["status"]!);
        Assert.Equal("promoting", (string?)reply["PromoteReadReplicaDBCluster"]!["DBCluster"]!["Status"]);
        Assert.Equal("modifying", (string?)reply["PromoteReadReplica"]!["DBInstance"]!["DBInstanceStatus"]);

        Assert.Equal(2, (int)reply["PutParameter"]!["Version"]!);
        Assert.Equal("us-west-2_New", (string?)reply["GetParameter"]!["Parameter"]!["Value"]);
        Assert.Single(reply["GetParameters"]!["Parameters"]!.AsArray());
        Assert.Equal(["/conformance/missing"], reply["GetParameters"]!["InvalidParameters"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("us-west-2_New", _ssm.Get(Region, "/conformance/user-pool-id"));

        var datapoint = reply["GetMetricStatistics"]!["Datapoints"]![0]!;
        Assert.Equal(42, (double)datapoint["Maximum"]!);
        Assert.Equal("Milliseconds", (string?)datapoint["Unit"]);
        Assert.NotNull((string?)datapoint["Timestamp"]);
    }

    [Fact]
    public async Task OurClients_SameInputsAsTheJsSdk_SendTheSameRequests()
    {
        var westArn = $"arn:aws:rds:{Region}:{LocalAws.Account}:cluster:app-west";
        string[] route53Operations = ["GetHostedZone", "ListResourceRecordSets", "ChangeResourceRecordSets", "GetChange", "GetHealthCheckStatus"];
        string[] rdsOperations = ["DescribeDBClusters", "DescribeDBInstances", "DescribeGlobalClusters", "SwitchoverGlobalCluster", "FailoverGlobalCluster", "PromoteReadReplicaDBCluster", "PromoteReadReplica"];
        await RunJsSdkAsync([.. route53Operations, .. rdsOperations, "GetMetricStatistics"], westArn, changeId: "CFIXED");
        var credentials = SandboxEnvironment.Credentials;
        var route53 = Route53Client.Create(credentials, _route53.Url);
        var rds = RdsClient.Create(new AwsEndpoint(Region, _rds.Url), credentials);

        await route53.GetHostedZoneAsync(_zoneId);
        await route53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest(_zoneId) { StartRecordName = RecordName, StartRecordType = "CNAME", MaxItems = 10 });
        await route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest(
            _zoneId,
            [
                new Change("UPSERT", new ResourceRecordSet { Name = RecordName, Type = "CNAME", TTL = 60, ResourceRecords = ["west.conformance.test"] }),
                new Change("UPSERT", new ResourceRecordSet { Name = WeightedName, Type = "A", SetIdentifier = "east", Weight = 100, TTL = 30, ResourceRecords = ["192.0.2.10", "192.0.2.11"], HealthCheckId = _healthCheckId }),
            ],
            "conformance"));
        await Ignore(route53.GetChangeAsync("CFIXED"));
        await route53.GetHealthCheckStatusAsync(_healthCheckId);
        await rds.DescribeDBClustersAsync("app-west");
        await rds.DescribeDBInstancesAsync("replica-db");
        await rds.DescribeGlobalClustersAsync("app-global");
        await Ignore(rds.SwitchoverGlobalClusterAsync("app-global", westArn));
        await Ignore(rds.FailoverGlobalClusterAsync("app-global", westArn, allowDataLoss: true, switchover: null));
        await Ignore(rds.PromoteReadReplicaDBClusterAsync("replica-cluster"));
        await Ignore(rds.PromoteReadReplicaAsync("replica-db"));

        await CloudWatchClient.Create(new AwsEndpoint(Region, _cloudWatch.Url), credentials).GetMetricStatisticsAsync(new GetMetricStatisticsRequest
        {
            Namespace = "AWS/RDS",
            MetricName = "AuroraGlobalDBReplicationLag",
            Dimensions = [new Dimension("DBClusterIdentifier", "app-west")],
            StartTime = DateTimeOffset.FromUnixTimeSeconds(StartTime),
            EndTime = DateTimeOffset.FromUnixTimeSeconds(StartTime + 300),
            Period = 60,
            Statistics = ["Maximum"],
        });

        AssertSameRequests(route53Operations, _route53.Requests, Route53Shape);
        AssertSameRequests(rdsOperations, _rds.Requests, QueryShape);
        AssertSameRequests(["GetMetricStatistics"], _cloudWatch.Requests, JsonShape);
    }

    /// <summary>The JSON protocol: target, content type and the body as canonical JSON (keys sorted).</summary>
    private static string JsonShape(CapturedRequest request) =>
        $"{request.Method} {request.PathAndQuery} {request.Target} [{(request.ContentType ?? string.Empty).Split(';')[0]}] {Canonical(JsonNode.Parse(request.Body))}";

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.TryGetValue<double>(out var number) => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => node?.ToJsonString() ?? "null",
    };

    private static void AssertSameRequests(string[] operations, IReadOnlyList<CapturedRequest> requests, Func<CapturedRequest, string> shape)
    {
        Assert.Equal(operations.Length * 2, requests.Count);
        for (var i = 0; i < operations.Length; i++)
        {
            var js = requests[i];
            var ours = requests[i + operations.Length];
            Assert.True(shape(js) == shape(ours), $"{operations[i]}: the JS SDK sent{Environment.NewLine}{shape(js)}{Environment.NewLine}we sent{Environment.NewLine}{shape(ours)}");
            Assert.Equal(js.Region, ours.Region);
        }
    }

    /// <summary>Method, path, sorted query and the XML body as a canonical tree (namespaces and whitespace aside).</summary>
    private static string Route53Shape(CapturedRequest request)
    {
        var query = request.PathAndQuery.Contains('?', StringComparison.Ordinal) ? request.PathAndQuery[(request.PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var path = request.PathAndQuery.Split('?')[0];
        var sortedQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var body = request.Body.Length == 0 ? string.Empty : Canonical(XElement.Parse(request.Body));
        var contentType = request.Body.Length == 0 ? string.Empty : (request.ContentType ?? string.Empty).Split(';')[0];
        return $"{request.Method} {Uri.UnescapeDataString(path)} ?{sortedQuery} [{contentType}] {body}";
    }

    /// <summary>The Query protocol's form parameters, decoded and sorted.</summary>
    private static string QueryShape(CapturedRequest request)
    {
        var form = request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).Order(StringComparer.Ordinal);
        return $"{request.Method} {request.PathAndQuery} [{(request.ContentType ?? string.Empty).Split(';')[0]}] {string.Join('&', form)}";
    }

    private static string Canonical(XElement element) => element.HasElements
        ? $"<{element.Name.LocalName}>{string.Concat(element.Elements().Select(Canonical))}</{element.Name.LocalName}>"
        : $"<{element.Name.LocalName}>{element.Value.Trim()}</{element.Name.LocalName}>";

    private static async Task Ignore(Task call)
    {
        try
        {
            await call;
        }
        catch (AwsServiceException)
        {
            // Only the request matters here; the reply to a repeated promotion is an error.
        }
    }

    private async Task<JsonObject> RunJsSdkAsync(string[] sequence, string targetClusterArn, string? changeId = null)
    {
        var input = new JsonObject
        {
            ["route53"] = _route53.Url.ToString(),
            ["rds"] = _rds.Url.ToString(),
            ["ssm"] = _ssm.Url.ToString(),
            ["cloudwatch"] = _cloudWatch.Url.ToString(),
            ["startTime"] = StartTime,
            ["endTime"] = StartTime + 300,
            ["region"] = Region,
            ["zoneId"] = _zoneId,
            ["recordName"] = RecordName,
            ["recordValue"] = "west.conformance.test",
            ["weightedName"] = WeightedName,
            ["comment"] = "conformance",
            ["healthCheckId"] = _healthCheckId,
            ["changeId"] = changeId,
            ["clusterId"] = "app-west",
            ["globalClusterId"] = "app-global",
            ["targetClusterArn"] = targetClusterArn,
            ["replicaClusterId"] = "replica-cluster",
            ["replicaInstanceId"] = "replica-db",
            ["parameterName"] = "/conformance/user-pool-id",
            ["parameterValue"] = "us-west-2_New",
            ["missingParameterName"] = "/conformance/missing",
            ["sequence"] = new JsonArray([.. sequence.Select(s => (JsonNode)s)]),
        };
        return await NodeScript.RunAsync(_install, "conformance.mjs", input, TimeSpan.FromSeconds(60));
    }
}
