using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// <c>idrep drift</c> over configuration, end to end: a standby-side change to a client setting is named, counted in the
/// exit code, and fixed by <c>--repair</c>. Runs on two fresh pools of the sandbox's emulators (their ids given as
/// <c>IDREP_</c> variables), so the sandbox's own pools and app clients are left alone.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ConfigurationDriftCommandTests(SandboxFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Drift_StandbySideChangeToAClientSetting_IsNamedAndFixedByRepair()
    {
        // Arrange: the same client in both pools, then the standby's callback URLs changed by hand.
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        await primary.CreateUserPoolClientRawAsync(Web(sourcePool, "https://app.example.com/cb"), None);
        var standbyClient = (string)(await standby.CreateUserPoolClientRawAsync(Web(targetPool, "https://app.example.com/cb"), None))["ClientId"]!;
        var changed = Web(targetPool, "https://changed-by-hand.example.com/cb");
        changed["ClientId"] = standbyClient;
        await standby.UpdateUserPoolClientRawAsync(changed, None);
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
            ["IDREP_Drift__CompareConfiguration"] = "true",
        };

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "drift", "--config", sandbox.ConfigFile, "--format", "json");
        var (repairExit, repairOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "drift", "--config", sandbox.ConfigFile, "--repair", "--yes");
        var (afterExit, afterOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "drift", "--config", sandbox.ConfigFile);

        // Assert
        Assert.True(exit == 1, $"exit {exit}: {output}");
        var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal(1, (int)report["summary"]!["configDifferences"]!);
        Assert.Contains(report["configuration"]!["findings"]!.AsArray(), f => (string?)f!["name"] == "client web/CallbackURLs" && (bool)f["isDrift"]!);
        Assert.True(repairExit == 0, $"exit {repairExit}: {repairOutput}");
        Assert.Contains("repair made 1 writes, 0 refused, 0 differences remain", repairOutput, StringComparison.Ordinal);
        Assert.True(afterExit == 0, $"exit {afterExit}: {afterOutput}");
        var fixedClient = await standby.DescribeUserPoolClientRawAsync(targetPool, standbyClient, None);
        Assert.Equal(["https://app.example.com/cb"], fixedClient["CallbackURLs"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Clients_OneClientInStepAndOneOnlyInThePrimary_ListsBothPairsWithWhatIsPending()
    {
        // Arrange
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        var webPrimary = (string)(await primary.CreateUserPoolClientRawAsync(Web(sourcePool, "https://app.example.com/cb"), None))["ClientId"]!;
        var webStandby = (string)(await standby.CreateUserPoolClientRawAsync(Web(targetPool, "https://app.example.com/cb"), None))["ClientId"]!;
        var batch = Web(sourcePool, "https://batch.example.com/cb");
        batch["ClientName"] = "batch";
        await primary.CreateUserPoolClientRawAsync(batch, None);
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
        };

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "--config", sandbox.ConfigFile, "--json");

        // Assert
        Assert.True(exit == 1, $"exit {exit}: {output}");
        var clients = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["clients"]!.AsArray().ToDictionary(c => (string)c!["name"]!);
        Assert.Equal((webPrimary, webStandby, "none", 0), ((string?)clients["web"]!["sourceClientId"], (string?)clients["web"]!["targetClientId"], (string?)clients["web"]!["secret"], clients["web"]!["pending"]!.AsArray().Count));
        Assert.Null(clients["batch"]!["targetClientId"]);
        Assert.StartsWith("create in the target", (string?)clients["batch"]!["pending"]![0], StringComparison.Ordinal);
    }

    private static JsonObject Web(string poolId, string callback) => new()
    {
        ["UserPoolId"] = poolId,
        ["ClientName"] = "web",
        ["CallbackURLs"] = new JsonArray(callback),
        ["AllowedOAuthFlows"] = new JsonArray("code"),
        ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
    };

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("config-drift-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
}
