using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>
/// CloudTrail records of configuration calls become configuration hints on the change feed, naming the pool and the
/// object and nothing of its settings; records of other pools, failed calls and records that name no object leave nothing.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class ConfigurationCaptureTests(DynaliteFixture dynalite)
{
    private const string Pool = TriggerEvents.PrimaryPool;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryUserDirectory _primary = new(Pool, signInByEmail: true);

    [Fact]
    public async Task HandleAsync_CreateUserPoolClient_RecordsAClientHintWithTheIdFromTheResponseAndNoSettings()
    {
        // Arrange
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);
        var record = CloudTrailEvents.Call("CreateUserPoolClient", new JsonObject { ["userPoolId"] = Pool, ["clientName"] = "m2m", ["callbackURLs"] = new JsonArray("https://evil.example/cb") });
        record["detail"]!["responseElements"] = new JsonObject { ["userPoolClient"] = new JsonObject { ["clientId"] = "abc123", ["clientName"] = "m2m", ["clientSecret"] = CloudTrailEvents.Hidden } };

        // Act
        var result = await h.Capture.HandleAsync(record, None);
        var hints = await HintsAsync(h);

        // Assert
        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var hint = Assert.Single(hints);
        Assert.Equal((Pool, ConfigObjectKind.Client, "abc123", "m2m", "CreateUserPoolClient"), (hint.SourcePoolId, hint.Kind, hint.ObjectId, hint.ObjectName, hint.Operation));
    }

    [Theory]
    [InlineData("UpdateResourceServer", "identifier", "https://api.example.com", ConfigObjectKind.ResourceServer)]
    [InlineData("DeleteIdentityProvider", "providerName", "Okta", ConfigObjectKind.IdentityProvider)]
    [InlineData("AddUserPoolClientSecret", "clientId", "abc123", ConfigObjectKind.Client)]
    [InlineData("UpdateUserPool", "passwordPolicy", null, ConfigObjectKind.Pool)]
    [InlineData("SetUserPoolMfaConfig", "mfaConfiguration", null, ConfigObjectKind.Mfa)]
    [InlineData("AddCustomAttributes", "customAttributes", null, ConfigObjectKind.Schema)]
    [InlineData("CreateUserPoolDomain", "domain", null, ConfigObjectKind.Domain)]
    [InlineData("SetUICustomization", "cSS", null, ConfigObjectKind.Ui)]
    [InlineData("SetLogDeliveryConfiguration", "logConfigurations", null, ConfigObjectKind.LogDelivery)]
    [InlineData("SetRiskConfiguration", "clientId", null, ConfigObjectKind.Risk)]
    public async Task HandleAsync_ConfigurationCallOfTheSource_RecordsAHintForThatObject(string operation, string member, string? id, ConfigObjectKind kind)
    {
        // Arrange
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);
        var record = CloudTrailEvents.Call(operation, new JsonObject { ["userPoolId"] = Pool, [member] = id ?? "x" });

        // Act
        var result = await h.Capture.HandleAsync(record, None);

        // Assert
        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var hint = Assert.Single(await HintsAsync(h));
        Assert.Equal((kind, id), (hint.Kind, hint.ObjectId));
    }

    [Fact]
    public async Task HandleAsync_TagResourceOnTheSourcePoolsArn_RecordsAPoolHint()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);
        var record = CloudTrailEvents.Call("TagResource", new JsonObject { ["resourceArn"] = $"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{Pool}", ["tags"] = new JsonObject { ["team"] = "id" } });

        var result = await h.Capture.HandleAsync(record, None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        Assert.Equal(ConfigObjectKind.Pool, Assert.Single(await HintsAsync(h)).Kind);
    }

    [Fact]
    public async Task HandleAsync_ConfigurationCallOfAnotherPool_IsIgnoredAndWritesNothing()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("UpdateUserPoolClient", new JsonObject { ["userPoolId"] = "us-east-1_Other0001", ["clientId"] = "abc123" }), None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Empty(await HintsAsync(h));
    }

    [Fact]
    public async Task HandleAsync_TagResourceNamingNoUserPool_IsUnresolvedAndNeverTakenForTheSource()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("TagResource", new JsonObject { ["resourceArn"] = "arn:aws:sns:us-east-1:123456789012:topic", ["tags"] = new JsonObject() }), None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Empty(await HintsAsync(h));
        Assert.Null(await h.Sweeps.PendingAsync(Pool, None));
    }

    [Fact]
    public async Task HandleAsync_ClientRecordWithoutAClientId_IsUnresolvedAndWritesNothing()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("DeleteUserPoolClient", new JsonObject { ["userPoolId"] = Pool, ["clientId"] = CloudTrailEvents.Hidden }), None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Empty(await HintsAsync(h));
    }

    [Fact]
    public async Task HandleAsync_FailedConfigurationCall_IsIgnoredAndWritesNothing()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("UpdateUserPool", new JsonObject { ["userPoolId"] = Pool }, errorCode: "InvalidParameterException"), None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Empty(await HintsAsync(h));
    }

    [Fact]
    public async Task HandleAsync_IdentifierLongerThanCognitoAllows_IsInvalidAndWritesNothing()
    {
        var h = await EventCaptureHarness.CreateAsync(dynalite, _primary);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("UpdateResourceServer", new JsonObject { ["userPoolId"] = Pool, ["identifier"] = new string('a', 2048) }), None);

        Assert.Equal(EventCaptureOutcome.Invalid, result.Outcome);
        Assert.Empty(await HintsAsync(h));
    }

    [Fact]
    public void EventNames_EveryConfigurationOperationOfTheIssue_IsSubscribedAndCaptured()
    {
        string[] expected =
        [
            "CreateUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient", "AddUserPoolClientSecret", "DeleteUserPoolClientSecret",
            "CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer", "CreateIdentityProvider", "UpdateIdentityProvider",
            "DeleteIdentityProvider", "UpdateUserPool", "SetUserPoolMfaConfig", "AddCustomAttributes", "CreateUserPoolDomain",
            "UpdateUserPoolDomain", "DeleteUserPoolDomain", "SetUICustomization", "CreateManagedLoginBranding", "UpdateManagedLoginBranding",
            "DeleteManagedLoginBranding", "CreateTerms", "UpdateTerms", "DeleteTerms", "TagResource", "UntagResource", "SetLogDeliveryConfiguration", "SetRiskConfiguration",
        ];

        Assert.All(expected, name => Assert.Contains(name, CloudTrailChanges.EventNames));
        Assert.All(expected, name => Assert.Equal(CloudTrailChange.Configuration, CloudTrailChanges.Of(name)));
    }

    private static async Task<List<ConfigurationHint>> HintsAsync(EventCaptureHarness h)
    {
        var hints = new List<ConfigurationHint>();
        for (var bucket = 0; bucket < h.Mirror.FeedBuckets; bucket++)
        {
            var page = await h.Mirror.ReadFeedAsync(bucket, string.Empty, 100, None);
            hints.AddRange(page.Entries.Where(e => e.Configuration is not null).Select(e => e.Configuration!));
        }

        return hints;
    }
}
