using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// Each kind of configuration change made in the primary reaches the standby through capture alone: the sandbox's
/// front records the call as CloudTrail, the event bus delivers it to the Replicator, which writes a hint, and the
/// worker applies the hinted object. One sandbox and one worker for the class (its configuration sweep ran at start,
/// before any change, and not again within the class's run).
/// </summary>
public sealed class ConfigurationCaptureEndToEndTests(ConfigurationCaptureFixture fixture) : IClassFixture<ConfigurationCaptureFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SecretFingerprinter _fingerprinter = SecretFingerprinter.Ephemeral();
    private readonly string _tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private SandboxEnvironment Sandbox => fixture.Sandbox;

    private CognitoIdentityProviderClient Primary => Sandbox.Client(Sandbox.Primary);

    private string PrimaryPool => Sandbox.Primary.UserPoolId;

    [Fact]
    public async Task CreateUserPoolClient_ConfidentialInThePrimary_StandbyHasItWithTheSameSecret()
    {
        var name = $"m2m-{_tag}";

        await CreateClientAsync(name, secret: true);

        var (source, target) = await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the new client in the standby");
        Assert.Equal(source.Clients[name].Secrets.Select(s => s.Fingerprint), target.Clients[name].Secrets.Select(s => s.Fingerprint));
        Assert.NotNull(Assert.Single(target.Clients[name].Secrets).Fingerprint);
    }

    [Fact]
    public async Task UpdateUserPoolClient_CallbackUrlChanged_StandbyClientHasTheNewUrl()
    {
        var name = $"web-{_tag}";
        var id = await CreateClientAsync(name);
        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the new client in the standby");

        var update = ConfigurationRequests.UpdateUserPoolClient(await Primary.DescribeUserPoolClientRawAsync(PrimaryPool, id, None), PrimaryPool, id);
        update["CallbackURLs"] = new JsonArray("https://app.example.com/changed");
        update["AllowedOAuthFlows"] = new JsonArray("code");
        update["AllowedOAuthScopes"] = new JsonArray("openid");
        update["AllowedOAuthFlowsUserPoolClient"] = true;
        update["SupportedIdentityProviders"] = new JsonArray("COGNITO");
        await Primary.UpdateUserPoolClientRawAsync(update, None);

        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => Urls(t, name).Contains("https://app.example.com/changed"), "the changed callback URL in the standby");
    }

    [Fact]
    public async Task DeleteUserPoolClient_InThePrimary_StandbyClientIsDeleted()
    {
        var name = $"old-{_tag}";
        var id = await CreateClientAsync(name);
        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the new client in the standby");

        await Primary.DeleteUserPoolClientAsync(PrimaryPool, id, None);

        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => !t.Clients.ContainsKey(name), "the client to be deleted in the standby");
    }

    [Fact]
    public async Task AddThenDeleteUserPoolClientSecret_RotationInThePrimary_StandbyEndsWithTheSameSingleSecret()
    {
        // Arrange
        var name = $"rot-{_tag}";
        var id = await CreateClientAsync(name, secret: true);
        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the new client in the standby");
        var original = Assert.Single(await Primary.ListUserPoolClientSecretsAsync(PrimaryPool, id, None));

        // Act: a second secret, then the original dropped (the second becomes the one Describe returns).
        await Primary.AddUserPoolClientSecretAsync(PrimaryPool, id, null, None);
        await Primary.DeleteUserPoolClientSecretAsync(PrimaryPool, id, original.ClientSecretId!, None);

        // Assert
        var (source, target) = await BothWhenAsync(
            ConfigurationSections.Clients,
            (s, t) => t.Clients.TryGetValue(name, out var c) && c.Secrets.Select(x => x.Fingerprint).SequenceEqual(s.Clients[name].Secrets.Select(x => x.Fingerprint)),
            "the standby's secrets to be the primary's");
        Assert.NotNull(Assert.Single(target.Clients[name].Secrets).Fingerprint);
        Assert.NotNull(Assert.Single(source.Clients[name].Secrets).Fingerprint);
    }

    [Fact]
    public async Task ResourceServer_CreatedUpdatedDeletedInThePrimary_FollowedByTheStandby()
    {
        var api = $"https://api-{_tag}.example.com";
        await Primary.CreateResourceServerRawAsync(new JsonObject { ["UserPoolId"] = PrimaryPool, ["Identifier"] = api, ["Name"] = "api" }, None);
        await BothWhenAsync(ConfigurationSections.ResourceServers, (_, t) => t.ResourceServers.ContainsKey(api), "the resource server in the standby");

        await Primary.UpdateResourceServerRawAsync(
            new JsonObject { ["UserPoolId"] = PrimaryPool, ["Identifier"] = api, ["Name"] = "api", ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "read" }) },
            None);
        await BothWhenAsync(ConfigurationSections.ResourceServers, (_, t) => t.ResourceServers.TryGetValue(api, out var s) && s["Scopes"] is JsonArray { Count: 1 }, "the scope in the standby");

        await Primary.DeleteResourceServerAsync(PrimaryPool, api, None);
        await BothWhenAsync(ConfigurationSections.ResourceServers, (_, t) => !t.ResourceServers.ContainsKey(api), "the resource server to be deleted in the standby");
    }

    [Fact]
    public async Task CreateIdentityProvider_OidcInThePrimary_StandbyHasItWithTheSameDetails()
    {
        var provider = $"Oidc{_tag}";

        await Primary.CreateIdentityProviderRawAsync(
            new JsonObject
            {
                ["UserPoolId"] = PrimaryPool,
                ["ProviderName"] = provider,
                ["ProviderType"] = "OIDC",
                ["ProviderDetails"] = new JsonObject
                {
                    ["client_id"] = "capture-test",
                    ["client_secret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                    ["authorize_scopes"] = "openid email",
                    ["oidc_issuer"] = "https://issuer.example.com",
                    ["attributes_request_method"] = "GET",
                },
                ["AttributeMapping"] = new JsonObject { ["email"] = "email" },
            },
            None);

        var (source, target) = await BothWhenAsync(ConfigurationSections.IdentityProviders, (_, t) => t.IdentityProviders.ContainsKey(provider), "the identity provider in the standby");
        Assert.Equal(source.IdentityProviders[provider]["ProviderDetails"]!["client_secret"]!.ToString(), target.IdentityProviders[provider]["ProviderDetails"]!["client_secret"]!.ToString());
    }

    [Fact]
    public async Task UpdateUserPool_PasswordPolicyTightened_StandbyHasTheSamePolicy()
    {
        var length = 10 + RandomNumberGenerator.GetInt32(0, 20);
        var update = ConfigurationRequests.UpdateUserPool((await Primary.DescribeUserPoolRawAsync(PrimaryPool, None)).UserPool!, PrimaryPool);
        var policies = update["Policies"] as JsonObject ?? [];
        var password = policies["PasswordPolicy"] as JsonObject ?? [];
        password["MinimumLength"] = length;
        policies["PasswordPolicy"] = password.DeepClone();
        update["Policies"] = policies.DeepClone();

        await Primary.UpdateUserPoolRawAsync(update, None);

        await BothWhenAsync(ConfigurationSections.Pool, (_, t) => (int?)t.Settings["Policies"]?["PasswordPolicy"]?["MinimumLength"] == length, "the password policy in the standby");
    }

    [Fact]
    public async Task SetUserPoolMfaConfig_TotpOptional_StandbyHasTheSameMfaConfiguration()
    {
        await Primary.SetUserPoolMfaConfigRawAsync(
            new JsonObject { ["UserPoolId"] = PrimaryPool, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true } },
            None);

        await BothWhenAsync(
            ConfigurationSections.Mfa,
            (_, t) => (string?)t.Mfa?["MfaConfiguration"] == "OPTIONAL" && t.Mfa?["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>() == true,
            "the MFA configuration in the standby");
    }

    [Fact]
    public async Task AddCustomAttributes_ThenAUserWithIt_StandbyGetsTheAttributeAndTheUserIsNotParked()
    {
        // Arrange
        var attribute = $"lvl{_tag}";
        await Primary.AddCustomAttributesRawAsync(PrimaryPool, new JsonArray(new JsonObject { ["Name"] = attribute, ["AttributeDataType"] = "String", ["Mutable"] = true }), None);
        var email = $"schema-{_tag}@example.com";

        // Act: the user at once, before the schema's hint is applied.
        await Primary.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = PrimaryPool,
            Username = email,
            MessageAction = "SUPPRESS",
            UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", "true"), new AttributeType("custom:" + attribute, "gold")],
        });

        // Assert
        var standby = Sandbox.UserDirectory(Sandbox.Standby);
        await Eventually.TrueAsync(
            async () => (await standby.FindUserAsync(email, None))?.Attributes.GetValueOrDefault("custom:" + attribute) == "gold",
            Bound,
            "the user with the new attribute in the standby");
        var state = new DynamoDbReplicaStateStore(Sandbox.Dynamo, new MirrorOptions { TableName = Sandbox.TableName });
        var parked = new List<ParkedEntity>();
        await foreach (var entity in state.ListParkedAsync(Sandbox.Standby.Region, None))
        {
            parked.Add(entity);
        }

        Assert.DoesNotContain(parked, p => p.Entity.Kind == EntityKind.User);
    }

    [Fact]
    public async Task CreateUserPoolDomain_InThePrimary_StandbyGetsAPrefixDomain()
    {
        await Primary.CreateUserPoolDomainRawAsync(new JsonObject { ["UserPoolId"] = PrimaryPool, ["Domain"] = $"capture-{_tag}" }, None);

        await BothWhenAsync(ConfigurationSections.Domain, (_, t) => t.Domain is not null, "a prefix domain in the standby");
    }

    [Fact]
    public async Task TagResource_OnThePrimaryPool_StandbyPoolHasTheTag()
    {
        var arn = (string)(await Primary.DescribeUserPoolRawAsync(PrimaryPool, None)).UserPool!["Arn"]!;

        await Primary.TagResourceAsync(arn, new Dictionary<string, string> { ["cost-centre"] = _tag }, None);

        await BothWhenAsync(ConfigurationSections.Pool, (_, t) => (string?)t.Settings["UserPoolTags"]?["cost-centre"] == _tag, "the tag on the standby pool");
    }

    private static IEnumerable<string?> Urls(PoolConfiguration configuration, string name) =>
        configuration.Clients.TryGetValue(name, out var client) && client.Settings["CallbackURLs"] is JsonArray urls ? urls.Select(u => (string?)u) : [];

    private async Task<string> CreateClientAsync(string name, bool secret = false)
    {
        var request = new JsonObject { ["UserPoolId"] = PrimaryPool, ["ClientName"] = name, ["ExplicitAuthFlows"] = new JsonArray("ALLOW_REFRESH_TOKEN_AUTH") };
        if (secret)
        {
            request["GenerateSecret"] = true;
        }

        return (string)(await Primary.CreateUserPoolClientRawAsync(request, None))["ClientId"]!;
    }

    /// <summary>Reads <paramref name="sections"/> of both pools until <paramref name="done"/> holds (the standby is another process: there is no signal).</summary>
    private Task<(PoolConfiguration Source, PoolConfiguration Target)> BothWhenAsync(ConfigurationSections sections, Func<PoolConfiguration, PoolConfiguration, bool> done, string what)
    {
        var source = new CognitoPoolConfigurationDirectory(Primary, PrimaryPool, Sandbox.Primary.Region);
        var target = new CognitoPoolConfigurationDirectory(Sandbox.Client(Sandbox.Standby), Sandbox.Standby.UserPoolId, Sandbox.Standby.Region);
        return Eventually.ReturnsAsync(
            async () => (await source.ReadAsync(_fingerprinter, sections, None), await target.ReadAsync(_fingerprinter, sections, None)),
            both => done(both.Item1, both.Item2),
            Bound,
            what);
    }
}

/// <summary>One sandbox and one running worker, shared by a test class.</summary>
public sealed class ConfigurationCaptureFixture : IAsyncLifetime
{
    private RunningWorker? _worker;

    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await TestSandbox.StartAsync();
        _worker = await Sandbox.StartWorkerAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
