using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

/// <summary>The comparison names every difference by subject and path; Regional values are shown as mapped, never as drift.</summary>
public sealed class ConfigurationComparerTests
{
    private static readonly RegionalValueMap Map = new("eu-west-1", "eu-central-1");
    private static readonly SecretFingerprinter Fingerprints = SecretFingerprinter.Ephemeral();

    internal static JsonObject Pool(string id, string region, int minimumLength = 12) => JsonNode.Parse($$"""
        {
          "Id": "{{id}}", "Name": "prod", "Status": "Enabled", "CreationDate": 1,
          "Policies": { "PasswordPolicy": { "MinimumLength": {{minimumLength}}, "RequireSymbols": true } },
          "LambdaConfig": { "PreSignUp": "arn:aws:lambda:{{region}}:111122223333:function:pre-signup" },
          "SchemaAttributes": [ { "Name": "email", "AttributeDataType": "String", "Required": true }, { "Name": "custom:tier", "AttributeDataType": "String", "Mutable": true } ],
          "Domain": "prod-auth-{{region}}"
        }
        """)!.AsObject();

    internal static JsonObject Client(string id, string name, params string[] callbacks) => new()
    {
        ["ClientId"] = id,
        ["ClientName"] = name,
        ["CallbackURLs"] = new JsonArray([.. callbacks.Select(c => (JsonNode?)c)]),
        ["AllowedOAuthScopes"] = new JsonArray("openid", "api/read"),
        ["CreationDate"] = 1,
    };

    private static ImmutableArray<ClientSecretState> Secret(string value) => [new ClientSecretState("id-" + value, DateTimeOffset.UnixEpoch, Fingerprints.Of(value))];

    private static Core.PoolConfiguration.PoolConfiguration Build(
        string region,
        JsonObject pool,
        IEnumerable<(JsonObject, ImmutableArray<ClientSecretState>)>? clients = null,
        IEnumerable<JsonObject>? servers = null,
        IEnumerable<JsonObject>? providers = null) =>
        Core.PoolConfiguration.PoolConfiguration.Assemble(region, pool, null, clients ?? [], servers ?? [], providers ?? []);

    [Fact]
    public void Compare_SameConfigurationInTwoRegions_FindsNoDriftAndShowsTheTriggerAsMapped()
    {
        // Arrange
        var source = Build("eu-west-1", Pool("eu-west-1_S", "eu-west-1"), [(Client("s1", "web", "https://a/cb"), [])]);
        var target = Build("eu-central-1", Pool("eu-central-1_T", "eu-central-1"), [(Client("t1", "web", "https://a/cb"), [])]);

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
        var mapped = Assert.Single(findings, f => f.Kind == ConfigFindingKind.Mapped);
        Assert.Equal("pool/LambdaConfig/PreSignUp", mapped.Name);
    }

    [Fact]
    public void Compare_ChangedSettings_NamesEachByPath()
    {
        // Arrange
        var source = Build(
            "eu-west-1",
            Pool("eu-west-1_S", "eu-west-1", minimumLength: 14),
            [(Client("s1", "web", "https://a/cb", "https://b/cb"), []), (Client("s2", "m2m"), Secret("new-secret"))],
            [JsonNode.Parse("""{"Identifier":"api","Name":"API","Scopes":[{"ScopeName":"read","ScopeDescription":"r"},{"ScopeName":"write","ScopeDescription":"w"}]}""")!.AsObject()],
            [JsonNode.Parse("""{"ProviderName":"Google","ProviderType":"Google","ProviderDetails":{"client_id":"new","client_secret":"x"}}""")!.AsObject()]);
        var target = Build(
            "eu-central-1",
            Pool("eu-central-1_T", "eu-central-1", minimumLength: 12),
            [(Client("t1", "web", "https://a/cb"), []), (Client("t2", "m2m"), Secret("old-secret")), (Client("t3", "legacy"), [])],
            [JsonNode.Parse("""{"Identifier":"api","Name":"API","Scopes":[{"ScopeName":"read","ScopeDescription":"r"}]}""")!.AsObject()],
            [JsonNode.Parse("""{"ProviderName":"Google","ProviderType":"Google","ProviderDetails":{"client_id":"old","client_secret":"y"}}""")!.AsObject()]);

        // Act
        var drift = ConfigurationComparer.Compare(source, target, Map).Where(f => f.IsDrift).Select(f => f.Name).ToList();

        // Assert
        Assert.Equal(
            [
                "pool/PasswordPolicy/MinimumLength",
                "secret m2m",
                "client web/CallbackURLs",
                "client legacy",
                "resourceServer api/Scopes",
                "idp Google/ProviderDetails/client_id",
                "idp Google/ProviderDetails/client_secret",
            ],
            drift);
    }

    [Fact]
    public void Compare_SecretMemberDiffers_DetailNeverHoldsEitherValue()
    {
        // Arrange
        var source = Build("eu-west-1", Pool("s", "eu-west-1"), providers: [JsonNode.Parse("""{"ProviderName":"Oidc","ProviderDetails":{"client_secret":"source-secret-value"}}""")!.AsObject()]);
        var target = Build("eu-central-1", Pool("t", "eu-central-1"), providers: [JsonNode.Parse("""{"ProviderName":"Oidc","ProviderDetails":{"client_secret":"target-secret-value"}}""")!.AsObject()]);

        // Act
        var text = string.Join("\n", ConfigurationComparer.Compare(source, target, Map));

        // Assert
        Assert.DoesNotContain("secret-value", text, StringComparison.Ordinal);
        Assert.Contains("idp Oidc/ProviderDetails/client_secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_UnmappedRegionalValue_IsReportedNotDrift()
    {
        // Arrange
        var sourcePool = Pool("s", "eu-west-1");
        sourcePool["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::1:role/sns", ["ExternalId"] = "source-ext" };
        var targetPool = Pool("t", "eu-central-1");
        targetPool["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::1:role/sns", ["ExternalId"] = "target-ext" };

        // Act
        var findings = ConfigurationComparer.Compare(Build("eu-west-1", sourcePool), Build("eu-central-1", targetPool), Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
        var unmapped = Assert.Single(findings, f => f.Kind == ConfigFindingKind.Unmapped);
        Assert.Equal("pool/SmsConfiguration/ExternalId", unmapped.Name);
        Assert.Contains("Replication:RegionalValues", unmapped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DuplicateClientNames_ReportedAndNeverMatched()
    {
        // Arrange
        var source = Build("eu-west-1", Pool("s", "eu-west-1"), [(Client("a", "web"), []), (Client("b", "web", "https://x"), [])]);
        var target = Build("eu-central-1", Pool("t", "eu-central-1"), [(Client("c", "web", "https://y"), [])]);

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);

        // Assert
        Assert.Equal("web", Assert.Single(source.DuplicateClientNames));
        var duplicate = Assert.Single(findings, f => f.Kind == ConfigFindingKind.DuplicateName);
        Assert.Equal("client web", duplicate.Name);
        Assert.DoesNotContain(findings, f => f.IsDrift);
    }

    [Fact]
    public void Compare_UnreadableSecret_ReportedByIdAndDate()
    {
        // Arrange
        ImmutableArray<ClientSecretState> secrets = [new("id-a", DateTimeOffset.UnixEpoch, Fingerprints.Of("a")), new("id-custom", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), null)];
        var source = Build("eu-west-1", Pool("s", "eu-west-1"), [(Client("s1", "m2m"), secrets)]);
        var target = Build("eu-central-1", Pool("t", "eu-central-1"), [(Client("t1", "m2m"), Secret("a"))]);

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);

        // Assert
        var unreadable = Assert.Single(findings, f => f.Kind == ConfigFindingKind.SecretUnreadable);
        Assert.Equal("secret m2m/id-custom", unreadable.Name);
        Assert.Contains("2026-12-01", unreadable.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.IsDrift);
    }

    [Fact]
    public void Compare_SchemaDifferences_MissingCustomIsDriftChangedTypeIsReported()
    {
        // Arrange
        var sourcePool = Pool("s", "eu-west-1");
        sourcePool["SchemaAttributes"]!.AsArray().Add(new JsonObject { ["Name"] = "custom:plan", ["AttributeDataType"] = "String" });
        var targetPool = Pool("t", "eu-central-1");
        targetPool["SchemaAttributes"]![1]!["AttributeDataType"] = "Number";

        // Act
        var findings = ConfigurationComparer.Compare(Build("eu-west-1", sourcePool), Build("eu-central-1", targetPool), Map);

        // Assert
        Assert.Equal(["schema/custom:plan"], findings.Where(f => f.IsDrift).Select(f => f.Name));
        var changed = Assert.Single(findings, f => f.Kind == ConfigFindingKind.ReportOnly);
        Assert.Equal("schema/custom:tier", changed.Name);
    }

    [Fact]
    public void Compare_DifferentFeaturePlan_ReportedNeverDrift()
    {
        // Arrange
        var sourcePool = Pool("s", "eu-west-1");
        sourcePool["UserPoolTier"] = "PLUS";
        var targetPool = Pool("t", "eu-central-1");
        targetPool["UserPoolTier"] = "ESSENTIALS";

        // Act
        var findings = ConfigurationComparer.Compare(Build("eu-west-1", sourcePool), Build("eu-central-1", targetPool), Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
        Assert.Equal("pool/UserPoolTier", Assert.Single(findings, f => f.Kind == ConfigFindingKind.ReportOnly).Name);
    }
}
