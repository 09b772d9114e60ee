using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.Tests.Aws;

namespace IdentityReplicator.Core.Tests.Cognito;

/// <summary>The configuration calls: whole JSON objects on the wire, each through the quota category Cognito meters it in.</summary>
public sealed class ConfigurationCallsTests
{
    private const string Pool = "eu-west-1_Pool1";

    [Fact]
    public async Task UpdateUserPoolClientRawAsync_RequestWithUnknownMembers_SendsThemAsIs()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("""{"UserPoolClient":{"ClientId":"c1"}}"""));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));
        var request = new JsonObject { ["UserPoolId"] = Pool, ["ClientId"] = "c1", ["NewerSetting"] = new JsonObject { ["On"] = true } };

        // Act
        var updated = await client.UpdateUserPoolClientRawAsync(request);

        // Assert
        var sent = Assert.Single(capture.Requests);
        Assert.Equal("AWSCognitoIdentityProviderService.UpdateUserPoolClient", sent.Header("X-Amz-Target"));
        Assert.True(sent.Json().GetProperty("NewerSetting").GetProperty("On").GetBoolean());
        Assert.Equal("c1", (string?)updated["ClientId"]);
    }

    [Fact]
    public async Task ListUserPoolClientsAsync_TwoPages_FollowsTheTokenAndAsksForFullPages()
    {
        // Arrange
        var capture = new CapturingHandler((_, i) => i == 0
            ? CapturingHandler.Json("""{"UserPoolClients":[{"ClientId":"a","ClientName":"web"}],"NextToken":"t1"}""")
            : CapturingHandler.Json("""{"UserPoolClients":[{"ClientId":"b","ClientName":"m2m"}]}"""));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var clients = await client.ListUserPoolClientsAsync(Pool).ToListAsync();

        // Assert
        Assert.Equal(["web", "m2m"], clients.Select(c => c.ClientName));
        Assert.Equal(60, capture.Requests[0].Json().GetProperty("MaxResults").GetInt32());
        Assert.Equal("t1", capture.Requests[1].Json().GetProperty("NextToken").GetString());
    }

    [Fact]
    public async Task ListUserPoolClientSecretsAsync_Reply_GivesIdsAndDates()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json(
            """{"ClientSecrets":[{"ClientSecretId":"id-1","ClientSecretCreateDate":1760000000},{"ClientSecretId":"id-2","ClientSecretCreateDate":1760000100.5}]}"""));
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"));

        // Act
        var secrets = await client.ListUserPoolClientSecretsAsync(Pool, "c1");

        // Assert
        Assert.Equal(["id-1", "id-2"], secrets.Select(s => s.ClientSecretId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1760000000), secrets[0].ClientSecretCreateDate);
    }

    public static TheoryData<string, QuotaCategory> Categories() => new()
    {
        { "DescribeUserPoolClient", QuotaCategory.UserPoolClientRead },
        { "ListUserPoolClients", QuotaCategory.UserPoolClientRead },
        { "ListUserPoolClientSecrets", QuotaCategory.UserPoolClientRead },
        { "CreateUserPoolClient", QuotaCategory.UserPoolClientUpdate },
        { "UpdateUserPoolClient", QuotaCategory.UserPoolClientUpdate },
        { "DeleteUserPoolClient", QuotaCategory.UserPoolClientUpdate },
        { "AddUserPoolClientSecret", QuotaCategory.UserPoolClientUpdate },
        { "DeleteUserPoolClientSecret", QuotaCategory.UserPoolClientUpdate },
        { "ListResourceServers", QuotaCategory.UserPoolResourceRead },
        { "DescribeResourceServer", QuotaCategory.UserPoolResourceRead },
        { "CreateResourceServer", QuotaCategory.UserPoolResourceUpdate },
        { "UpdateResourceServer", QuotaCategory.UserPoolResourceUpdate },
        { "DeleteResourceServer", QuotaCategory.UserPoolResourceUpdate },
        { "ListIdentityProviders", QuotaCategory.UserPoolResourceRead },
        { "DescribeIdentityProvider", QuotaCategory.UserPoolResourceRead },
        { "CreateIdentityProvider", QuotaCategory.UserPoolResourceUpdate },
        { "UpdateIdentityProvider", QuotaCategory.UserPoolResourceUpdate },
        { "DeleteIdentityProvider", QuotaCategory.UserPoolResourceUpdate },
        { "GetUserPoolMfaConfig", QuotaCategory.UserPoolRead },
        { "SetUserPoolMfaConfig", QuotaCategory.UserPoolUpdate },
        { "AddCustomAttributes", QuotaCategory.UserPoolResourceUpdate },
        { "DescribeUserPoolDomain", QuotaCategory.UserPoolResourceRead },
        { "CreateUserPoolDomain", QuotaCategory.UserPoolResourceUpdate },
        { "UpdateUserPoolDomain", QuotaCategory.UserPoolResourceUpdate },
        { "GetUICustomization", QuotaCategory.UserPoolResourceRead },
        { "SetUICustomization", QuotaCategory.UserPoolResourceUpdate },
        { "ListTagsForResource", QuotaCategory.UserPoolResourceRead },
        { "TagResource", QuotaCategory.UserPoolResourceUpdate },
        { "UntagResource", QuotaCategory.UserPoolResourceUpdate },
        { "DescribeManagedLoginBrandingByClient", QuotaCategory.UserPoolResourceRead },
        { "CreateManagedLoginBranding", QuotaCategory.UserPoolResourceUpdate },
        { "UpdateManagedLoginBranding", QuotaCategory.UserPoolResourceUpdate },
        { "ListTerms", QuotaCategory.UserPoolResourceRead },
        { "DescribeTerms", QuotaCategory.UserPoolResourceRead },
        { "CreateTerms", QuotaCategory.UserPoolResourceUpdate },
        { "UpdateTerms", QuotaCategory.UserPoolResourceUpdate },
        { "DeleteTerms", QuotaCategory.UserPoolResourceUpdate },
    };

    [Theory]
    [MemberData(nameof(Categories))]
    public void CategoryOf_ConfigurationOperation_IsTheCategoryCognitoMetersItIn(string operation, QuotaCategory expected) =>
        Assert.Equal(expected, CognitoQuotas.CategoryOf(operation));

    [Fact]
    public async Task ConfigurationCalls_EachOne_GoesThroughThePolicyUnderItsOwnOperationName()
    {
        // Arrange
        var capture = new CapturingHandler(() => CapturingHandler.Json("{}"));
        var policy = new RecordingPolicy();
        var client = new CognitoIdentityProviderClient(new HttpClient(capture), new AwsEndpoint("eu-west-1"), policy);
        var arn = "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/" + Pool;

        // Act
        await client.DescribeUserPoolClientRawAsync(Pool, "c");
        await client.CreateUserPoolClientRawAsync(new JsonObject());
        await client.DeleteUserPoolClientAsync(Pool, "c");
        await client.AddUserPoolClientSecretAsync(Pool, "c", "x");
        await client.DeleteUserPoolClientSecretAsync(Pool, "c", "id");
        await client.ListResourceServersAsync(Pool).ToListAsync();
        await client.CreateResourceServerRawAsync(new JsonObject());
        await client.UpdateResourceServerRawAsync(new JsonObject());
        await client.DeleteResourceServerAsync(Pool, "api");
        await client.ListIdentityProvidersAsync(Pool).ToListAsync();
        await client.DescribeIdentityProviderRawAsync(Pool, "Google");
        await client.CreateIdentityProviderRawAsync(new JsonObject());
        await client.UpdateIdentityProviderRawAsync(new JsonObject());
        await client.DeleteIdentityProviderAsync(Pool, "Google");
        await client.GetUserPoolMfaConfigRawAsync(Pool);
        await client.SetUserPoolMfaConfigRawAsync(new JsonObject());
        await client.AddCustomAttributesRawAsync(Pool, []);
        await client.DescribeUserPoolDomainRawAsync("prefix");
        await client.CreateUserPoolDomainRawAsync(new JsonObject());
        await client.GetUICustomizationRawAsync(Pool, null);
        await client.SetUICustomizationRawAsync(new JsonObject());
        await client.ListTagsForResourceAsync(arn);
        await client.TagResourceAsync(arn, new Dictionary<string, string> { ["team"] = "id" });
        await client.UntagResourceAsync(arn, ["team"]);

        // Assert
        Assert.Equal(
            ["DescribeUserPoolClient", "CreateUserPoolClient", "DeleteUserPoolClient", "AddUserPoolClientSecret", "DeleteUserPoolClientSecret",
             "ListResourceServers", "CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer",
             "ListIdentityProviders", "DescribeIdentityProvider", "CreateIdentityProvider", "UpdateIdentityProvider", "DeleteIdentityProvider",
             "GetUserPoolMfaConfig", "SetUserPoolMfaConfig", "AddCustomAttributes", "DescribeUserPoolDomain", "CreateUserPoolDomain",
             "GetUICustomization", "SetUICustomization", "ListTagsForResource", "TagResource", "UntagResource"],
            policy.Operations);
        Assert.Equal(policy.Operations.Select(o => $"AWSCognitoIdentityProviderService.{o}"), capture.Requests.Select(r => r.Header("X-Amz-Target")));
    }

    private sealed class RecordingPolicy : ICognitoCallPolicy
    {
        private readonly ConcurrentQueue<string> _operations = new();

        public IReadOnlyList<string> Operations => [.. _operations];

        public Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            _operations.Enqueue(operation);
            return call(cancellationToken);
        }
    }
}
