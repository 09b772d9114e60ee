using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>Resource servers, identity providers, domains, UI customization, branding and terms, with Cognito's rules.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PoolResourceTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task CreateResourceServer_SameIdentifierTwice_IsInvalidAndAnUpdateReplacesTheScopes()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var server = new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "https://api.example.com", ["Name"] = "api", ["Scopes"] = Scopes("read", "write") };
        await Sandbox.CallAsync(pool, "CreateResourceServer", server);

        var twice = await Sandbox.FailAsync(pool, "CreateResourceServer", (JsonObject)server.DeepClone());
        await Sandbox.CallAsync(pool, "UpdateResourceServer", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "https://api.example.com", ["Name"] = "api v2", ["Scopes"] = Scopes("admin") });

        var described = (await Sandbox.CallAsync(pool, "DescribeResourceServer", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "https://api.example.com" }))["ResourceServer"]!;
        Assert.Equal("InvalidParameterException", twice.Type);
        Assert.Equal("api v2", described["Name"]!.GetValue<string>());
        Assert.Equal(["admin"], described["Scopes"]!.AsArray().Select(s => s!["ScopeName"]!.GetValue<string>()));
        await Sandbox.CallAsync(pool, "DeleteResourceServer", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "https://api.example.com" });
        var gone = await Sandbox.FailAsync(pool, "DescribeResourceServer", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Identifier"] = "https://api.example.com" });
        Assert.Equal("ResourceNotFoundException", gone.Type);
    }

    [Fact]
    public async Task CreateIdentityProvider_WhatCognitoRefuses_IsInvalid()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);

        var noMetadata = await Sandbox.FailAsync(pool, "CreateIdentityProvider", Provider(pool, "Saml1", "SAML", new JsonObject()));
        var missingAttribute = await Sandbox.FailAsync(pool, "CreateIdentityProvider", Provider(pool, "Saml2", "SAML", Metadata(), new JsonObject { ["custom:nothing"] = "x" }));
        var oidcWithoutIssuer = await Sandbox.FailAsync(pool, "CreateIdentityProvider", Provider(pool, "Oidc1", "OIDC", new JsonObject { ["client_id"] = "c", ["authorize_scopes"] = "openid" }));
        var missingPool = await Sandbox.FailAsync(pool, "CreateIdentityProvider", Provider(pool with { UserPoolId = pool.Region + "_NoSuchPool" }, "Saml3", "SAML", Metadata()));

        Assert.Equal("InvalidParameterException", noMetadata.Type);
        Assert.Equal("InvalidParameterException", missingAttribute.Type);
        Assert.Equal("InvalidParameterException", oidcWithoutIssuer.Type);
        Assert.Equal("ResourceNotFoundException", missingPool.Type);
    }

    [Fact]
    public async Task CreateIdentityProvider_Saml_IsFoundByItsIdentifierAndDeletedByName()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var request = Provider(pool, "Corp", "SAML", Metadata(), new JsonObject { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" });
        request["IdpIdentifiers"] = new JsonArray("corp.example.com");
        var created = (await Sandbox.CallAsync(pool, "CreateIdentityProvider", request))["IdentityProvider"]!;

        var found = (await Sandbox.CallAsync(pool, "GetIdentityProviderByIdentifier", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["IdpIdentifier"] = "corp.example.com" }))["IdentityProvider"]!;
        var taken = await Sandbox.FailAsync(pool, "CreateIdentityProvider", (JsonObject)request.DeepClone());
        await Sandbox.CallAsync(pool, "DeleteIdentityProvider", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = "Corp" });

        Assert.True(JsonNode.DeepEquals(created, found));
        Assert.Equal("DuplicateProviderException", taken.Type);
        var listed = await Sandbox.CallAsync(pool, "ListIdentityProviders", new JsonObject { ["UserPoolId"] = pool.UserPoolId });
        Assert.Empty(listed["Providers"]!.AsArray());
    }

    [Fact]
    public async Task UpdateIdentityProvider_RefusedForATakenIdentifier_ChangesNothing()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var first = Provider(pool, "First", "SAML", Metadata());
        first["IdpIdentifiers"] = new JsonArray("first.example.com");
        await Sandbox.CallAsync(pool, "CreateIdentityProvider", first);
        var second = (await Sandbox.CallAsync(pool, "CreateIdentityProvider", Provider(pool, "Second", "SAML", Metadata())))["IdentityProvider"]!;

        var refused = await Sandbox.FailAsync(pool, "UpdateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId,
            ["ProviderName"] = "Second",
            ["ProviderDetails"] = new JsonObject { ["MetadataURL"] = "https://other.example.com/metadata.xml" },
            ["IdpIdentifiers"] = new JsonArray("first.example.com"),
        });

        var after = (await Sandbox.CallAsync(pool, "DescribeIdentityProvider", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = "Second" }))["IdentityProvider"]!;
        Assert.Equal("InvalidParameterException", refused.Type);
        Assert.True(JsonNode.DeepEquals(second, after), $"{second.ToJsonString()} → {after.ToJsonString()}");
    }

    [Fact]
    public async Task CreateUserPoolDomain_PrefixAndCustom_DescribeUserPoolNamesBothAndAPoolGetsOneOfEach()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var other = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var prefix = "sbx-" + Guid.NewGuid().ToString("N")[..10];
        var custom = $"auth-{Guid.NewGuid().ToString("N")[..8]}.example.com";
        var certificate = new JsonObject { ["CertificateArn"] = "arn:aws:acm:us-east-1:000000000000:certificate/0123abcd-0000-0000-0000-000000000000" };
        await Sandbox.CallAsync(pool, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = prefix });
        var created = await Sandbox.CallAsync(pool, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = custom, ["CustomDomainConfig"] = certificate });

        var secondPrefix = await Sandbox.FailAsync(pool, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = prefix + "-2" });
        var taken = await Sandbox.FailAsync(other, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = other.UserPoolId, ["Domain"] = prefix });
        var certificateElsewhere = await Sandbox.FailAsync(other, "CreateUserPoolDomain", new JsonObject
        {
            ["UserPoolId"] = other.UserPoolId,
            ["Domain"] = "x" + custom,
            ["CustomDomainConfig"] = new JsonObject { ["CertificateArn"] = "arn:aws:acm:eu-west-1:000000000000:certificate/0123abcd" },
        });
        var wrongPool = await Sandbox.FailAsync(other, "DeleteUserPoolDomain", new JsonObject { ["UserPoolId"] = other.UserPoolId, ["Domain"] = prefix });

        var described = await Sandbox.DescribePoolAsync(pool);
        Assert.Equal(prefix, described["Domain"]!.GetValue<string>());
        Assert.Equal(custom, described["CustomDomain"]!.GetValue<string>());
        Assert.EndsWith(".cloudfront.net", created["CloudFrontDomain"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(new[] { secondPrefix, taken, certificateElsewhere, wrongPool }, e => Assert.Equal("InvalidParameterException", e.Type));
        await Sandbox.CallAsync(pool, "DeleteUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = prefix });
        Assert.Empty((await Sandbox.CallAsync(pool, "DescribeUserPoolDomain", new JsonObject { ["Domain"] = prefix }))["DomainDescription"]!.AsObject());
        Assert.Null((await Sandbox.DescribePoolAsync(pool))["Domain"]);
    }

    [Fact]
    public async Task SetUICustomization_NeedsADomainAndAClientWithoutItsOwnReadsThePools()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var clientId = await Sandbox.NewClientAsync(pool);
        var ui = new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["CSS"] = ".banner-customizable { background-color: navy; }", ["ImageFile"] = Convert.ToBase64String([1, 2, 3, 4]) };
        var noDomain = await Sandbox.FailAsync(pool, "SetUICustomization", (JsonObject)ui.DeepClone());
        await Sandbox.CallAsync(pool, "CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["Domain"] = "ui-" + Guid.NewGuid().ToString("N")[..10] });

        var set = (await Sandbox.CallAsync(pool, "SetUICustomization", ui))["UICustomization"]!;
        var forClient = (await Sandbox.CallAsync(pool, "GetUICustomization", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId }))["UICustomization"]!;

        Assert.Equal("InvalidParameterException", noDomain.Type);
        Assert.Equal("ALL", set["ClientId"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(set, forClient));
        Assert.StartsWith("https://", set["ImageUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(set["ImageFile"]);
    }

    [Fact]
    public async Task DeleteUserPoolClient_WithBrandingAndTerms_TakesThemAlong()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var clientId = await Sandbox.NewClientAsync(pool);
        var branding = await Sandbox.CallAsync(pool, "CreateManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId, ["UseCognitoProvidedValues"] = true });
        var terms = await Sandbox.CallAsync(pool, "CreateTerms", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId, ["TermsName"] = "privacy-policy", ["TermsSource"] = "LINK", ["Enforcement"] = "NONE",
            ["Links"] = new JsonObject { ["cognito:default"] = "https://example.com/privacy" },
        });

        await Sandbox.CallAsync(pool, "DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId });

        var brandingGone = await Sandbox.FailAsync(pool, "DescribeManagedLoginBranding", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ManagedLoginBrandingId"] = branding["ManagedLoginBranding"]!["ManagedLoginBrandingId"]!.GetValue<string>() });
        var termsGone = await Sandbox.FailAsync(pool, "DescribeTerms", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["TermsId"] = terms["Terms"]!["TermsId"]!.GetValue<string>() });
        var clientGone = await Sandbox.FailAsync(pool, "DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = clientId });
        Assert.All(new[] { brandingGone, termsGone, clientGone }, e => Assert.Equal("ResourceNotFoundException", e.Type));
    }

    private static JsonArray Scopes(params string[] names) =>
        [.. names.Select(n => (JsonNode)new JsonObject { ["ScopeName"] = n, ["ScopeDescription"] = n + " access" })];

    private static JsonObject Metadata() => new() { ["MetadataURL"] = "https://idp.example.com/metadata.xml" };

    private static JsonObject Provider(SandboxPool pool, string name, string type, JsonObject details, JsonObject? mapping = null)
    {
        var request = new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = name, ["ProviderType"] = type, ["ProviderDetails"] = details };
        if (mapping is not null)
        {
            request["AttributeMapping"] = mapping;
        }

        return request;
    }
}
