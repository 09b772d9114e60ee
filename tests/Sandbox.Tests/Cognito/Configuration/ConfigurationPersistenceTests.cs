using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>What the fronts serve themselves is kept in the data folder: a sandbox restarted on it finds it again.</summary>
public sealed class ConfigurationPersistenceTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "idrep-persist-" + Guid.NewGuid().ToString("N")[..10]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Configuration_SandboxRestartedOnTheSameDataFolder_IsServedAgain()
    {
        SandboxPool pool;
        string clientId;
        JsonObject client, server, provider, mfa, described;
        var domain = "keep-" + Guid.NewGuid().ToString("N")[..10];
        await using (var first = await TestSandbox.StartAsync(new SandboxOptions { DataDirectory = _data }))
        {
            pool = first.Standby;
            await first.CallAsync(pool, "CreateResourceServer", new JsonObject
            {
                ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "api", ["Name"] = "api",
                ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "Read" }),
            });
            await first.CallAsync(pool, "CreateIdentityProvider", new JsonObject
            {
                ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = "Corp", ["ProviderType"] = "SAML",
                ["ProviderDetails"] = new JsonObject { ["MetadataURL"] = "https://idp.example.com/metadata.xml" },
            });
            clientId = await first.NewClientAsync(pool, new JsonObject
            {
                ["GenerateSecret"] = true,
                ["AllowedOAuthFlows"] = new JsonArray("client_credentials"),
                ["AllowedOAuthScopes"] = new JsonArray("api/read"),
                ["AllowedOAuthFlowsUserPoolClient"] = true,
                ["SupportedIdentityProviders"] = new JsonArray("Corp"),
            });
            await first.CallAsync(pool, "AddUserPoolClientSecret", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId });
            await first.CallAsync(pool, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = domain });
            await first.CallAsync(pool, "SetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true } });
            await first.CallAsync(pool, "UpdateUserPool", new JsonObject
            {
                ["UserPoolId"] = pool.UserPoolId,
                ["AutoVerifiedAttributes"] = new JsonArray("email"),
                ["MfaConfiguration"] = "OPTIONAL",
                ["DeletionProtection"] = "ACTIVE",
                ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 14 } },
            });
            (client, server, provider, mfa, described) = await ReadAllAsync(first, pool, clientId);
        }

        await using var second = await TestSandbox.StartAsync(new SandboxOptions { DataDirectory = _data });
        pool = second.Standby with { UserPoolId = pool.UserPoolId };

        var again = await ReadAllAsync(second, pool, clientId);
        Assert.True(JsonNode.DeepEquals(client, again.Client), $"client: {client.ToJsonString()} → {again.Client.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(server, again.Server));
        Assert.True(JsonNode.DeepEquals(provider, again.Provider));
        Assert.True(JsonNode.DeepEquals(mfa, again.Mfa));
        Assert.Equal(domain, again.Pool["Domain"]!.GetValue<string>());
        foreach (var member in new[] { "Policies", "DeletionProtection", "MfaConfiguration", "AutoVerifiedAttributes", "LastModifiedDate" })
        {
            Assert.True(JsonNode.DeepEquals(described[member], again.Pool[member]), $"{member}: {described[member]?.ToJsonString()} → {again.Pool[member]?.ToJsonString()}");
        }

        var secrets = await second.CallAsync(pool, "ListUserPoolClientSecrets", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId });
        Assert.Equal(2, secrets["ClientSecrets"]!.AsArray().Count);
    }

    private static async Task<(JsonObject Client, JsonObject Server, JsonObject Provider, JsonObject Mfa, JsonObject Pool)> ReadAllAsync(SandboxEnvironment sandbox, SandboxPool pool, string clientId) =>
    (
        await sandbox.DescribeClientAsync(pool, clientId),
        await sandbox.CallAsync(pool, "DescribeResourceServer", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "api" }),
        await sandbox.CallAsync(pool, "DescribeIdentityProvider", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = "Corp" }),
        await sandbox.CallAsync(pool, "GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool.UserPoolId }),
        await sandbox.DescribePoolAsync(pool));
}
