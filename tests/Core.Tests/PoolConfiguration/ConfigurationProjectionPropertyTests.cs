using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.PoolConfiguration;
using Pool = IdentityReplicator.Core.PoolConfiguration.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

/// <summary>Applying a source's configuration to any target leaves nothing the comparison calls drift.</summary>
public sealed class ConfigurationProjectionPropertyTests
{
    private static readonly SecretFingerprinter Fingerprints = SecretFingerprinter.Ephemeral();
    private static readonly string[] Names = ["web", "m2m", "mobile", "admin", "batch"];
    private static readonly string[] Regions = ["eu-west-1", "eu-central-1"];
    private static readonly string[] Tiers = ["PLUS", "ESSENTIALS", "LITE"];

    private static readonly Gen<string> Url = Gen.Int[0, 5].Select(i => $"https://app{i}.example.com/cb");

    private static Gen<JsonObject> PoolJson(string region) =>
        Gen.Select(Gen.Int[6, 20], Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 2].Select(i => Tiers[i]), Gen.Bool)
            .Select((length, symbols, trigger, tier, external) =>
            {
                var pool = new JsonObject
                {
                    ["Id"] = region + "_P",
                    ["Name"] = "pool",
                    ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = length, ["RequireSymbols"] = symbols } },
                    ["LambdaConfig"] = new JsonObject
                    {
                        ["PreSignUp"] = $"arn:aws:lambda:{(trigger == 3 ? "us-east-1" : region)}:1:function:f{trigger}",
                    },
                    ["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::1:role/sns", ["ExternalId"] = external ? "ext-a" : "ext-b" },
                    ["UserPoolTier"] = tier,
                    ["SchemaAttributes"] = new JsonArray(new JsonObject { ["Name"] = "custom:c" + length % 3, ["AttributeDataType"] = symbols ? "String" : "Number" }),
                };
                return pool;
            });

    private static readonly Gen<(JsonObject, ImmutableArray<ClientSecretState>)> ClientGen =
        Gen.Select(Gen.Int[0, Names.Length - 1].Select(i => Names[i]), Url.Array[0, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 1000])
            .Select((name, urls, secretCount, unreadable, id) =>
            {
                var client = new JsonObject
                {
                    ["ClientId"] = "id" + id,
                    ["ClientName"] = name,
                    ["CallbackURLs"] = new JsonArray([.. urls.Select(u => (JsonNode?)u)]),
                    ["RefreshTokenValidity"] = secretCount + 1,
                    ["AnalyticsConfiguration"] = new JsonObject { ["ApplicationArn"] = $"arn:aws:mobiletargeting:{Regions[id % 2]}:1:apps/a" },
                };
                ImmutableArray<ClientSecretState> secrets =
                [
                    .. Enumerable.Range(0, secretCount).Select(i => new ClientSecretState($"s{i}", null, i < unreadable ? null : Fingerprints.Of($"{name}-{i}-{id % 3}"))),
                ];
                return (client, secrets);
            });

    private static Gen<Pool> Configuration(string region) =>
        Gen.Select(PoolJson(region), ClientGen.Array[0, 6], Gen.Int[0, 3], Gen.Bool)
            .Select((pool, clients, servers, idp) => Pool.Assemble(
                region,
                pool,
                idp ? new JsonObject { ["MfaConfiguration"] = "OPTIONAL" } : null,
                clients,
                Enumerable.Range(0, servers).Select(i => new JsonObject { ["Identifier"] = $"api{i}", ["Name"] = "API", ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = $"s{servers}" }) }),
                idp ? [new JsonObject { ["ProviderName"] = "Google", ["ProviderType"] = "Google", ["ProviderDetails"] = new JsonObject { ["client_id"] = "g" + servers } }] : []));

    [Fact]
    public void Compare_SourceAgainstItsProjectionOntoAnyTarget_FindsNoDrift()
    {
        Gen.Select(Configuration("eu-west-1"), Configuration("eu-central-1")).Sample((source, target) =>
        {
            // Arrange
            var map = new RegionalValueMap("eu-west-1", "eu-central-1", new Dictionary<string, string> { ["ext-a"] = "ext-z" });

            // Act
            var projected = ConfigurationProjection.Project(source, target, map);
            var drift = ConfigurationComparer.Compare(source, projected, map).Where(f => f.IsDrift).ToList();

            // Assert
            Assert.True(drift.Count == 0, string.Join("; ", drift));
        });
    }

    [Fact]
    public void Compare_SourceAgainstAnyOtherTarget_FindsDriftExactlyWhenProjectionChangesSomething()
    {
        Gen.Select(Configuration("eu-west-1"), Configuration("eu-central-1")).Sample((source, target) =>
        {
            // Arrange
            var map = new RegionalValueMap("eu-west-1", "eu-central-1");
            var projected = ConfigurationProjection.Project(source, target, map);

            // Act
            var drift = ConfigurationComparer.Compare(source, target, map).Any(f => f.IsDrift);
            var projectionSeesChange = ConfigurationComparer.Compare(projected, target, new RegionalValueMap("eu-central-1", "eu-central-1")).Any(f => f.IsDrift);

            // Assert
            Assert.Equal(drift, projectionSeesChange);
        });
    }
}
