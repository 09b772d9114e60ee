using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>Configuration apply against in-memory pools: what it writes, in which order, with which secrets, and what it reports.</summary>
public sealed class ConfigurationApplierTests
{
    private const string Secret = "s3cr3t-value-of-the-web-client";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", "eu-central-1");
    private readonly InMemoryClientMappings _mappings = new();
    private readonly FakeLogger<ConfigurationApplier> _logger = new();
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    [Fact]
    public async Task ApplyAsync_ClientMissingInTarget_CreatesItWithEverySettingTheSameSecretAndAMapping()
    {
        // Arrange
        var sourceId = _source.AddClient(WebClient(), Secret);

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        var (targetId, created) = Assert.Single(_target.Clients);
        Assert.Equal(Secret, Assert.Single(created.Secrets).Value);
        Assert.Equal(["https://app.example.com/cb"], created.Settings["CallbackURLs"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(30, (int)created.Settings["RefreshTokenValidity"]!);
        var mapping = Assert.Single(_mappings.Items.Values);
        Assert.Equal(("web", sourceId, targetId, Now), (mapping.Name, mapping.SourceClientId, mapping.TargetClientId, mapping.MappedAt));
        Assert.Empty(await DriftAsync());
    }

    [Fact]
    public async Task ApplyAsync_EverythingDiffers_WritesInDependencyOrder()
    {
        // Arrange
        _source.Schema.Add(new JsonObject { ["Name"] = "custom:tier", ["AttributeDataType"] = "String" });
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API", ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "r" }) };
        _source.IdentityProviders["Google"] = new JsonObject { ["ProviderName"] = "Google", ["ProviderType"] = "Google", ["ProviderDetails"] = new JsonObject { ["client_id"] = "g" } };
        _source.AddClient(WebClient());
        _target.AddClient(new JsonObject { ["ClientName"] = "old" });
        _target.ResourceServers["legacy"] = new JsonObject { ["Identifier"] = "legacy", ["Name"] = "Legacy" };
        _source.Pool = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12 } } };
        _source.Mfa = new JsonObject { ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true } };
        _source.Domain = "login-example";
        _source.Css = ".banner { color: red; }";

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        Assert.Equal(
            ["AddCustomAttributes", "CreateResourceServer", "CreateIdentityProvider", "CreateUserPoolClient", "DeleteUserPoolClient", "DeleteResourceServer", "UpdateUserPool", "SetUserPoolMfaConfig", "CreateUserPoolDomain", "SetUICustomization"],
            _target.Writes);
        Assert.Empty(await DriftAsync());
    }

    [Fact]
    public async Task ApplyAsync_TargetRefusesOneWrite_ReportsCognitosReasonAndTheFixAndCarriesOn()
    {
        // Arrange
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };
        _source.AddClient(WebClient());
        _source.Pool = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12 } } };
        _target.Refuse["CreateResourceServer"] = CognitoErrors.Create("LimitExceededException", "The pool has 25 resource servers");

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        var refusal = Assert.Single(result.Refused);
        Assert.Equal(("resourceServer api", "CreateResourceServer", "LimitExceededException", "The pool has 25 resource servers"), (refusal.Subject, refusal.Operation, refusal.Code, refusal.Reason));
        Assert.Contains("remove unused ones or raise the quota", refusal.Fix, StringComparison.Ordinal);
        Assert.Equal(["CreateUserPoolClient", "UpdateUserPool"], _target.Writes);
    }

    [Fact]
    public async Task ApplyAsync_SourceRotatedTheSecret_AddsTheNewValueThenDeletesTheOneTheSourceDropped()
    {
        // Arrange: both pools had the old secret; the source now has only the new one.
        _source.AddClient(WebClient(), "new-secret");
        var targetId = _target.AddClient(WebClient(), "old-secret");

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        Assert.Equal(["AddUserPoolClientSecret", "DeleteUserPoolClientSecret"], _target.Writes);
        Assert.Equal(["new-secret"], _target.Clients[targetId].Secrets.Select(s => s.Value));
    }

    [Fact]
    public async Task ApplyAsync_TargetHasTwoSecretsAndNeedsANewOne_DeletesADroppedOneFirst()
    {
        // Arrange
        _source.AddClient(WebClient(), "new-secret");
        var targetId = _target.AddClient(WebClient(), "old-1", "old-2");

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        Assert.Equal(["DeleteUserPoolClientSecret", "AddUserPoolClientSecret", "DeleteUserPoolClientSecret"], _target.Writes);
        Assert.Equal(["new-secret"], _target.Clients[targetId].Secrets.Select(s => s.Value));
    }

    [Fact]
    public async Task ApplyAsync_SecretsAndRefusals_NeverShowASecretInLogsOrTheResult()
    {
        // Arrange
        _source.AddClient(WebClient(), Secret);
        _target.Refuse["CreateUserPoolClient"] = CognitoErrors.Create("InvalidParameterException", "ClientSecret " + Secret + " is not allowed");

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        var refusal = Assert.Single(result.Refused);
        Assert.DoesNotContain(Secret, refusal.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join("\n", result.Applied.Select(c => c.Request?.ToJsonString())), StringComparison.Ordinal);
        Assert.NotEmpty(_logger.Collector.GetSnapshot());
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(Secret, r.Message + r.Exception, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_SecondRun_WritesNothing()
    {
        // Arrange
        _source.AddClient(WebClient(), Secret);
        _source.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };
        await Applier().ApplyAsync(None);
        _target.Writes.Clear();

        // Act
        var second = await Applier().ApplyAsync(None);

        // Assert
        Assert.Empty(second.Applied);
        Assert.Empty(_target.Writes);
    }

    private static JsonObject WebClient() => new()
    {
        ["ClientName"] = "web",
        ["CallbackURLs"] = new JsonArray("https://app.example.com/cb"),
        ["AllowedOAuthFlows"] = new JsonArray("code"),
        ["RefreshTokenValidity"] = 30,
        ["TokenValidityUnits"] = new JsonObject { ["RefreshToken"] = "days" },
    };

    private ConfigurationApplier Applier() => new(_source, _target, _mappings, _options, new FakeTimeProvider(Now), _logger);

    private async Task<List<ConfigFinding>> DriftAsync()
    {
        var fingerprinter = _options.Fingerprinter();
        var findings = ConfigurationComparer.Compare(await _source.ReadAsync(fingerprinter, None), await _target.ReadAsync(fingerprinter, None), _options.MapFor("eu-west-1", "eu-central-1"));
        return [.. findings.Where(f => f.IsDrift)];
    }
}
