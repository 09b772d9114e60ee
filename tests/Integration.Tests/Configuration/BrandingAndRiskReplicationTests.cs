using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// Managed login branding, terms, log delivery and risk configuration in the sandbox, end to end: a standby-side
/// change to each is named by <c>idrep drift</c> and fixed by <c>--repair</c> (on two fresh pools, so the sandbox's
/// own are left alone); a branding style made in the primary reaches the standby's same-named client through capture
/// of its CloudTrail record, and so does its deletion.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class BrandingAndRiskReplicationTests(SandboxFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Drift_StandbySideChangesToBrandingTermsLogDeliveryAndRisk_AreNamedAndFixedByRepair()
    {
        // Arrange: the same client, branding, terms, log delivery and risk in both pools, then each changed in the standby.
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        var sourceClient = await WebClientAsync(primary, sourcePool);
        var targetClient = await WebClientAsync(standby, targetPool);
        await primary.CreateManagedLoginBrandingRawAsync(Branding(sourcePool, sourceClient, "0000ffff"), None);
        await primary.CreateTermsRawAsync(Terms(sourcePool, sourceClient, "https://app.example.com/terms"), None);
        await primary.SetLogDeliveryConfigurationRawAsync(LogDelivery(sourcePool, sandbox.Primary.Region), None);
        await primary.SetRiskConfigurationRawAsync(Risk(sourcePool, sandbox.Primary.Region, "BLOCK"), None);
        var brandingId = (string)(await standby.CreateManagedLoginBrandingRawAsync(Branding(targetPool, targetClient, "ff0000ff"), None))["ManagedLoginBrandingId"]!;
        await standby.CreateTermsRawAsync(Terms(targetPool, targetClient, "https://changed-by-hand.example.com/terms"), None);
        await standby.SetRiskConfigurationRawAsync(Risk(targetPool, sandbox.Standby.Region, "NO_ACTION"), None);
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
        var drift = report["configuration"]!["findings"]!.AsArray().Where(f => (bool)f!["isDrift"]!).Select(f => (string)f!["name"]!).ToList();
        Assert.Equal(
            [
                "branding web/Settings/components/pageBackground/lightMode/color",
                "terms web/terms-of-use/Links/cognito:default",
                "risk/AccountTakeoverRiskConfiguration/Actions/HighAction/EventAction",
                "logDelivery/userNotification",
            ],
            drift);
        Assert.Contains(report["configuration"]!["findings"]!.AsArray(), f => (string?)f!["name"] == "risk/AccountTakeoverRiskConfiguration/NotifyConfiguration/SourceArn" && (string?)f["kind"] == "mapped");
        Assert.True(repairExit == 0, $"exit {repairExit}: {repairOutput}");
        Assert.Contains("repair made 4 writes, 0 refused, 0 differences remain", repairOutput, StringComparison.Ordinal);
        Assert.True(afterExit == 0, $"exit {afterExit}: {afterOutput}");
        var branding = await standby.DescribeManagedLoginBrandingByClientRawAsync(targetPool, targetClient, None);
        Assert.Equal(brandingId, (string?)branding["ManagedLoginBrandingId"]);
        Assert.Equal("0000ffff", (string?)branding["Settings"]!["components"]!["pageBackground"]!["lightMode"]!["color"]);
        var logGroup = (await standby.GetLogDeliveryConfigurationRawAsync(targetPool, None))["LogConfigurations"]![0]!["CloudWatchLogsConfiguration"]!["LogGroupArn"];
        Assert.Equal($"arn:aws:logs:{sandbox.Standby.Region}:000000000000:log-group:/aws/cognito/idp", (string?)logGroup);
    }

    [Fact]
    public async Task Worker_BrandingCreatedAndDeletedInThePrimary_FollowsInTheStandbysSameNamedClient()
    {
        // Arrange
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        await using var worker = await sandbox.StartWorkerAsync();

        // Act
        var created = await primary.CreateManagedLoginBrandingRawAsync(Branding(sandbox.Primary.UserPoolId, sandbox.Primary.AppClientId, "00ff00ff"), None);
        await Eventually.TrueAsync(async () => await BrandingColorAsync(standby, sandbox.Standby) == "00ff00ff", Bound, "the branding style to reach the standby");
        await primary.DeleteManagedLoginBrandingAsync(sandbox.Primary.UserPoolId, (string)created["ManagedLoginBrandingId"]!, None);

        // Assert
        await Eventually.TrueAsync(async () => await BrandingColorAsync(standby, sandbox.Standby) is null, Bound, "the branding style's deletion to reach the standby");
    }

    private static async Task<string?> BrandingColorAsync(CognitoIdentityProviderClient client, SandboxPool pool)
    {
        try
        {
            return (string?)(await client.DescribeManagedLoginBrandingByClientRawAsync(pool.UserPoolId, pool.AppClientId, None))["Settings"]?["components"]?["pageBackground"]?["lightMode"]?["color"];
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static JsonObject Branding(string poolId, string clientId, string color) => new()
    {
        ["UserPoolId"] = poolId,
        ["ClientId"] = clientId,
        ["Settings"] = new JsonObject { ["components"] = new JsonObject { ["pageBackground"] = new JsonObject { ["lightMode"] = new JsonObject { ["color"] = color } } } },
        ["Assets"] = new JsonArray(new JsonObject { ["Category"] = "PAGE_HEADER_LOGO", ["ColorMode"] = "LIGHT", ["Extension"] = "PNG", ["Bytes"] = "iVBORw0KGgo=" }),
    };

    private static JsonObject Terms(string poolId, string clientId, string url) => new()
    {
        ["UserPoolId"] = poolId,
        ["ClientId"] = clientId,
        ["TermsName"] = "terms-of-use",
        ["TermsSource"] = "LINK",
        ["Enforcement"] = "NONE",
        ["Links"] = new JsonObject { ["cognito:default"] = url },
    };

    private static JsonObject LogDelivery(string poolId, string region) => new()
    {
        ["UserPoolId"] = poolId,
        ["LogConfigurations"] = new JsonArray(new JsonObject
        {
            ["LogLevel"] = "ERROR",
            ["EventSource"] = "userNotification",
            ["CloudWatchLogsConfiguration"] = new JsonObject { ["LogGroupArn"] = $"arn:aws:logs:{region}:000000000000:log-group:/aws/cognito/idp" },
        }),
    };

    private static JsonObject Risk(string poolId, string region, string highAction) => JsonNode.Parse($$"""
        {
          "UserPoolId": "{{poolId}}",
          "AccountTakeoverRiskConfiguration": {
            "NotifyConfiguration": { "SourceArn": "arn:aws:ses:{{region}}:000000000000:identity/example.com", "From": "security@example.com" },
            "Actions": { "HighAction": { "Notify": true, "EventAction": "{{highAction}}" } }
          }
        }
        """)!.AsObject();

    private static async Task<string> WebClientAsync(CognitoIdentityProviderClient client, string poolId) =>
        (string)(await client.CreateUserPoolClientRawAsync(
            new JsonObject { ["UserPoolId"] = poolId, ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://app.example.com/cb"), ["AllowedOAuthFlows"] = new JsonArray("code") },
            None))["ClientId"]!;

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("config-brand-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
}
