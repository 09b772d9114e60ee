using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.PoolConfiguration;
using Pool = IdentityReplicator.Core.PoolConfiguration.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

/// <summary>
/// Branding, terms and client risk configurations are matched by client name (ids differ between pools); log delivery
/// destinations and risk notification identities are Regional values: mapped, or reported and never copied.
/// </summary>
public sealed class AttachmentComparisonTests
{
    private static readonly RegionalValueMap Map = new("eu-west-1", "eu-central-1");

    private static Pool Empty(string region) => new() { UserPoolId = region + "_P", Region = region };

    private static ImmutableSortedDictionary<string, ClientAttachment> ByClient(params (string Key, string Client, string? Id, string Json)[] items) =>
        items.ToImmutableSortedDictionary(i => i.Key, i => new ClientAttachment(i.Client, i.Id, JsonNode.Parse(i.Json)!.AsObject()), StringComparer.Ordinal);

    private static JsonObject Style(string color) =>
        JsonNode.Parse($$$$$"""{"UseCognitoProvidedValues":false,"Settings":{"components":{"pageBackground":{"lightMode":{"color":"{{{{{color}}}}}"}}}},"Assets":[]}""")!.AsObject();

    private static JsonObject LogDelivery(string region, string group = "idp-logs") => ClientAttachments.LogDelivery(JsonNode.Parse($$$$$"""
        {"UserPoolId":"p","LogConfigurations":[{"LogLevel":"ERROR","EventSource":"userNotification","CloudWatchLogsConfiguration":{"LogGroupArn":"arn:aws:logs:{{{{{region}}}}}:111122223333:log-group:{{{{{group}}}}}"}}]}
        """)!.AsObject());

    [Fact]
    public void Compare_BrandingOfSameNamedClientsDiffers_NamesItByClientNameAndPath()
    {
        // Arrange
        var source = Empty("eu-west-1") with { Brandings = ByClient(("web", "web", "b-source", Style("ff0000ff").ToJsonString())) };
        var target = Empty("eu-central-1") with { Brandings = ByClient(("web", "web", "b-target", Style("0000ffff").ToJsonString())) };

        // Act
        var drift = ConfigurationComparer.Compare(source, target, Map).Where(f => f.IsDrift).Select(f => f.Name).ToList();

        // Assert
        Assert.Equal(["branding web/Settings/components/pageBackground/lightMode/color"], drift);
    }

    [Fact]
    public void Compare_TermsMissingAndExtra_NamesEachByClientAndTermsName()
    {
        // Arrange
        const string Terms = """{"TermsSource":"LINK","Enforcement":"NONE","Links":{"cognito:default":"https://example.com/terms"}}""";
        var source = Empty("eu-west-1") with { Terms = ByClient(("web/terms-of-use", "web", "t1", Terms)) };
        var target = Empty("eu-central-1") with { Terms = ByClient(("web/privacy-policy", "web", "t2", Terms)) };

        // Act
        var drift = ConfigurationComparer.Compare(source, target, Map).Where(f => f.IsDrift).Select(f => (f.Kind, f.Name)).ToList();

        // Assert
        Assert.Equal([(ConfigFindingKind.Missing, "terms web/terms-of-use"), (ConfigFindingKind.Extra, "terms web/privacy-policy")], drift);
    }

    [Fact]
    public void Compare_LogDeliveryToEachRegionsOwnGroup_ShowsTheDestinationAsMappedNotDrift()
    {
        // Arrange
        var source = Empty("eu-west-1") with { LogDelivery = LogDelivery("eu-west-1") };
        var target = Empty("eu-central-1") with { LogDelivery = LogDelivery("eu-central-1") };

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
        var mapped = Assert.Single(findings, f => f.Kind == ConfigFindingKind.Mapped);
        Assert.Equal("logDelivery/userNotification/CloudWatchLogsConfiguration/LogGroupArn", mapped.Name);
    }

    [Fact]
    public void Project_LogDeliveryToAThirdRegion_IsReportedAndTheTargetKeepsItsOwn()
    {
        // Arrange
        var source = Empty("eu-west-1") with { LogDelivery = LogDelivery("us-east-1", "central-logs") };
        var target = Empty("eu-central-1") with { LogDelivery = [] };

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);
        var projected = ConfigurationProjection.Project(source, target, Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
        Assert.Equal("logDelivery/userNotification/CloudWatchLogsConfiguration/LogGroupArn", Assert.Single(findings, f => f.Kind == ConfigFindingKind.Unmapped).Name);
        Assert.Empty(projected.LogDelivery!);
    }

    [Fact]
    public void Project_RiskNotifyIdentityAndClientRisk_MapsTheIdentityAndKeepsTheTargetsIds()
    {
        // Arrange
        static string Risk(string region, string action) => $$$$$"""
            {"AccountTakeoverRiskConfiguration":{"NotifyConfiguration":{"SourceArn":"arn:aws:ses:{{{{{region}}}}}:111122223333:identity/example.com","From":"security@example.com"},"Actions":{"HighAction":{"Notify":true,"EventAction":"{{{{{action}}}}}"}}}}
            """;
        var source = Empty("eu-west-1") with { Risk = JsonNode.Parse(Risk("eu-west-1", "BLOCK"))!.AsObject(), ClientRisks = ByClient(("web", "web", null, Risk("eu-west-1", "MFA_REQUIRED"))) };
        var target = Empty("eu-central-1") with { Risk = JsonNode.Parse(Risk("eu-central-1", "NO_ACTION"))!.AsObject() };

        // Act
        var drift = ConfigurationComparer.Compare(source, target, Map).Where(f => f.IsDrift).Select(f => f.Name).ToList();
        var projected = ConfigurationProjection.Project(source, target, Map);

        // Assert
        Assert.Equal(["risk web", "risk/AccountTakeoverRiskConfiguration/Actions/HighAction/EventAction"], drift);
        Assert.Equal("arn:aws:ses:eu-central-1:111122223333:identity/example.com", (string?)projected.Risk!["AccountTakeoverRiskConfiguration"]!["NotifyConfiguration"]!["SourceArn"]);
        Assert.Equal("arn:aws:ses:eu-central-1:111122223333:identity/example.com", (string?)projected.ClientRisks["web"].Settings["AccountTakeoverRiskConfiguration"]!["NotifyConfiguration"]!["SourceArn"]);
    }

    [Fact]
    public void Compare_BrandingOfADuplicateClientName_IsNeverMatched()
    {
        // Arrange
        var source = Empty("eu-west-1") with { Brandings = ByClient(("web", "web", "b1", Style("ff0000ff").ToJsonString())), DuplicateClientNames = [] };
        var target = Empty("eu-central-1") with { Brandings = ByClient(("web", "web", "b2", Style("0000ffff").ToJsonString())), DuplicateClientNames = ["web"] };

        // Act
        var findings = ConfigurationComparer.Compare(source, target, Map);

        // Assert
        Assert.DoesNotContain(findings, f => f.IsDrift);
    }

    [Fact]
    public void Branding_StyleThatUsesCognitosValues_KeepsNoSettingsOrIds()
    {
        // Arrange
        var described = JsonNode.Parse("""{"ManagedLoginBrandingId":"b","UserPoolId":"p","UseCognitoProvidedValues":true,"Settings":{"x":1},"Assets":[],"CreationDate":1,"LastModifiedDate":2}""")!.AsObject();

        // Act
        var settings = ClientAttachments.Branding(described);

        // Assert
        Assert.Equal("""{"UseCognitoProvidedValues":true}""", settings.ToJsonString());
    }

    private static readonly string[] Clients = ["web", "m2m", "mobile"];
    private static readonly string[] Regions = ["eu-west-1", "eu-central-1", "us-east-1"];

    private static Gen<Pool> Attachments(string region) =>
        Gen.Select(
            Gen.Int[0, 2].Array[0, 3],
            Gen.Int[0, 2].Array[0, 3],
            Gen.Int[0, 2],
            Gen.Int[0, 3],
            Gen.Int[0, 1])
        .Select((brandings, terms, logRegion, action, risk) => Empty(region) with
        {
            Brandings = brandings.Distinct().ToImmutableSortedDictionary(i => Clients[i], i => new ClientAttachment(Clients[i], "b" + i, Style($"{i}{action}")), StringComparer.Ordinal),
            Terms = terms.Distinct().ToImmutableSortedDictionary(
                i => ClientAttachments.TermsKey(Clients[i], "terms-of-use"),
                i => new ClientAttachment(Clients[i], "t" + i, JsonNode.Parse($$$$$"""{"TermsSource":"LINK","Enforcement":"NONE","Links":{"cognito:default":"https://e/{{{{{action}}}}}"}}""")!.AsObject()),
                StringComparer.Ordinal),
            LogDelivery = LogDelivery(logRegion == 2 ? Regions[2] : region, "g" + action),
            Risk = risk == 0 ? [] : JsonNode.Parse($$$$$"""{"AccountTakeoverRiskConfiguration":{"NotifyConfiguration":{"SourceArn":"arn:aws:ses:{{{{{region}}}}}:1:identity/e"},"Actions":{"LowAction":{"Notify":false,"EventAction":"{{{{{(action % 2 == 0 ? "BLOCK" : "NO_ACTION")}}}}}"}}}}""")!.AsObject(),
        });

    [Fact]
    public void Compare_SourceAgainstItsProjectionOntoAnyTarget_FindsNoAttachmentDrift()
    {
        Gen.Select(Attachments("eu-west-1"), Attachments("eu-central-1")).Sample((source, target) =>
        {
            // Arrange
            var projected = ConfigurationProjection.Project(source, target, Map);

            // Act
            var drift = ConfigurationComparer.Compare(source, projected, Map).Where(f => f.IsDrift).ToList();

            // Assert
            Assert.True(drift.Count == 0, string.Join("; ", drift));
        });
    }

    [Fact]
    public void Compare_SourceAgainstAnyTarget_FindsAttachmentDriftExactlyWhenProjectionChangesSomething()
    {
        Gen.Select(Attachments("eu-west-1"), Attachments("eu-central-1")).Sample((source, target) =>
        {
            // Arrange
            var projected = ConfigurationProjection.Project(source, target, Map);

            // Act
            var drift = ConfigurationComparer.Compare(source, target, Map).Any(f => f.IsDrift);
            var projectionSeesChange = ConfigurationComparer.Compare(projected, target, new RegionalValueMap("eu-central-1", "eu-central-1")).Any(f => f.IsDrift);

            // Assert
            Assert.Equal(drift, projectionSeesChange);
        });
    }
}
