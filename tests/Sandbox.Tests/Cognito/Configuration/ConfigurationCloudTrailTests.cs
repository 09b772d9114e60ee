using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>Configuration calls are recorded the way Cognito's CloudTrail records them: secrets hidden, responses kept.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ConfigurationCloudTrailTests(SandboxFixture fixture)
{
    private const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task CreateUserPoolClient_ChosenSecret_IsRecordedWithTheSecretHiddenAndTheClientInTheResponse()
    {
        var name = "trail-" + Guid.NewGuid().ToString("N")[..10];
        var secret = "trail" + Guid.NewGuid().ToString("N");

        var clientId = await Sandbox.NewClientAsync(Sandbox.Primary, new JsonObject
        {
            ["ClientName"] = name,
            ["ClientSecret"] = secret,
            ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes" },
            ["AccessTokenValidity"] = 30,
        });

        var record = Records("CreateUserPoolClient").Last(r => r["requestParameters"]?["clientName"]?.GetValue<string>() == name);
        Assert.Equal(Sandbox.Primary.Region, record["awsRegion"]!.GetValue<string>());
        Assert.Equal(Sandbox.Primary.UserPoolId, record["requestParameters"]!["userPoolId"]!.GetValue<string>());
        Assert.Equal(Hidden, record["requestParameters"]!["clientSecret"]!.GetValue<string>());
        Assert.Equal("minutes", record["requestParameters"]!["tokenValidityUnits"]!["accessToken"]!.GetValue<string>());
        Assert.Equal(clientId, record["responseElements"]!["userPoolClient"]!["clientId"]!.GetValue<string>());
        Assert.Equal(Hidden, record["responseElements"]!["userPoolClient"]!["clientSecret"]!.GetValue<string>());
        Assert.DoesNotContain(secret, record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUserPoolClientSecret_Generated_IsRecordedWithoutTheValue()
    {
        var clientId = await Sandbox.NewClientAsync(Sandbox.Primary, new JsonObject { ["GenerateSecret"] = true });

        var added = await Sandbox.CallAsync(Sandbox.Primary, "AddUserPoolClientSecret", new JsonObject { ["UserPoolId"] = Sandbox.Primary.UserPoolId, ["ClientId"] = clientId });

        var record = Records("AddUserPoolClientSecret").Last(r => r["requestParameters"]?["clientId"]?.GetValue<string>() == clientId);
        var descriptor = record["responseElements"]!["clientSecretDescriptor"]!;
        Assert.Equal(added["ClientSecretDescriptor"]!["ClientSecretId"]!.GetValue<string>(), descriptor["clientSecretId"]!.GetValue<string>());
        Assert.Equal(Hidden, descriptor["clientSecretValue"]!.GetValue<string>());
        Assert.DoesNotContain(added["ClientSecretDescriptor"]!["ClientSecretValue"]!.GetValue<string>(), record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateIdentityProvider_Oidc_IsRecordedWithTheClientSecretHiddenAndMapKeysAsSent()
    {
        var name = "Trail" + Guid.NewGuid().ToString("N")[..10];

        await Sandbox.CallAsync(Sandbox.Primary, "CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = Sandbox.Primary.UserPoolId, ["ProviderName"] = name, ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = new JsonObject { ["client_id"] = "corp", ["client_secret"] = "do-not-record", ["authorize_scopes"] = "openid", ["oidc_issuer"] = "https://issuer.example.com" },
            ["AttributeMapping"] = new JsonObject { ["email"] = "email" },
        });

        var record = Records("CreateIdentityProvider").Last(r => r["requestParameters"]?["providerName"]?.GetValue<string>() == name);
        Assert.Equal(Hidden, record["requestParameters"]!["providerDetails"]!["client_secret"]!.GetValue<string>());
        Assert.Equal("corp", record["requestParameters"]!["providerDetails"]!["client_id"]!.GetValue<string>());
        Assert.Equal(Hidden, record["responseElements"]!["identityProvider"]!["providerDetails"]!["client_secret"]!.GetValue<string>());
        Assert.DoesNotContain("do-not-record", record.ToJsonString(), StringComparison.Ordinal);
    }

    private List<JsonObject> Records(string eventName) =>
    [
        .. Sandbox.EventBus.Events
            .Where(e => e["detail-type"]?.GetValue<string>() == "AWS API Call via CloudTrail" && e["detail"]?["eventName"]?.GetValue<string>() == eventName)
            .Select(e => e["detail"]!.AsObject()),
    ];
}
