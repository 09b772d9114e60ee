using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>
/// Read-modify-write: Cognito's Update operations reset every setting they are not given, so the request built from a
/// Describe result must carry every setting it read, including ones newer than this code, and nothing Update refuses.
/// </summary>
public sealed class ConfigurationRequestsTests
{
    private static JsonObject DescribedClient() => JsonNode.Parse("""
        {
          "UserPoolId": "eu-west-1_Src", "ClientName": "web", "ClientId": "abc123",
          "ClientSecret": "s3cr3t-value-never-sent-by-update", "ClientSecretArn": null,
          "LastModifiedDate": 1760000000, "CreationDate": 1750000000, "ClientType": "CONFIDENTIAL",
          "RefreshTokenValidity": 30, "AccessTokenValidity": 60, "IdTokenValidity": 60,
          "TokenValidityUnits": { "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days" },
          "ReadAttributes": ["email"], "WriteAttributes": ["email"], "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
          "SupportedIdentityProviders": ["COGNITO", "Google"], "CallbackURLs": ["https://app.example.com/cb"],
          "LogoutURLs": ["https://app.example.com/bye"], "DefaultRedirectURI": "https://app.example.com/cb",
          "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "api/read"], "AllowedOAuthFlowsUserPoolClient": true,
          "PreventUserExistenceErrors": "ENABLED", "EnableTokenRevocation": true, "EnablePropagateAdditionalUserContextData": false,
          "AuthSessionValidity": 3, "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 10 },
          "SettingFromNextYear": { "Nested": [1, 2] }
        }
        """)!.AsObject();

    [Fact]
    public void UpdateUserPoolClient_FromDescribe_CarriesEverySettingIncludingUnknownOnes()
    {
        // Arrange
        var described = DescribedClient();

        // Act
        var request = ConfigurationRequests.UpdateUserPoolClient(described, "eu-central-1_Tgt", "tgt999");

        // Assert
        foreach (var (name, value) in described)
        {
            if (ConfigurationRequests.ClientReadOnlyMembers.Contains(name) || name is "UserPoolId" or "ClientId")
            {
                continue;
            }

            Assert.True(JsonNode.DeepEquals(value, request[name]), $"UpdateUserPoolClient lost or changed {name}");
        }

        Assert.Equal("eu-central-1_Tgt", (string?)request["UserPoolId"]);
        Assert.Equal("tgt999", (string?)request["ClientId"]);
    }

    [Fact]
    public void UpdateUserPoolClient_FromDescribe_LeavesOutWhatUpdateRefuses()
    {
        // Act
        var request = ConfigurationRequests.UpdateUserPoolClient(DescribedClient(), "eu-central-1_Tgt", "tgt999");

        // Assert
        foreach (var name in new[] { "ClientSecret", "ClientSecretArn", "LastModifiedDate", "CreationDate", "ClientType" })
        {
            Assert.False(request.ContainsKey(name), $"{name} is not a member of UpdateUserPoolClientRequest");
        }
    }

    [Fact]
    public void UpdateUserPoolClient_DescribeIsLaterChanged_RequestIsNotAffected()
    {
        // Arrange
        var described = DescribedClient();
        var request = ConfigurationRequests.UpdateUserPoolClient(described, "p", "c");

        // Act
        described["CallbackURLs"]!.AsArray().Add("https://evil.example.com");

        // Assert
        Assert.Single(request["CallbackURLs"]!.AsArray());
    }

    [Fact]
    public void CreateUserPoolClient_FromDescribeWithSecret_CarriesTheSecretAndEverySettingButTheId()
    {
        // Act
        var request = ConfigurationRequests.CreateUserPoolClient(DescribedClient(), "eu-central-1_Tgt", "the-same-secret-value-0123456789");

        // Assert
        Assert.Equal("the-same-secret-value-0123456789", (string?)request["ClientSecret"]);
        Assert.False(request.ContainsKey("ClientId"));
        Assert.False(request.ContainsKey("GenerateSecret"));
        Assert.Equal("web", (string?)request["ClientName"]);
        Assert.NotNull(request["SettingFromNextYear"]);
        Assert.NotNull(request["RefreshTokenRotation"]);
    }

    [Fact]
    public void CreateUserPoolClient_PublicClient_AsksForNoSecret()
    {
        // Arrange
        var described = DescribedClient();
        described.Remove("ClientSecret");

        // Act
        var request = ConfigurationRequests.CreateUserPoolClient(described, "p", clientSecret: null);

        // Assert
        Assert.False(request.ContainsKey("ClientSecret"));
        Assert.False(request.ContainsKey("GenerateSecret"));
    }

    [Fact]
    public void UpdateUserPoolClient_SourcePublishesSecretsToSecretsManager_TargetIsAskedToo()
    {
        // Arrange
        var described = DescribedClient();
        described.Remove("ClientSecret");
        described["ClientSecretArn"] = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:cognito-abc";

        // Act
        var request = ConfigurationRequests.UpdateUserPoolClient(described, "p", "c");

        // Assert
        Assert.True((bool?)request["PublishSecretsInAWSSecretsManager"]);
    }

    [Fact]
    public void UpdateUserPool_FromDescribe_CarriesEverySettingAndRenamesIdentity()
    {
        // Arrange
        var described = JsonNode.Parse("""
            {
              "Id": "eu-west-1_Src", "Name": "prod", "Arn": "arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_Src",
              "Status": "Enabled", "CreationDate": 1, "LastModifiedDate": 2, "EstimatedNumberOfUsers": 5,
              "SchemaAttributes": [], "AliasAttributes": ["email"], "UsernameAttributes": null, "UsernameConfiguration": { "CaseSensitive": false },
              "Domain": "prod-auth", "CustomDomain": "auth.example.com", "SmsConfigurationFailure": "x", "EmailConfigurationFailure": "y",
              "Policies": { "PasswordPolicy": { "MinimumLength": 12 } }, "DeletionProtection": "ACTIVE",
              "UserPoolTier": "ESSENTIALS", "AcrConfiguration": { "x": {} }, "FutureSetting": 7
            }
            """)!.AsObject();

        // Act
        var request = ConfigurationRequests.UpdateUserPool(described, "eu-central-1_Tgt");

        // Assert
        Assert.Equal("eu-central-1_Tgt", (string?)request["UserPoolId"]);
        Assert.Equal("prod", (string?)request["PoolName"]);
        Assert.Equal(12, (int?)request["Policies"]!["PasswordPolicy"]!["MinimumLength"]);
        Assert.Equal("ACTIVE", (string?)request["DeletionProtection"]);
        Assert.Equal("ESSENTIALS", (string?)request["UserPoolTier"]);
        Assert.Equal(7, (int?)request["FutureSetting"]);
        Assert.NotNull(request["AcrConfiguration"]);
        foreach (var name in ConfigurationRequests.PoolReadOnlyMembers)
        {
            Assert.False(request.ContainsKey(name), $"{name} is not a member of UpdateUserPoolRequest");
        }
    }

    [Fact]
    public void UpdateIdentityProvider_FromDescribe_LeavesOutTypeDatesAndTheActiveCertificate()
    {
        // Arrange
        var described = JsonNode.Parse("""
            {
              "UserPoolId": "s", "ProviderName": "Okta", "ProviderType": "SAML", "CreationDate": 1, "LastModifiedDate": 2,
              "ProviderDetails": { "MetadataURL": "https://idp.example.com/md", "ActiveEncryptionCertificate": "MIIC..." },
              "AttributeMapping": { "email": "mail" }, "IdpIdentifiers": ["example.com"], "AcrMapping": { "a": "b" }
            }
            """)!.AsObject();

        // Act
        var request = ConfigurationRequests.UpdateIdentityProvider(described, "t");

        // Assert
        Assert.Equal("t", (string?)request["UserPoolId"]);
        Assert.Equal("Okta", (string?)request["ProviderName"]);
        Assert.False(request.ContainsKey("ProviderType"));
        Assert.False(request.ContainsKey("CreationDate"));
        Assert.False(request["ProviderDetails"]!.AsObject().ContainsKey("ActiveEncryptionCertificate"));
        Assert.Equal("https://idp.example.com/md", (string?)request["ProviderDetails"]!["MetadataURL"]);
        Assert.Equal("mail", (string?)request["AttributeMapping"]!["email"]);
        Assert.NotNull(request["AcrMapping"]);
    }

    [Fact]
    public void CreateIdentityProvider_FromDescribe_KeepsTheProviderType()
    {
        // Arrange
        var described = JsonNode.Parse("""{ "ProviderName": "Google", "ProviderType": "Google", "ProviderDetails": { "client_id": "x" } }""")!.AsObject();

        // Act
        var request = ConfigurationRequests.CreateIdentityProvider(described, "t");

        // Assert
        Assert.Equal("Google", (string?)request["ProviderType"]);
        Assert.Equal("t", (string?)request["UserPoolId"]);
    }

    [Fact]
    public void UpdateResourceServer_FromDescribe_LeavesOutManagedBy()
    {
        // Arrange
        var described = JsonNode.Parse("""{ "UserPoolId": "s", "Identifier": "api", "Name": "API", "Scopes": [{ "ScopeName": "read", "ScopeDescription": "r" }], "ManagedBy": "USER" }""")!.AsObject();

        // Act
        var request = ConfigurationRequests.ResourceServer(described, "t");

        // Assert
        Assert.False(request.ContainsKey("ManagedBy"));
        Assert.Equal("api", (string?)request["Identifier"]);
        Assert.Equal("read", (string?)request["Scopes"]![0]!["ScopeName"]);
    }

    [Fact]
    public void SetUserPoolMfaConfig_FromGet_CarriesEveryFactor()
    {
        // Arrange
        var described = JsonNode.Parse("""
            { "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true },
              "EmailMfaConfiguration": { "Message": "{####}", "Subject": "code" }, "WebAuthnConfiguration": { "RelyingPartyId": "example.com" } }
            """)!.AsObject();

        // Act
        var request = ConfigurationRequests.SetUserPoolMfaConfig(described, "t");

        // Assert
        Assert.Equal("t", (string?)request["UserPoolId"]);
        Assert.Equal("OPTIONAL", (string?)request["MfaConfiguration"]);
        Assert.NotNull(request["EmailMfaConfiguration"]);
        Assert.NotNull(request["WebAuthnConfiguration"]);
    }
}
