using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.EventBridge;
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
        Assert.Equal(source!.Clients[name].Secrets.Select(s => s.Fingerprint), target!.Clients[name].Secrets.Select(s => s.Fingerprint));
        Assert.NotNull(Assert.Single(target!.Clients[name].Secrets).Fingerprint);
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
    public async Task AddThenDeleteUserPoolClientSecret_InThePrimary_EachHintIsAppliedAndTheStandbyKeepsTheReadableSecret()
    {
        // Arrange
        var name = $"rot-{_tag}";
        var id = await CreateClientAsync(name, secret: true);
        await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the new client in the standby");
        var state = new DynamoDbReplicaStateStore(Sandbox.Dynamo, new MirrorOptions { TableName = Sandbox.TableName });
        var entity = ConfigurationHint.EntityIdOf(PrimaryPool, ConfigObjectKind.Client, id);
        var created = await AppliedVersionAsync(state, entity, 0);

        // Act + Assert: a second secret Cognito never returns (added without a value it shows only once) is left alone,
        // and its deletion too; both records reach the worker as hints.
        var added = await Primary.AddUserPoolClientSecretAsync(PrimaryPool, id, null, None);
        var afterAdd = await AppliedVersionAsync(state, entity, created);
        await Primary.DeleteUserPoolClientSecretAsync(PrimaryPool, id, added.ClientSecretId!, None);
        await AppliedVersionAsync(state, entity, afterAdd);

        var (source, target) = await BothWhenAsync(ConfigurationSections.Clients, (_, t) => t.Clients.ContainsKey(name), "the client in the standby");
        Assert.Equal(Assert.Single(source!.Clients[name].Secrets).Fingerprint, Assert.Single(target!.Clients[name].Secrets).Fingerprint);
    }

    /// <summary>Waits until the worker has recorded a hint for the object newer than <paramref name="after"/>; its version.</summary>
    private async Task<long> AppliedVersionAsync(DynamoDbReplicaStateStore state, EntityId entity, long after) =>
        (await Eventually.ReturnsAsync(
            () => state.GetAppliedAsync(Sandbox.Standby.Region, entity, None),
            a => a is not null && a.ProfileVersion > after,
            Bound,
            $"a hint for {entity} newer than {after} to be applied"))!.ProfileVersion;

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
        Assert.Equal(source!.IdentityProviders[provider]["ProviderDetails"]!["client_secret"]!.ToString(), target!.IdentityProviders[provider]["ProviderDetails"]!["client_secret"]!.ToString());
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

    [Fact]
    public async Task SetLogDeliveryAndRiskConfiguration_InThePrimary_StandbyHasThemWithItsOwnRegionsArns()
    {
        // Arrange
        var (from, to) = (Sandbox.Primary.Region, Sandbox.Standby.Region);
        var logGroup = $"arn:aws:logs:{{0}}:000000000000:log-group:/aws/cognito/{_tag}";
        var sender = $"arn:aws:ses:{{0}}:000000000000:identity/{_tag}.example.com";

        // Act
        await Primary.SetLogDeliveryConfigurationRawAsync(
            new JsonObject
            {
                ["UserPoolId"] = PrimaryPool,
                ["LogConfigurations"] = new JsonArray(new JsonObject
                {
                    ["LogLevel"] = "ERROR",
                    ["EventSource"] = "userNotification",
                    ["CloudWatchLogsConfiguration"] = new JsonObject { ["LogGroupArn"] = string.Format(CultureInfo.InvariantCulture, logGroup, from) },
                }),
            },
            None);
        await Primary.SetRiskConfigurationRawAsync(
            new JsonObject
            {
                ["UserPoolId"] = PrimaryPool,
                ["AccountTakeoverRiskConfiguration"] = new JsonObject
                {
                    ["NotifyConfiguration"] = new JsonObject { ["SourceArn"] = string.Format(CultureInfo.InvariantCulture, sender, from), ["From"] = "security@example.com" },
                    ["Actions"] = new JsonObject { ["HighAction"] = new JsonObject { ["Notify"] = true, ["EventAction"] = "BLOCK" } },
                },
            },
            None);

        // Assert: Regional values mapped to the standby's Region (ARNs by Region substitution), not copied.
        await BothWhenAsync(
            ConfigurationSections.LogDelivery,
            (_, t) => (string?)t.LogDelivery?["userNotification"]?["CloudWatchLogsConfiguration"]?["LogGroupArn"] == string.Format(CultureInfo.InvariantCulture, logGroup, to),
            "the log delivery configuration in the standby");
        await BothWhenAsync(
            ConfigurationSections.Risk,
            (_, t) => (string?)t.Risk?["AccountTakeoverRiskConfiguration"]?["NotifyConfiguration"]?["SourceArn"] == string.Format(CultureInfo.InvariantCulture, sender, to),
            "the risk configuration in the standby");
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
    private Task<(PoolConfiguration? Source, PoolConfiguration? Target)> BothWhenAsync(ConfigurationSections sections, Func<PoolConfiguration, PoolConfiguration, bool> done, string what)
    {
        var source = new CognitoPoolConfigurationDirectory(Primary, PrimaryPool, Sandbox.Primary.Region);
        var target = new CognitoPoolConfigurationDirectory(Sandbox.Client(Sandbox.Standby), Sandbox.Standby.UserPoolId, Sandbox.Standby.Region);
        return Eventually.ReturnsAsync<(PoolConfiguration? Source, PoolConfiguration? Target)>(
            async () =>
            {
                try
                {
                    return (await source.ReadAsync(_fingerprinter, sections, None), await target.ReadAsync(_fingerprinter, sections, None));
                }
                catch (IdentityReplicator.Core.Cognito.ResourceNotFoundException)
                {
                    // The worker deleted an object between this read's list and describe: read again.
                    return default;
                }
            },
            both => both.Item1 is not null && done(both.Item1, both.Item2!),
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

/// <summary>A configuration change whose CloudTrail record never reached capture: the configuration sweep applies it.</summary>
public sealed class ConfigurationSweepEndToEndTests
{
    [Fact]
    public async Task ConfigurationSweep_AChangeWhoseRecordWasMissed_ReachesTheStandbyWithoutAHint()
    {
        // Arrange: the deployment's CloudTrail rule drops everything (same name: it replaces the Replicator's).
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.EventBus.Subscribe(new EventSubscription("cognito-cloudtrail-to-replicator", _ => false, (_, _) => Task.CompletedTask, TimeSpan.Zero));
        var primary = sandbox.Client(sandbox.Primary);
        var pool = sandbox.Primary.UserPoolId;
        var update = ConfigurationRequests.UpdateUserPool((await primary.DescribeUserPoolRawAsync(pool, CancellationToken.None)).UserPool!, pool);
        var policies = update["Policies"] as JsonObject ?? [];
        var password = policies["PasswordPolicy"] as JsonObject ?? [];
        password["MinimumLength"] = 17;
        policies["PasswordPolicy"] = password.DeepClone();
        update["Policies"] = policies.DeepClone();
        await primary.UpdateUserPoolRawAsync(update, CancellationToken.None);
        Assert.Contains(sandbox.EventBus.Events, e => (string?)e["detail"]?["eventName"] == "UpdateUserPool");
        var hint = await sandbox.Dynamo.GetItemAsync(
            sandbox.TableName,
            new Dictionary<string, AttributeValue>
            {
                [MirrorTable.PartitionKey] = new(MirrorTable.EntityPartition(ConfigurationHint.EntityIdOf(pool, ConfigObjectKind.Pool, null))),
                [MirrorTable.SortKey] = new(MirrorTable.SnapshotSortKey),
            });
        Assert.True(hint.Item is null || hint.Item.Count == 0, "the record reached capture; the test needs it missed");

        // Act: a worker's configuration sweep runs at its start.
        await using var worker = await sandbox.StartWorkerAsync();

        // Assert
        var standby = new CognitoPoolConfigurationDirectory(sandbox.Client(sandbox.Standby), sandbox.Standby.UserPoolId, sandbox.Standby.Region);
        await Eventually.TrueAsync(
            async () => (int?)(await standby.ReadAsync(SecretFingerprinter.Ephemeral(), ConfigurationSections.Pool, CancellationToken.None)).Settings["Policies"]?["PasswordPolicy"]?["MinimumLength"] == 17,
            TimeSpan.FromSeconds(30),
            "the sweep to apply the password policy");
    }
}
