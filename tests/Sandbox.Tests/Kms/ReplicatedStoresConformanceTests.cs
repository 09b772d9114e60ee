using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.Kms;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.Sandbox.Kms;
using IdentityReplicator.Sandbox.SecretsManager;
using IdentityReplicator.Sandbox.Tests.Capacity;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.Kms;

/// <summary>
/// The sandbox's replicated stores — a secret replicated by Secrets Manager, a multi-Region KMS key — checked against the
/// official AWS SDK for JavaScript v3: it must parse the raw replies of DescribeSecret (PrimaryRegion, ReplicationStatus),
/// GetSecretValue, DescribeKey (MultiRegionConfiguration) and ListAliases, and the errors of a missing secret and key;
/// then our clients, through the preflight's reads, must see the same.
/// </summary>
public sealed class ReplicatedStoresConformanceTests : IAsyncLifetime
{
    private const string Primary = "us-east-1";
    private const string Standby = "us-west-2";
    private const string Secret = "shop/database";
    private const string Alias = "alias/shop-data";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_767_225_600));
    private LocalSecretsManager _secrets = null!;
    private LocalKms _kms = null!;
    private string _keyId = string.Empty;
    private string _install = string.Empty;

    public async Task InitializeAsync()
    {
        _install = await EmulatorPackages.EnsureInstalledAsync(typeof(CapacityConformanceTests).Assembly, "capacity-conformance", CapacityConformanceTests.Files, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        _secrets = await LocalSecretsManager.StartAsync((_, _) => null, _time, CancellationToken.None);
        _kms = await LocalKms.StartAsync(_time, CancellationToken.None);
        _secrets.AddReplicated(Secret, Primary, "{\"password\":\"p\"}", Standby);
        _keyId = _kms.AddMultiRegionKey(Alias, Primary, Standby);
    }

    public async Task DisposeAsync()
    {
        await _secrets.DisposeAsync();
        await _kms.DisposeAsync();
    }

    [Fact]
    public async Task JsSdk_EveryReplicatedStoreOperation_ParsesTheSandboxReplies()
    {
        var reply = await RunJsSdkAsync();

        var secret = reply["DescribeSecret"]!;
        Assert.Equal((Secret, Primary), ((string?)secret["Name"], (string?)secret["PrimaryRegion"]));
        var replica = Assert.Single(secret["ReplicationStatus"]!.AsArray())!;
        Assert.Equal((Standby, "InSync"), ((string?)replica["Region"], (string?)replica["Status"]));
        Assert.Equal("2026-01-01T00:00:00.000Z", (string?)replica["LastAccessedDate"]); // epoch seconds, parsed by the SDK as a Date
        Assert.StartsWith($"arn:aws:secretsmanager:{Standby}:", (string?)reply["DescribeSecretInReplica"]!["ARN"], StringComparison.Ordinal);
        Assert.Equal(Primary, (string?)reply["DescribeSecretInReplica"]!["PrimaryRegion"]);
        Assert.Equal("{\"password\":\"p\"}", (string?)reply["GetSecretValue"]!["SecretString"]);
        Assert.Equal(("ResourceNotFoundException", 400), ((string?)reply["DescribeSecretMissing"]!["error"], (int)reply["DescribeSecretMissing"]!["status"]!));

        var key = reply["DescribeKey"]!["KeyMetadata"]!;
        Assert.Equal((_keyId, true, "PRIMARY"), ((string?)key["KeyId"], (bool)key["MultiRegion"]!, (string?)key["MultiRegionConfiguration"]!["MultiRegionKeyType"]));
        Assert.Equal("2026-01-01T00:00:00.000Z", (string?)key["CreationDate"]);
        Assert.Equal([Standby], key["MultiRegionConfiguration"]!["ReplicaKeys"]!.AsArray().Select(r => (string?)r!["Region"]));
        var inReplica = reply["DescribeKeyInReplica"]!["KeyMetadata"]!["MultiRegionConfiguration"]!;
        Assert.Equal(("REPLICA", Primary), ((string?)inReplica["MultiRegionKeyType"], (string?)inReplica["PrimaryKey"]!["Region"]));
        var alias = Assert.Single(reply["ListAliases"]!["Aliases"]!.AsArray())!;
        Assert.Equal((Alias, _keyId), ((string?)alias["AliasName"], (string?)alias["TargetKeyId"]));
        Assert.Equal(("NotFoundException", 400), ((string?)reply["DescribeKeyMissing"]!["error"], (int)reply["DescribeKeyMissing"]!["status"]!));
    }

    [Fact]
    public async Task PreflightReads_SandboxStores_SeeTheReplicasAsTheJsSdkDoes()
    {
        // Arrange: the reads failover preflight makes, through our clients, pointed at the sandbox.
        var credentials = SandboxEnvironment.Credentials;
        var stores = new AwsReplicatedStores(
            region => CloudWatchClient.Create(new AwsEndpoint(region, new Uri("http://127.0.0.1:9/")), credentials),
            region => SecretsManagerClient.Create(new AwsEndpoint(region, _secrets.Url), credentials),
            region => KmsClients.Create(new AwsEndpoint(region, _kms.Url), credentials),
            _time);

        // Act
        var secret = await stores.DescribeSecretAsync(Primary, Secret, CancellationToken.None);
        var key = await stores.DescribeKeyAsync(Primary, Alias, CancellationToken.None);
        var missingSecret = await stores.DescribeSecretAsync(Primary, "no-such-secret", CancellationToken.None);
        var missingKey = await stores.DescribeKeyAsync(Primary, "alias/no-such-key", CancellationToken.None);
        _secrets.Replicated(Secret).SetReplica(Standby, "Failed");
        _kms.RemoveReplica(_keyId, Standby);
        var failed = await stores.DescribeSecretAsync(Primary, Secret, CancellationToken.None);
        var unreplicated = await stores.DescribeKeyAsync(Primary, Alias, CancellationToken.None);

        // Assert
        Assert.Equal(Primary, secret!.PrimaryRegion);
        Assert.Equal([(Standby, "InSync")], secret.ReplicationStatus.Select(r => (r.Region, r.Status)));
        Assert.Equal((true, Primary), (key!.MultiRegion, key.PrimaryRegion));
        Assert.Equal([Standby], key.ReplicaRegions);
        Assert.Null(missingSecret);
        Assert.Null(missingKey);
        Assert.Equal([(Standby, "Failed")], failed!.ReplicationStatus.Select(r => (r.Region, r.Status)));
        Assert.Empty(unreplicated!.ReplicaRegions);
    }

    [Fact]
    public async Task LocalKms_OperationItDoesNotServe_RefusesItNamingTheOperation()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _kms.Url) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Target", "TrentService.Encrypt");
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("InvalidAction", (string?)body["__type"]);
        Assert.Equal("The sandbox's KMS does not implement TrentService.Encrypt.", (string?)body["message"]);
    }

    private async Task<JsonObject> RunJsSdkAsync()
    {
        var input = new JsonObject
        {
            ["secretsmanager"] = _secrets.Url.ToString(),
            ["kms"] = _kms.Url.ToString(),
            ["primary"] = Primary,
            ["standby"] = Standby,
            ["secret"] = Secret,
            ["alias"] = Alias,
            ["keyId"] = _keyId,
        };
        return await NodeScript.RunAsync(_install, "stores.mjs", input, TimeSpan.FromSeconds(60));
    }
}
