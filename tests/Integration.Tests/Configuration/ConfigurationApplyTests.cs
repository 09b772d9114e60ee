using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// Configuration apply against the sandbox's two Cognito emulators, for what they serve (app clients), in pools of
/// its own so the sandbox's clients are left alone.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ConfigurationApplyTests(SandboxFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ApplyAsync_ClientWithSettingsInThePrimary_StandbyHasItWithEverySettingAndTheMappingIsRecorded()
    {
        // Arrange
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        var created = await primary.CreateUserPoolClientRawAsync(
            new JsonObject
            {
                ["UserPoolId"] = sourcePool,
                ["ClientName"] = "web",
                ["CallbackURLs"] = new JsonArray("https://app.example.com/cb", "https://app.example.com/cb2"),
                ["LogoutURLs"] = new JsonArray("https://app.example.com/bye"),
                ["DefaultRedirectURI"] = "https://app.example.com/cb",
                ["AllowedOAuthFlows"] = new JsonArray("code"),
                ["AllowedOAuthFlowsUserPoolClient"] = true,
                ["AllowedOAuthScopes"] = new JsonArray("openid", "email"),
                ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
                ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
                ["ReadAttributes"] = new JsonArray("email", "name"),
                ["WriteAttributes"] = new JsonArray("name"),
                ["AccessTokenValidity"] = 2,
                ["IdTokenValidity"] = 90,
                ["RefreshTokenValidity"] = 14,
                ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "hours", ["IdToken"] = "minutes", ["RefreshToken"] = "days" },
                ["PreventUserExistenceErrors"] = "ENABLED",
                ["EnableTokenRevocation"] = true,
            },
            None);
        var source = new CognitoPoolConfigurationDirectory(primary, sourcePool, sandbox.Primary.Region, sections: ConfigurationSections.Clients);
        var target = new CognitoPoolConfigurationDirectory(standby, targetPool, sandbox.Standby.Region, sections: ConfigurationSections.Clients);
        var mappings = new DynamoDbClientMappingStore(sandbox.Dynamo, new MirrorOptions { TableName = sandbox.TableName });
        var options = new ConfigurationReplicationOptions();
        var applier = new ConfigurationApplier(source, target, mappings, options, TimeProvider.System, NullLogger<ConfigurationApplier>.Instance);

        // Act
        var result = await applier.ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        var listed = new List<UserPoolClientDescription>();
        await foreach (var client in standby.ListUserPoolClientsAsync(targetPool, None))
        {
            listed.Add(client);
        }

        var copy = await standby.DescribeUserPoolClientRawAsync(targetPool, Assert.Single(listed).ClientId!, None);
        var original = await primary.DescribeUserPoolClientRawAsync(sourcePool, (string)created["ClientId"]!, None);
        foreach (var setting in ConfigurationRequests.UpdateUserPoolClient(original, targetPool, string.Empty).Select(m => m.Key).Where(k => k is not ("UserPoolId" or "ClientId")))
        {
            Assert.True(JsonNode.DeepEquals(original[setting], copy[setting]), $"{setting}: {original[setting]?.ToJsonString()} in the primary, {copy[setting]?.ToJsonString()} in the standby");
        }

        var fingerprinter = options.Fingerprinter();
        var drift = ConfigurationComparer.Compare(await source.ReadAsync(fingerprinter, None), await target.ReadAsync(fingerprinter, None), options.MapFor(sandbox.Primary.Region, sandbox.Standby.Region));
        Assert.DoesNotContain(drift, f => f.IsDrift);
        var mapping = Assert.Single(await mappings.ListAsync(targetPool, None));
        Assert.Equal(("web", (string)created["ClientId"]!, (string)copy["ClientId"]!), (mapping.Name, mapping.SourceClientId, mapping.TargetClientId));
    }

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("config-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
}
