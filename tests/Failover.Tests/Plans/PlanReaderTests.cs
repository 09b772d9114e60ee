using IdentityReplicator.Core.Rds;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Plans;

public sealed class PlanReaderTests
{
    [Fact]
    public void Parse_CompletePlan_ReadsEverySection()
    {
        var plan = PlanReader.Parse(FakeEnvironment.PlanText);

        Assert.Equal("test", plan.Environment);
        Assert.True(plan.Drill);
        Assert.Equal("us-west-2_Standby1", plan.Pools.Standby.UserPoolId);
        Assert.Equal(["us-east-1", "us-west-2"], plan.Parameters[0].Regions.AsEnumerable());
        Assert.Equal("west.example.com", plan.Dns!.Records[0].Values.Standby.Single());
        Assert.Equal(DatabaseKind.GlobalCluster, plan.Database.Kind);
        Assert.Equal("app-west", plan.Database.Resources!.Standby);
        Assert.Equal(new Uri("https://west.example.com/health"), plan.HealthProbes[0].Urls.Standby);
        Assert.Equal(TimeSpan.FromMilliseconds(1), plan.Timeouts.PollInterval);
        Assert.Equal(16, plan.ContentHash.Length);
    }

    [Fact]
    public void Parse_Json_ReadsTheSamePlan()
    {
        var plan = PlanReader.Parse("""
            { "version": 1, "environment": "prod",
              "pools": { "primary": { "region": "us-east-1", "userPoolId": "us-east-1_A1", "appClientId": "a" },
                         "standby": { "region": "us-west-2", "userPoolId": "us-west-2_B2", "appClientId": "b" } },
              "database": { "kind": "replicaInstance", "instances": { "primary": "db-east", "standby": "db-west" }, "mode": "unplanned" } }
            """);

        Assert.Equal(DatabaseKind.ReplicaInstance, plan.Database.Kind);
        Assert.True(plan.Database.Unplanned);
        Assert.False(plan.Drill);
    }

    [Theory]
    [InlineData("ttl: 60", "ttll: 60", "dns.records[0].ttll is not a plan field; did you mean 'ttl'?")]
    [InlineData("hostedZoneId: Z123", "hostedZoneID: Z123", "dns.hostedZoneID is not a plan field; did you mean 'hostedZoneId'?")]
    [InlineData("clientConfig:", "clientConfg:", "clientConfg is not a plan field; did you mean 'clientConfig'?")]
    [InlineData("signIn: { username: monitor@example.com }", "signIn: { user: monitor@example.com }", "signIn.user is not a plan field")]
    public void Parse_MisspelledField_NamesItAndSuggestsTheRightOne(string right, string wrong, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace(right, wrong, StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("      values: { primary: east.example.com, standby: west.example.com }\n", "dns.records[0].values is missing")]
    [InlineData("standby: { region: us-west-2, userPoolId: us-west-2_Standby1, appClientId: client-west }", "pools.standby is missing")]
    [InlineData("environment: test\n", "environment is missing")]
    public void Parse_MissingField_NamesItAndTheFix(string removed, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace(removed, string.Empty, StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("region: us-west-2,", "region: uswest2,", "pools.standby.region is 'uswest2'")]
    [InlineData("kind: globalCluster", "kind: aurora", "database.kind is 'aurora'")]
    [InlineData("ttl: 60", "ttl: sixty", "dns.records[0].ttl is 'sixty'")]
    [InlineData("drain: 5s", "drain: soon", "timeouts.drain is 'soon'")]
    [InlineData("version: 1", "version: 2", "version is 2")]
    public void Parse_BadValue_NamesTheFieldAndWhatIsAllowed(string right, string wrong, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace(right, wrong, StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsThemAllAtOnce()
    {
        var text = FakeEnvironment.PlanText
            .Replace("ttl: 60", "ttll: 60", StringComparison.Ordinal)
            .Replace("kind: globalCluster", "kind: aurora", StringComparison.Ordinal)
            .Replace("environment: test", "enviroment: test", StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.True(error.Problems.Count >= 3, string.Join(Environment.NewLine, error.Problems));
    }

    [Fact]
    public void Parse_NotYaml_SaysWhereItBroke()
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse("version: 1\npools: [unclosed"));

        Assert.Matches(@"^plan:[0-9]+:[0-9]+: pools.*not valid YAML or JSON", Assert.Single(error.Problems));
    }

    [Fact]
    public void Parse_WeightedRecordWithoutSetIdentifier_SaysItNeedsOne()
    {
        var text = FakeEnvironment.PlanText.Replace("      ttl: 60\n", "      ttl: 60\n      weights: { primary: 100, standby: 0 }\n", StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains(error.Problems, p => p.Contains("setIdentifier is missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:05", 5_000)]
    public void TryParseDuration_KnownForms_Parse(string text, int milliseconds)
    {
        Assert.True(PlanReader.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("99999999999999h")]
    [InlineData("999999999999999999m")]
    public void TryParseDuration_LongerThanATimeSpanHolds_IsNotADuration(string text)
    {
        // A fuzzed plan found it: TimeSpan.FromHours threw OverflowException instead of the plan naming the field.
        Assert.False(PlanReader.TryParseDuration(text, out _));
    }
}

/// <summary>The commented example in docs/failover-plan.md is a valid plan (docs samples are tested).</summary>
public sealed class DocumentedPlanTests
{
    [Fact]
    public void Parse_ExampleInTheDocs_IsAValidPlan()
    {
        var plan = PlanReader.Parse(PlanSamples.DocsExample);

        Assert.Equal("production", plan.Environment);
        Assert.Equal(3, plan.Dns!.Records.Length);
        Assert.Equal(100, plan.Dns.Records[2].Weights!.Standby);
        Assert.Equal(DatabaseKind.GlobalCluster, plan.Database.Kind);
        Assert.Equal(4, plan.Parameters.Length);
        Assert.Equal(TimeSpan.FromMinutes(20), plan.Timeouts.Promotion);
    }

    [Fact]
    public void Parse_ExampleFile_IsTheDocumentedPlanAndValid()
    {
        // Arrange: docs/examples/failover-plan.yaml, the file an operator copies.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IdentityReplicator.sln")))
        {
            root = root.Parent;
        }

        var text = File.ReadAllText(Path.Combine(root!.FullName, "docs", "examples", "failover-plan.yaml"));

        // Act
        var plan = PlanReader.Parse(text);

        // Assert: valid, and the same plan as the documented example (the two cannot drift apart).
        Assert.Equal("production", plan.Environment);
        Assert.EndsWith(PlanSamples.DocsExample, text, StringComparison.Ordinal);
    }
}
