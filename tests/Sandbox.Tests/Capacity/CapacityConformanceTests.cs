using System.Text.Json.Nodes;
using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Sandbox.Capacity;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.Capacity;

/// <summary>
/// The sandbox's Auto Scaling, Elastic Beanstalk and ECS endpoints checked against the official AWS SDK for JavaScript
/// v3: the SDK calls every operation the capacity step uses and must parse each reply; and for the same inputs our
/// clients must send what the SDK sends (requests captured at the endpoints and compared).
/// </summary>
public sealed class CapacityConformanceTests : IAsyncLifetime
{
    private const string Region = "us-west-2";
    /// <summary>The npm package's files; Kms/ReplicatedStoresConformanceTests installs the same (one install).</summary>
    internal static readonly string[] Files = ["package.json", "package-lock.json", "capacity.mjs", "stores.mjs"];
    private static readonly string[] AutoScalingOperations = ["DescribeAutoScalingGroups", "UpdateAutoScalingGroup", "DescribeAccountLimits"];
    private static readonly string[] BeanstalkOperations = ["DescribeEnvironments", "DescribeConfigurationSettings", "UpdateEnvironment", "DescribeEnvironmentHealth"];
    private static readonly string[] EcsOperations = ["DescribeServices", "UpdateService"];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_767_225_600));
    private LocalAutoScaling _autoScaling = null!;
    private LocalElasticBeanstalk _beanstalk = null!;
    private LocalEcs _ecs = null!;
    private string _install = string.Empty;

    public async Task InitializeAsync()
    {
        _install = await EmulatorPackages.EnsureInstalledAsync(typeof(CapacityConformanceTests).Assembly, "capacity-conformance", Files, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        _autoScaling = await LocalAutoScaling.StartAsync(_time, TimeSpan.FromMinutes(2), CancellationToken.None);
        _beanstalk = await LocalElasticBeanstalk.StartAsync(_time, TimeSpan.FromMinutes(2), CancellationToken.None);
        _ecs = await LocalEcs.StartAsync(_time, TimeSpan.FromMinutes(2), CancellationToken.None);
        _autoScaling.AddGroup(Region, "web-asg", min: 1, max: 8, desired: 1);
        _beanstalk.AddEnvironment(Region, "shop", "shop-standby", min: 1, max: 4);
        _ecs.AddService(Region, "prod", "api", desired: 1);
    }

    public async Task DisposeAsync()
    {
        await _autoScaling.DisposeAsync();
        await _beanstalk.DisposeAsync();
        await _ecs.DisposeAsync();
    }

    [Fact]
    public async Task JsSdk_EveryOperationTheCapacityStepUses_ParsesTheSandboxReplies()
    {
        var reply = await RunJsSdkAsync([.. AutoScalingOperations, "DescribeAutoScalingGroups", .. BeanstalkOperations, .. EcsOperations]);

        var group = reply["DescribeAutoScalingGroups"]!["AutoScalingGroups"]![0]!;
        Assert.Equal(("web-asg", 4, 4, 8), ((string?)group["AutoScalingGroupName"], (int)group["MinSize"]!, (int)group["DesiredCapacity"]!, (int)group["MaxSize"]!));
        Assert.Equal(1, group["Instances"]!.AsArray().Count(i => (string?)i!["LifecycleState"] == "InService"));
        Assert.Equal(3, group["Instances"]!.AsArray().Count(i => (string?)i!["LifecycleState"] == "Pending"));
        Assert.Equal(LocalAutoScaling.MaxGroups, (int)reply["DescribeAccountLimits"]!["MaxNumberOfAutoScalingGroups"]!);

        Assert.Equal("Updating", (string?)reply["UpdateEnvironment"]!["Status"]);
        var settings = reply["DescribeConfigurationSettings"]!["ConfigurationSettings"]![0]!["OptionSettings"]!.AsArray();
        Assert.Equal(["MinSize=1", "MaxSize=4"], settings.Select(o => $"{(string?)o!["OptionName"]}={(string?)o["Value"]}"));
        Assert.Equal(("Ready", "Green"), ((string?)reply["DescribeEnvironments"]!["Environments"]![0]!["Status"], (string?)reply["DescribeEnvironments"]!["Environments"]![0]!["Health"]));
        var health = reply["DescribeEnvironmentHealth"]!;
        Assert.Equal(("Updating", 1, 3), ((string?)health["Status"], (int)health["InstancesHealth"]!["Ok"]!, (int)health["InstancesHealth"]!["Pending"]!));

        var services = reply["DescribeServices"]!;
        Assert.Equal(1, (int)services["services"]![0]!["runningCount"]!);
        Assert.Equal("MISSING", (string?)services["failures"]![0]!["reason"]);
        var updated = reply["UpdateService"]!["service"]!;
        Assert.Equal((4, 1, "IN_PROGRESS"), ((int)updated["desiredCount"]!, (int)updated["runningCount"]!, (string?)updated["deployments"]![0]!["rolloutState"]));
    }

    [Fact]
    public async Task OurClients_SameInputsAsTheJsSdk_SendTheSameRequests()
    {
        await RunJsSdkAsync([.. AutoScalingOperations, .. BeanstalkOperations, .. EcsOperations]);
        var credentials = SandboxEnvironment.Credentials;
        var autoScaling = AutoScalingClient.Create(new AwsEndpoint(Region, _autoScaling.Url), credentials);
        var beanstalk = ElasticBeanstalkClient.Create(new AwsEndpoint(Region, _beanstalk.Url), credentials);
        var ecs = EcsClient.Create(new AwsEndpoint(Region, _ecs.Url), credentials);
        _time.Advance(TimeSpan.FromMinutes(5));

        await autoScaling.DescribeAutoScalingGroupsAsync(["web-asg"]);
        await autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest("web-asg", MinSize: 4, DesiredCapacity: 4));
        await autoScaling.DescribeAccountLimitsAsync();
        await beanstalk.DescribeEnvironmentsAsync("shop", ["shop-standby"]);
        await beanstalk.DescribeConfigurationSettingsAsync("shop", "shop-standby");
        await beanstalk.UpdateEnvironmentAsync("shop-standby", [new(ElasticBeanstalkClient.AsgNamespace, "MinSize", "4"), new(ElasticBeanstalkClient.AsgNamespace, "MaxSize", "8")]);
        await beanstalk.DescribeEnvironmentHealthAsync("shop-standby");
        await ecs.DescribeServicesAsync(new DescribeServicesRequest("prod", ["api", "gone"]));
        await ecs.UpdateServiceAsync(new UpdateServiceRequest("prod", "api", 4));

        AssertSameRequests(AutoScalingOperations, _autoScaling.Requests, QueryShape);
        AssertSameRequests(BeanstalkOperations, _beanstalk.Requests, QueryShape);
        AssertSameRequests(EcsOperations, _ecs.Requests, JsonShape);
    }

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

    /// <summary>The Query protocol's form parameters, decoded and sorted.</summary>
    private static string QueryShape(CapturedRequest request)
    {
        var form = request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).Order(StringComparer.Ordinal);
        return $"{request.Method} {request.PathAndQuery} [{(request.ContentType ?? string.Empty).Split(';')[0]}] {string.Join('&', form)}";
    }

    /// <summary>The JSON protocol: target, content type and the body as canonical JSON (keys sorted).</summary>
    private static string JsonShape(CapturedRequest request) =>
        $"{request.Method} {request.PathAndQuery} {request.Target} [{(request.ContentType ?? string.Empty).Split(';')[0]}] {Canonical(JsonNode.Parse(request.Body))}";

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        _ => node?.ToJsonString() ?? "null",
    };

    private async Task<JsonObject> RunJsSdkAsync(string[] sequence)
    {
        var input = new JsonObject
        {
            ["autoscaling"] = _autoScaling.Url.ToString(),
            ["elasticbeanstalk"] = _beanstalk.Url.ToString(),
            ["ecs"] = _ecs.Url.ToString(),
            ["region"] = Region,
            ["group"] = "web-asg",
            ["application"] = "shop",
            ["environment"] = "shop-standby",
            ["cluster"] = "prod",
            ["service"] = "api",
            ["missingService"] = "gone",
            ["sequence"] = new JsonArray([.. sequence.Select(s => (JsonNode)s)]),
        };
        return await NodeScript.RunAsync(_install, "capacity.mjs", input, TimeSpan.FromSeconds(60));
    }
}
