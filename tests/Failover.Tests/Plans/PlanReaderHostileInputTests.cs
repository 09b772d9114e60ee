using System.Text;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>Plan files an attacker or a slip of the hand could write: each is rejected, in time, naming where and what to do.</summary>
public sealed class PlanReaderHostileInputTests
{
    private const string PlanFile = "/plans/hostile.yaml";

    [Fact]
    public void Parse_ListThatAliasesItself_IsRejectedAtTheAnchor()
    {
        var error = BoundedParse.Run("version: &v [ *v ]\n", PlanFile).Rejection();

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith($"{PlanFile}:1:10: version ", problem, StringComparison.Ordinal);
        Assert.Contains("anchors and aliases", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 10)]
    [InlineData(7, 10)]
    public void Parse_BillionLaughs_IsRejectedWithinTheBudget(int levels, int width)
    {
        var text = PlanSamples.Laughs(levels, width);

        var outcome = BoundedParse.Run(text, PlanFile);

        Assert.True(text.Length < 1024, $"{text.Length} characters");
        Assert.Contains("anchors and aliases", Assert.Single(outcome.Rejection().Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("? [a, b]\n: 1\n", 3)]
    [InlineData("{a: 1}: x\n", 1)]
    [InlineData("? {x: y}\n: 1\n", 3)]
    public void Parse_KeyThatIsNotAName_IsRejectedAtTheKey(string entry, int column)
    {
        var line = FakeEnvironment.PlanText.Count(c => c == '\n') + 2;

        var error = BoundedParse.Run(FakeEnvironment.PlanText + "\n" + entry, PlanFile).Rejection();

        Assert.Contains(error.Problems, p => p.StartsWith($"{PlanFile}:{line}:{column}: ", StringComparison.Ordinal) && p.Contains("key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("flow-list", 100_000)]
    [InlineData("flow-map", 100_000)]
    [InlineData("block-list", 100_000)]
    [InlineData("unclosed", 100_000)]
    [InlineData("flow-list", 40)]
    public void Parse_NestedDeeperThanAnyPlan_IsRejectedBeforeTheStackRunsOut(string kind, int depth)
    {
        var error = BoundedParse.Run(PlanSamples.Nested(kind, depth), PlanFile).Rejection();

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith($"{PlanFile}:", problem, StringComparison.Ordinal);
        Assert.Contains("version", problem, StringComparison.Ordinal);
        Assert.Contains("nested more than", problem, StringComparison.Ordinal);
    }

    /// <summary>YamlDotNet throws something other than a YamlException for these (the fuzz tests found them).</summary>
    [Theory]
    [InlineData("version: 1\ndns:\n  hostedZoneId: [\n  records:\n    - name: a\n")]
    [InlineData("version: !!0!] x\n")]
    [InlineData("version: \"\\UFFFFFFFF\"\n")]
    [InlineData("...\nversion: 1\n")]
    public void Parse_TextTheYamlParserFailsOnBadly_IsRejectedAsNotYaml(string text)
    {
        var error = BoundedParse.Run(text, PlanFile).Rejection();

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith($"{PlanFile}:", problem, StringComparison.Ordinal);
        Assert.Contains("not valid YAML or JSON", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("region: us-east-1, userPoolId: us-east-1_Pool1", "region: us-east-1, userPoolId: us-east-1_Pool1")]
    [InlineData("region: us-east-1, userPoolId: us-east-1_Pool1", "region: us-west-2, userPoolId: us-east-1_Pool1")]
    [InlineData("region: us-east-1, userPoolId: local_Pool1, endpoint: 'http://127.0.0.1:9229/'", "region: us-west-2, userPoolId: local_Pool1, endpoint: 'http://127.0.0.1:9229'")]
    public void Parse_SamePoolOnBothSides_IsRejected(string primary, string standby)
    {
        var error = BoundedParse.Run(WithPools(primary, standby), PlanFile).Rejection();

        Assert.Contains(error.Problems, p => p.StartsWith($"{PlanFile}:5:12: pools.standby", StringComparison.Ordinal) && p.Contains("the same pool", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PoolIdOfAnotherRegion_IsRejectedNamingBoth()
    {
        var error = BoundedParse.Run(WithPools("region: us-east-1, userPoolId: us-east-1_Pool1", "region: us-west-2, userPoolId: eu-west-1_Pool2"), PlanFile).Rejection();

        Assert.Contains(error.Problems, p => p.Contains("pools.standby.userPoolId 'eu-west-1_Pool2' is a pool in eu-west-1", StringComparison.Ordinal) && p.Contains("us-west-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DifferentPoolsInTheSameRegion_AreAccepted()
    {
        var plan = PlanReader.Parse(WithPools("region: us-east-1, userPoolId: us-east-1_Pool1", "region: us-east-1, userPoolId: us-east-1_Pool2"));

        Assert.Equal("us-east-1_Pool2", plan.Pools.Standby.UserPoolId);
    }

    [Theory]
    [InlineData("excludeAttributes: custom:tier", "custom:tier")]
    [InlineData("excludeAttributes: [custom:tier, locale]", "custom:tier|locale")]
    [InlineData("excludeAttributes:\n    - custom:tier", "custom:tier")]
    [InlineData("excludeAttributes: []", "")]
    [InlineData("excludeAttributes:", "")]
    public void Parse_ExcludeAttributes_ReadsASingleNameAsAOneItemList(string line, string expected)
    {
        var plan = PlanReader.Parse(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight:\n  " + line, StringComparison.Ordinal));

        Assert.Equal(expected, string.Join('|', plan.Preflight.ExcludeAttributes));
    }

    [Fact]
    public void Parse_RegionsAsOneName_ReadsAOneItemList()
    {
        var plan = PlanReader.Parse(FakeEnvironment.PlanText.Replace("    - name: /app/region\n", "    - name: /app/region\n      regions: us-west-2\n", StringComparison.Ordinal));

        Assert.Equal(["us-west-2"], plan.Parameters[1].Regions.AsEnumerable());
    }

    [Theory]
    [InlineData("excludeAttributes: custom:tier, locale", "preflight.excludeAttributes[0] is 'custom:tier, locale'")]
    [InlineData("excludeAttributes: { name: custom }", "preflight.excludeAttributes must be a list")]
    public void Parse_ExcludeAttributesThatAreNoNames_AreRejected(string line, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight:\n  " + line, StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AnyProblem_NamesTheFileLineAndColumn()
    {
        var text = FakeEnvironment.PlanText.Replace("ttl: 60", "ttll: 60", StringComparison.Ordinal);
        var at = text.IndexOf("ttll", StringComparison.Ordinal);
        var line = text[..at].Count(c => c == '\n') + 1;
        var column = at - text.LastIndexOf('\n', at);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text, "/plans/test.yaml"));

        Assert.Contains($"/plans/test.yaml:{line}:{column}: dns.records[0].ttll is not a plan field; did you mean 'ttl'?", error.Problems);
    }

    [Fact]
    public void Parse_MissingField_IsPlacedAtTheMappingThatLacksIt()
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace("environment: test\n", string.Empty, StringComparison.Ordinal), "/plans/test.yaml"));

        Assert.Contains(error.Problems, p => p.StartsWith("/plans/test.yaml:1:1: environment is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SecondYamlDocument_IsRejectedInsteadOfIgnored()
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText + "\n---\nversion: 2\n", PlanFile));

        Assert.Contains(error.Problems, p => p.Contains("more than one YAML document", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SameKeyTwice_IsRejectedNamingBothLines()
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText + "\nenvironment: prod\n", PlanFile));

        Assert.Contains(error.Problems, p => p.Contains("environment is given twice (lines 2 and", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_FileOverTheSizeLimit_IsRejectedWithoutReadingIt()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("large.yaml", Encoding.UTF8.GetBytes(FakeEnvironment.PlanText + "\n#" + new string('x', 1_100_000) + "\n"));

        var error = await Assert.ThrowsAsync<PlanException>(() => PlanReader.LoadAsync(path, CancellationToken.None));

        Assert.Contains(error.Problems, p => p.StartsWith(path + ":", StringComparison.Ordinal) && p.Contains("at most 1 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_FileThatIsNotUtf8_IsRejected()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("latin1.yaml", [.. Encoding.UTF8.GetBytes(FakeEnvironment.PlanText + "\n# caf"), 0xE9, (byte)'\n']);

        var error = await Assert.ThrowsAsync<PlanException>(() => PlanReader.LoadAsync(path, CancellationToken.None));

        Assert.Contains(error.Problems, p => p.StartsWith(path + ":", StringComparison.Ordinal) && p.Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_Folder_IsRejected()
    {
        using var folder = new TemporaryFolder();

        var error = await Assert.ThrowsAsync<PlanException>(() => PlanReader.LoadAsync(folder.Path, CancellationToken.None));

        Assert.Contains(error.Problems, p => p.Contains("does not exist", StringComparison.Ordinal));
    }

    private static string WithPools(string primary, string standby) => $$"""
        version: 1
        environment: test
        pools:
          primary: { {{primary}}, appClientId: client-east }
          standby: { {{standby}}, appClientId: client-west }
        """;
}

/// <summary>A folder under the temporary directory, removed with everything in it.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("idrep-plan-").FullName;
    }

    public string Path { get; }

    public string Write(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
