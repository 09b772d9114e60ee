using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>App clients as Cognito keeps them: every setting, the reset of what an update leaves out, and secrets.</summary>
[Collection(SandboxCollection.Name)]
public sealed class AppClientTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    private SandboxPool Pool => Sandbox.Primary;

    [Fact]
    public async Task CreateUserPoolClient_EverySetting_DescribeReturnsEachAsGiven()
    {
        var scope = await NewScopeAsync();
        var provider = await NewProviderAsync();
        var settings = new JsonObject
        {
            ["RefreshTokenValidity"] = 10,
            ["AccessTokenValidity"] = 30,
            ["IdTokenValidity"] = 2,
            ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes", ["IdToken"] = "hours", ["RefreshToken"] = "days" },
            ["ReadAttributes"] = new JsonArray("email", "custom:tier"),
            ["WriteAttributes"] = new JsonArray("custom:tier"),
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO", provider),
            ["CallbackURLs"] = new JsonArray("https://app.example.com/callback", "http://localhost:3000/callback"),
            ["LogoutURLs"] = new JsonArray("https://app.example.com/signed-out"),
            ["DefaultRedirectURI"] = "https://app.example.com/callback",
            ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", "email", scope),
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AnalyticsConfiguration"] = new JsonObject { ["ApplicationId"] = "app-1", ["RoleArn"] = "arn:aws:iam::000000000000:role/analytics", ["ExternalId"] = "x", ["UserDataShared"] = true },
            ["PreventUserExistenceErrors"] = "ENABLED",
            ["EnableTokenRevocation"] = false,
            ["EnablePropagateAdditionalUserContextData"] = true,
            ["AuthSessionValidity"] = 10,
            ["RefreshTokenRotation"] = new JsonObject { ["Feature"] = "ENABLED", ["RetryGracePeriodSeconds"] = 20 },
        };
        var request = (JsonObject)settings.DeepClone();
        request["GenerateSecret"] = true;

        var clientId = await Sandbox.NewClientAsync(Pool, request);

        var described = await Sandbox.DescribeClientAsync(Pool, clientId);
        foreach (var (member, value) in settings)
        {
            Assert.True(JsonNode.DeepEquals(value, described[member]), $"{member}: sent {value?.ToJsonString()}, described {described[member]?.ToJsonString()}");
        }

        Assert.True(described["ClientSecret"]!.GetValue<string>().Length >= 24);
        Assert.Equal("REGULAR", described["ClientType"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUserPoolClient_SettingsLeftOut_ResetsThemToCognitoDefaults()
    {
        var scope = await NewScopeAsync();
        var clientId = await Sandbox.NewClientAsync(Pool, new JsonObject
        {
            ["CallbackURLs"] = new JsonArray("https://app.example.com/callback"),
            ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", scope),
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
            ["RefreshTokenValidity"] = 5,
            ["AuthSessionValidity"] = 10,
            ["EnableTokenRevocation"] = false,
        });
        var before = await Sandbox.DescribeClientAsync(Pool, clientId);

        await Sandbox.CallAsync(Pool, "UpdateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = Pool.UserPoolId,
            ["ClientId"] = clientId,
            ["LogoutURLs"] = new JsonArray("https://app.example.com/signed-out"),
        });

        var after = await Sandbox.DescribeClientAsync(Pool, clientId);
        Assert.Equal(before["ClientName"]!.GetValue<string>(), after["ClientName"]!.GetValue<string>());
        Assert.Equal(before["CreationDate"]!.GetValue<double>(), after["CreationDate"]!.GetValue<double>());
        Assert.Equal(["https://app.example.com/signed-out"], after["LogoutURLs"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Null(after["CallbackURLs"]);
        Assert.Null(after["AllowedOAuthFlows"]);
        Assert.Null(after["AllowedOAuthScopes"]);
        Assert.Null(after["ExplicitAuthFlows"]);
        Assert.False(after["AllowedOAuthFlowsUserPoolClient"]!.GetValue<bool>());
        Assert.Equal(30, after["RefreshTokenValidity"]!.GetValue<int>());
        Assert.Equal(3, after["AuthSessionValidity"]!.GetValue<int>());
        Assert.True(after["EnableTokenRevocation"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateUserPoolClient_NamingWhatThePoolLacks_IsRefusedLikeCognito()
    {
        var scope = await Sandbox.FailAsync(Pool, "CreateUserPoolClient", Client(new JsonObject { ["AllowedOAuthScopes"] = new JsonArray($"none-{Guid.NewGuid():N}/read") }));
        var provider = await Sandbox.FailAsync(Pool, "CreateUserPoolClient", Client(new JsonObject { ["SupportedIdentityProviders"] = new JsonArray("COGNITO", "NoSuchIdp") }));
        var attribute = await Sandbox.FailAsync(Pool, "CreateUserPoolClient", Client(new JsonObject { ["ReadAttributes"] = new JsonArray("custom:nothing") }));
        var flow = await Sandbox.FailAsync(Pool, "CreateUserPoolClient", Client(new JsonObject { ["AllowedOAuthFlows"] = new JsonArray("client_credentials") }));
        var both = await Sandbox.FailAsync(Pool, "CreateUserPoolClient", Client(new JsonObject { ["GenerateSecret"] = true, ["ClientSecret"] = new string('s', 32) }));

        Assert.Equal("ScopeDoesNotExistException", scope.Type);
        Assert.Equal("InvalidParameterException", provider.Type);
        Assert.Equal("InvalidParameterException", attribute.Type);
        Assert.Equal("InvalidOAuthFlowException", flow.Type);
        Assert.Equal("InvalidParameterException", both.Type);
        Assert.All(new[] { scope, provider, attribute, flow, both }, e => Assert.Equal(400, e.Status));
    }

    [Fact]
    public async Task AddUserPoolClientSecret_ThirdSecret_IsLimitExceeded()
    {
        var clientId = await Sandbox.NewClientAsync(Pool, new JsonObject { ["GenerateSecret"] = true });
        var second = await Sandbox.CallAsync(Pool, "AddUserPoolClientSecret", Secret(clientId));

        var third = await Sandbox.FailAsync(Pool, "AddUserPoolClientSecret", Secret(clientId));

        Assert.Equal("LimitExceededException", third.Type);
        Assert.Equal(52, second["ClientSecretDescriptor"]!["ClientSecretValue"]!.GetValue<string>().Length);
        var listed = (await Sandbox.CallAsync(Pool, "ListUserPoolClientSecrets", Secret(clientId)))["ClientSecrets"]!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, s => Assert.Matches($"^{clientId}--[0-9]+$", s!["ClientSecretId"]!.GetValue<string>()));
        Assert.All(listed, s => Assert.Equal(["ClientSecretId", "ClientSecretCreateDate"], s!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task DeleteUserPoolClientSecret_FirstThenOnly_DescribeStopsShowingItAndTheLastStays()
    {
        var chosen = "chosen" + Guid.NewGuid().ToString("N");
        var clientId = await Sandbox.NewClientAsync(Pool, new JsonObject { ["ClientSecret"] = chosen });
        var first = (await Sandbox.CallAsync(Pool, "ListUserPoolClientSecrets", Secret(clientId)))["ClientSecrets"]![0]!["ClientSecretId"]!.GetValue<string>();
        var added = await Sandbox.CallAsync(Pool, "AddUserPoolClientSecret", Secret(clientId, "rotated" + Guid.NewGuid().ToString("N")));
        Assert.Equal(chosen, (await Sandbox.DescribeClientAsync(Pool, clientId))["ClientSecret"]!.GetValue<string>());

        await Sandbox.CallAsync(Pool, "DeleteUserPoolClientSecret", Secret(clientId, secretId: first));
        var only = await Sandbox.FailAsync(Pool, "DeleteUserPoolClientSecret", Secret(clientId, secretId: added["ClientSecretDescriptor"]!["ClientSecretId"]!.GetValue<string>()));
        var missing = await Sandbox.FailAsync(Pool, "DeleteUserPoolClientSecret", Secret(clientId, secretId: first));

        Assert.Null(added["ClientSecretDescriptor"]!["ClientSecretValue"]);
        Assert.Null((await Sandbox.DescribeClientAsync(Pool, clientId))["ClientSecret"]);
        Assert.Equal("InvalidParameterException", only.Type);
        Assert.Equal("ResourceNotFoundException", missing.Type);
    }

    [Fact]
    public async Task DescribeUserPoolClient_SecretInSecretsManager_ReturnsAnArnWhoseSecretHoldsTheValue()
    {
        var clientId = await Sandbox.NewClientAsync(Pool, new JsonObject { ["GenerateSecret"] = true, ["PublishSecretsInAWSSecretsManager"] = true });

        var published = await Sandbox.DescribeClientAsync(Pool, clientId);
        var arn = published["ClientSecretArn"]!.GetValue<string>();
        var secret = await Sandbox.SecretsManagerAsync(Pool.Region, "GetSecretValue", new JsonObject { ["SecretId"] = arn });
        await Sandbox.CallAsync(Pool, "UpdateUserPoolClient", new JsonObject { ["UserPoolId"] = Pool.UserPoolId, ["ClientId"] = clientId, ["PublishSecretsInAWSSecretsManager"] = false });
        var returned = await Sandbox.DescribeClientAsync(Pool, clientId);
        var gone = await Assert.ThrowsAsync<AwsErrorReply>(() => Sandbox.SecretsManagerAsync(Pool.Region, "GetSecretValue", new JsonObject { ["SecretId"] = arn }));

        Assert.Null(published["ClientSecret"]);
        Assert.StartsWith($"arn:aws:secretsmanager:{Pool.Region}:", arn, StringComparison.Ordinal);
        var value = JsonNode.Parse(secret["SecretString"]!.GetValue<string>())!;
        Assert.Equal(Pool.UserPoolId, value["userPoolId"]!.GetValue<string>());
        Assert.Equal(clientId, value["userPoolClientId"]!.GetValue<string>());
        Assert.Equal(returned["ClientSecret"]!.GetValue<string>(), value["clientSecretValue"]!.GetValue<string>());
        Assert.Null(returned["ClientSecretArn"]);
        Assert.Equal("ResourceNotFoundException", gone.Type);
    }

    [Fact]
    public async Task ListUserPoolClients_MaxResultsOne_PagesThroughEveryClientOnce()
    {
        var created = new[] { await Sandbox.NewClientAsync(Pool), await Sandbox.NewClientAsync(Pool) };
        var seen = new List<string>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["UserPoolId"] = Pool.UserPoolId, ["MaxResults"] = 1 };
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var page = await Sandbox.CallAsync(Pool, "ListUserPoolClients", body);
            var clients = page["UserPoolClients"]!.AsArray();
            Assert.True(clients.Count <= 1);
            Assert.All(clients, c => Assert.Equal(["ClientId", "UserPoolId", "ClientName"], c!.AsObject().Select(p => p.Key)));
            seen.AddRange(clients.Select(c => c!["ClientId"]!.GetValue<string>()));
            token = page["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(Pool.AppClientId, seen);
        Assert.All(created, c => Assert.Contains(c, seen));
    }

    private JsonObject Client(JsonObject settings)
    {
        settings["UserPoolId"] = Pool.UserPoolId;
        settings["ClientName"] = "refused-" + Guid.NewGuid().ToString("N")[..8];
        return settings;
    }

    private JsonObject Secret(string clientId, string? value = null, string? secretId = null)
    {
        var body = new JsonObject { ["UserPoolId"] = Pool.UserPoolId, ["ClientId"] = clientId };
        if (value is not null)
        {
            body["ClientSecret"] = value;
        }

        if (secretId is not null)
        {
            body["ClientSecretId"] = secretId;
        }

        return body;
    }

    private async Task<string> NewScopeAsync()
    {
        var identifier = "api-" + Guid.NewGuid().ToString("N")[..10];
        await Sandbox.CallAsync(Pool, "CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = Pool.UserPoolId,
            ["Identifier"] = identifier,
            ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "Read" }),
        });
        return identifier + "/read";
    }

    private async Task<string> NewProviderAsync()
    {
        var name = "Corp" + Guid.NewGuid().ToString("N")[..10];
        await Sandbox.CallAsync(Pool, "CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = Pool.UserPoolId,
            ["ProviderName"] = name,
            ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = new JsonObject { ["client_id"] = "corp", ["client_secret"] = "corp-secret", ["authorize_scopes"] = "openid", ["oidc_issuer"] = "https://issuer.example.com", ["attributes_request_method"] = "GET" },
            ["AttributeMapping"] = new JsonObject { ["email"] = "email" },
        });
        return name;
    }
}
