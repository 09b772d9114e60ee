using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// The sandbox as the tool sees it: its two pools are configured alike, so <c>idrep drift</c> with the sandbox's own
/// config file (configuration comparison on) finds nothing, and <c>idrep clients</c> pairs the clients by name.
/// </summary>
public sealed class SandboxConfigurationCommandTests(SandboxConfigurationCommandTests.FreshSandbox fresh) : IClassFixture<SandboxConfigurationCommandTests.FreshSandbox>
{
    private SandboxEnvironment Sandbox => fresh.Sandbox;

    [Fact]
    public async Task Drift_FreshSandbox_ReportsNoConfigurationDifferences()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "drift", "--config", Sandbox.ConfigFile, "--format", "json");

        Assert.True(exit == 0, $"exit {exit}: {output}");
        var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal(0, (int)report["summary"]!["configDifferences"]!);
        Assert.NotNull(report["configuration"]);
        Assert.Empty(report["configuration"]!["findings"]!.AsArray().Where(f => (bool)f!["isDrift"]!).Select(f => f!.ToJsonString()));
    }

    [Fact]
    public async Task Clients_FreshSandbox_PairsEveryClientByNameWithTheConfidentialClientsSecretTheSame()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "clients", "--config", Sandbox.ConfigFile, "--json");

        Assert.True(exit == 0, $"exit {exit}: {output}");
        var clients = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["clients"]!.AsArray().ToDictionary(c => (string)c!["name"]!);
        Assert.Equal(["idrep-sandbox-app", "idrep-sandbox-m2m"], clients.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((Sandbox.Primary.AppClientId, Sandbox.Standby.AppClientId, "none"), ((string?)clients["idrep-sandbox-app"]!["sourceClientId"], (string?)clients["idrep-sandbox-app"]!["targetClientId"], (string?)clients["idrep-sandbox-app"]!["secret"]));
        Assert.Equal("same", (string?)clients["idrep-sandbox-m2m"]!["secret"]);
    }

    [Fact]
    public async Task Clients_PairPublishedToSecretsManager_ReadsBothSecretsThroughTheLocalSecretsManagerAsSame()
    {
        // Arrange: in two fresh pools, a client that publishes its secret to Secrets Manager, and its copy with the same
        // value, published too; Cognito then returns ClientSecretArn, never the value.
        var (primary, standby) = (Sandbox.Client(Sandbox.Primary), Sandbox.Client(Sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        var source = await primary.CreateUserPoolClientRawAsync(
            new JsonObject { ["UserPoolId"] = sourcePool, ["ClientName"] = "published", ["GenerateSecret"] = true, ["PublishSecretsInAWSSecretsManager"] = true },
            None);
        var sourceDescribed = await primary.DescribeUserPoolClientRawAsync(sourcePool, (string)source["ClientId"]!, None);
        var secrets = SecretsManagerClient.Create(new AwsEndpoint(Sandbox.Primary.Region, Sandbox.SecretsManagerEndpoint), SandboxEnvironment.Credentials);
        var value = SecretsManagerClient.ClientSecretOf(await secrets.GetSecretValueAsync(new GetSecretValueRequest((string)sourceDescribed["ClientSecretArn"]!), None));
        var target = await standby.CreateUserPoolClientRawAsync(ConfigurationRequests.CreateUserPoolClient(sourceDescribed, targetPool, value), None);
        var publish = ConfigurationRequests.UpdateUserPoolClient(await standby.DescribeUserPoolClientRawAsync(targetPool, (string)target["ClientId"]!, None), targetPool, (string)target["ClientId"]!);
        publish["PublishSecretsInAWSSecretsManager"] = true;
        await standby.UpdateUserPoolClientRawAsync(publish, None);
        Assert.NotNull(value);
        Assert.NotNull((await standby.DescribeUserPoolClientRawAsync(targetPool, (string)target["ClientId"]!, None))["ClientSecretArn"]);
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
        };

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "--config", Sandbox.ConfigFile, "--json");

        // Assert
        var clients = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["clients"]!.AsArray();
        var pair = Assert.Single(clients);
        Assert.True((string?)pair!["secret"] == "same", output);
        Assert.DoesNotContain(value!, output, StringComparison.Ordinal);
        Assert.True(exit == 0, $"exit {exit}: {output}");
    }

    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("published-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;

    /// <summary>A sandbox of this class's own: the shared one's pools are changed by other tests.</summary>
    public sealed class FreshSandbox : IAsyncLifetime
    {
        public SandboxEnvironment Sandbox { get; private set; } = null!;

        public async Task InitializeAsync() => Sandbox = await TestSandbox.StartAsync();

        public async Task DisposeAsync() => await Sandbox.DisposeAsync();
    }
}
