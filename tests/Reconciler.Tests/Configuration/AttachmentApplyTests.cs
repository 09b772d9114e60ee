using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>Apply of managed login branding, terms, log delivery and risk configuration against in-memory pools.</summary>
public sealed class AttachmentApplyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly InMemoryConfigurationPool _source = new("eu-west-1_Source", "eu-west-1");
    private readonly InMemoryConfigurationPool _target = new("eu-central-1_Target", "eu-central-1");
    private readonly ConfigurationReplicationOptions _options = new() { SecretFingerprintKey = Convert.ToBase64String(new byte[32]) };

    private static JsonObject Style(string color) =>
        JsonNode.Parse("""{"UseCognitoProvidedValues":false,"Settings":{"components":{"form":{"lightMode":{"backgroundColor":"COLOR"}}}},"Assets":[{"Category":"FORM_LOGO","ColorMode":"LIGHT","Extension":"PNG","Bytes":"iVBORw0KGgo="}]}""".Replace("COLOR", color, StringComparison.Ordinal))!.AsObject();

    private static JsonObject TermsLinks(string url) => new() { ["TermsSource"] = "LINK", ["Enforcement"] = "NONE", ["Links"] = new JsonObject { ["cognito:default"] = url } };

    [Fact]
    public async Task ApplyAsync_BrandingAndTermsOfAClient_CreatedForTheTargetsSameNamedClientAndASecondRunWritesNothing()
    {
        // Arrange
        var sourceWeb = _source.AddClient(new JsonObject { ["ClientName"] = "web" });
        var targetWeb = _target.AddClient(new JsonObject { ["ClientName"] = "web" });
        _source.Brandings["b-1"] = (sourceWeb, Style("ffffffff"));
        _source.Terms["t-1"] = (sourceWeb, "terms-of-use", TermsLinks("https://example.com/terms"));

        // Act
        var first = await Applier().ApplyAsync(None);
        var second = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(first.IsClean, string.Join("; ", first.Refused));
        Assert.Equal(["CreateManagedLoginBranding", "CreateTerms"], _target.Writes);
        var branding = Assert.Single(_target.Brandings.Values);
        Assert.Equal(targetWeb, branding.ClientId);
        Assert.Equal("iVBORw0KGgo=", (string?)branding.Settings["Assets"]![0]!["Bytes"]);
        var terms = Assert.Single(_target.Terms.Values);
        Assert.Equal((targetWeb, "terms-of-use"), (terms.ClientId, terms.Name));
        Assert.Empty(second.Applied);
    }

    [Fact]
    public async Task ApplyAsync_BrandingAndTermsDifferOrOnlyInTarget_UpdatesTheTargetsObjectsAndDeletesItsExtraOnes()
    {
        // Arrange
        var sourceWeb = _source.AddClient(new JsonObject { ["ClientName"] = "web" });
        var targetWeb = _target.AddClient(new JsonObject { ["ClientName"] = "web" });
        _source.Brandings["b-1"] = (sourceWeb, Style("000000ff"));
        _source.Terms["t-1"] = (sourceWeb, "terms-of-use", TermsLinks("https://example.com/v2"));
        _target.Brandings["b-9"] = (targetWeb, Style("ffffffff"));
        _target.Terms["t-8"] = (targetWeb, "terms-of-use", TermsLinks("https://example.com/v1"));
        _target.Terms["t-9"] = (targetWeb, "privacy-policy", TermsLinks("https://example.com/privacy"));

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        Assert.Equal(["UpdateManagedLoginBranding", "UpdateTerms", "DeleteTerms"], _target.Writes);
        Assert.Equal("000000ff", (string?)_target.Brandings["b-9"].Settings["Settings"]!["components"]!["form"]!["lightMode"]!["backgroundColor"]);
        Assert.Equal("https://example.com/v2", (string?)Assert.Single(_target.Terms).Value.Settings["Links"]!["cognito:default"]);
        Assert.Empty(await DriftAsync());
    }

    [Fact]
    public async Task ApplyAsync_LogDeliveryAndRisk_SetWithTheTargetRegionsDestinationsAndIdentity()
    {
        // Arrange
        var sourceWeb = _source.AddClient(new JsonObject { ["ClientName"] = "web" });
        _target.AddClient(new JsonObject { ["ClientName"] = "web" });
        _source.LogDelivery = ClientAttachments.LogDelivery(JsonNode.Parse("""
            {"LogConfigurations":[{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"arn:aws:s3:::auth-logs"}},
             {"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:eu-west-1:111122223333:log-group:idp"}}]}
            """)!.AsObject());
        _source.Risk = JsonNode.Parse("""{"AccountTakeoverRiskConfiguration":{"NotifyConfiguration":{"SourceArn":"arn:aws:ses:eu-west-1:111122223333:identity/example.com"},"Actions":{"HighAction":{"Notify":true,"EventAction":"BLOCK"}}}}""")!.AsObject();
        _source.ClientRisks[sourceWeb] = JsonNode.Parse("""{"RiskExceptionConfiguration":{"SkippedIPRangeList":["10.0.0.0/8"]}}""")!.AsObject();

        // Act
        var result = await Applier().ApplyAsync(None);

        // Assert
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
        Assert.Equal(["SetRiskConfiguration", "SetLogDeliveryConfiguration", "SetRiskConfiguration"], _target.Writes);
        Assert.Equal("arn:aws:logs:eu-central-1:111122223333:log-group:idp", (string?)_target.LogDelivery["userNotification"]!["CloudWatchLogsConfiguration"]!["LogGroupArn"]);
        Assert.Equal("arn:aws:s3:::auth-logs", (string?)_target.LogDelivery["userAuthEvents"]!["S3Configuration"]!["BucketArn"]);
        Assert.Equal("arn:aws:ses:eu-central-1:111122223333:identity/example.com", (string?)_target.Risk["AccountTakeoverRiskConfiguration"]!["NotifyConfiguration"]!["SourceArn"]);
        Assert.Equal("10.0.0.0/8", (string?)Assert.Single(_target.ClientRisks).Value["RiskExceptionConfiguration"]!["SkippedIPRangeList"]![0]);
        Assert.Empty(await DriftAsync());
    }

    [Fact]
    public async Task ApplyObjectAsync_UiHint_WritesBrandingAndTermsButNoOtherObject()
    {
        // Arrange
        var sourceWeb = _source.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://new/cb") });
        _target.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://old/cb") });
        _source.Brandings["b-1"] = (sourceWeb, Style("ffffffff"));
        var hint = new ConfigurationHint { SourcePoolId = _source.UserPoolId, Kind = ConfigObjectKind.Ui, Operation = "CreateManagedLoginBranding", Version = 1 };

        // Act
        var done = await Applier().ApplyObjectAsync(hint, appliedFingerprint: null, None);

        // Assert
        Assert.Equal("ui", done.Subject);
        Assert.Equal(["CreateManagedLoginBranding"], _target.Writes);
    }

    [Fact]
    public async Task ApplyObjectAsync_RiskHint_WritesPoolAndClientRiskButNoOtherObject()
    {
        // Arrange
        var sourceWeb = _source.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://new/cb") });
        _target.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://old/cb") });
        _source.Risk = JsonNode.Parse("""{"CompromisedCredentialsRiskConfiguration":{"Actions":{"EventAction":"BLOCK"}}}""")!.AsObject();
        _source.ClientRisks[sourceWeb] = JsonNode.Parse("""{"RiskExceptionConfiguration":{"SkippedIPRangeList":["10.0.0.0/8"]}}""")!.AsObject();
        _source.LogDelivery = ClientAttachments.LogDelivery(JsonNode.Parse("""{"LogConfigurations":[{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"arn:aws:s3:::auth-logs"}}]}""")!.AsObject());
        var hint = new ConfigurationHint { SourcePoolId = _source.UserPoolId, Kind = ConfigObjectKind.Risk, Operation = "SetRiskConfiguration", Version = 1 };

        // Act
        var done = await Applier().ApplyObjectAsync(hint, appliedFingerprint: null, None);

        // Assert
        Assert.Equal("risk", done.Subject);
        Assert.Equal(["SetRiskConfiguration", "SetRiskConfiguration"], _target.Writes);
    }

    [Fact]
    public async Task ApplyObjectAsync_LogDeliveryHint_WritesLogDeliveryOnlyAndARepeatWritesNothing()
    {
        // Arrange
        _source.LogDelivery = ClientAttachments.LogDelivery(JsonNode.Parse("""{"LogConfigurations":[{"LogLevel":"INFO","EventSource":"userAuthEvents","S3Configuration":{"BucketArn":"arn:aws:s3:::auth-logs"}}]}""")!.AsObject());
        _source.Risk = JsonNode.Parse("""{"CompromisedCredentialsRiskConfiguration":{"Actions":{"EventAction":"BLOCK"}}}""")!.AsObject();
        var hint = new ConfigurationHint { SourcePoolId = _source.UserPoolId, Kind = ConfigObjectKind.LogDelivery, Operation = "SetLogDeliveryConfiguration", Version = 1 };
        var applier = Applier();

        // Act
        var first = await applier.ApplyObjectAsync(hint, appliedFingerprint: null, None);
        var again = await applier.ApplyObjectAsync(hint with { Version = 2 }, first.Fingerprint, None);

        // Assert
        Assert.Equal("logDelivery", first.Subject);
        Assert.Equal(["SetLogDeliveryConfiguration"], _target.Writes);
        Assert.Equal(first.Fingerprint, again.Fingerprint);
    }

    private ConfigurationApplier Applier() => new(_source, _target, null, _options, new FakeTimeProvider(), new FakeLogger<ConfigurationApplier>());

    private async Task<List<ConfigFinding>> DriftAsync()
    {
        var fingerprinter = _options.Fingerprinter();
        var findings = ConfigurationComparer.Compare(await _source.ReadAsync(fingerprinter, None), await _target.ReadAsync(fingerprinter, None), _options.MapFor("eu-west-1", "eu-central-1"));
        return [.. findings.Where(f => f.IsDrift)];
    }
}
