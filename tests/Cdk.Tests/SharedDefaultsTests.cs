using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Cdk.Tests;

/// <summary>
/// Defaults the stacks share with the code they deploy come from that code's constants, so they cannot disagree:
/// a feed bucket count the Replicator function and the worker read differently breaks the change feed. Synthesized
/// with the context of the committed cdk.json, as <c>cdk deploy</c> does.
/// </summary>
public sealed class SharedDefaultsTests : IClassFixture<SharedDefaultsTests.CommittedContextSynthesis>
{
    private readonly Synthesis _synthesis;

    public SharedDefaultsTests(CommittedContextSynthesis synthesis) => _synthesis = synthesis.Value;

    [Fact]
    public void Synth_WithTheCommittedCdkJson_TableAndFeedBucketsAreTheCodesDefaults()
    {
        // Arrange
        var buckets = MirrorOptions.DefaultFeedBuckets.ToString(CultureInfo.InvariantCulture);

        // Act
        var table = Assert.Single(_synthesis.Resources("IdentityReplicator-PrimaryData", "AWS::DynamoDB::GlobalTable"));
        var functions = new[] { "IdentityReplicator-Primary", "IdentityReplicator-Standby" }
            .Select(stack => _synthesis.Resources(stack, "AWS::Lambda::Function").Single(f => (string?)f["Properties"]!["FunctionName"] == "identity-replicator"))
            .Select(f => f["Properties"]!["Environment"]!["Variables"]!.AsObject())
            .ToList();
        var workers = new[] { "IdentityReplicator-Primary", "IdentityReplicator-Standby" }
            .SelectMany(stack => _synthesis.Resources(stack, "AWS::ECS::TaskDefinition"))
            .Select(t => t["Properties"]!["ContainerDefinitions"]![0]!["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => e!["Value"] is JsonValue value ? value.ToString() : e["Value"]?.ToJsonString()))
            .ToList();

        // Assert
        Assert.Equal(MirrorOptions.DefaultTableName, (string?)table["Properties"]!["TableName"]);
        Assert.Equal(2, functions.Count);
        Assert.All(functions, environment =>
        {
            Assert.Equal(MirrorOptions.DefaultTableName, (string?)environment["IDREP_TABLE_NAME"]);
            Assert.Equal(buckets, (string?)environment["IDREP_FEED_BUCKETS"]);
        });
        Assert.NotEmpty(workers);
        Assert.All(workers, environment =>
        {
            Assert.Equal(MirrorOptions.DefaultTableName, environment["IDREP_Mirror__TableName"]);
            Assert.Equal(buckets, environment["IDREP_Mirror__FeedBuckets"]);
            Assert.Equal(EventBridgeOptions.DefaultBusName, environment["IDREP_EventBridge__BusName"]);
        });
    }

    [Fact]
    public void Synth_DefinedPools_CarryTheOriginalSubAttributeTheCodeReadsByDefault()
    {
        // Act
        var schemas = new[] { "IdentityReplicator-PrimaryData", "IdentityReplicator-StandbyData" }
            .Select(stack => Assert.Single(_synthesis.Resources(stack, "AWS::Cognito::UserPool"))["Properties"]!["Schema"]!.AsArray())
            .ToList();

        // Assert: Cognito names a schema attribute "x" custom:x.
        Assert.All(schemas, schema => Assert.Contains(
            schema,
            a => "custom:" + (string?)a!["Name"] == ReplicationOptions.DefaultPrimarySubAttribute && (bool?)a["Mutable"] == true));
        Assert.Equal("custom:" + ReplicationOptions.PrimarySubSchemaAttribute, ReplicationOptions.DefaultPrimarySubAttribute);
    }

    [Fact]
    public void FromContext_FeedBuckets_AllowsExactlyTheRangeTheWorkerAllows()
    {
        Assert.Equal(MirrorOptions.MinFeedBuckets, Read(MirrorOptions.MinFeedBuckets).FeedBuckets);
        Assert.Equal(MirrorOptions.MaxFeedBuckets, Read(MirrorOptions.MaxFeedBuckets).FeedBuckets);
        foreach (var outside in new[] { MirrorOptions.MinFeedBuckets - 1, MirrorOptions.MaxFeedBuckets + 1 })
        {
            var e = Assert.Throws<InvalidOperationException>(() => Read(outside));
            Assert.Contains($"it must be a whole number from {MirrorOptions.MinFeedBuckets} to {MirrorOptions.MaxFeedBuckets}.", e.Message, StringComparison.Ordinal);
            Assert.NotEmpty(new MirrorOptions { FeedBuckets = outside }.Validate());
        }
    }

    private static DeploymentConfig Read(int feedBuckets)
    {
        var asset = Directory.CreateTempSubdirectory("idrep-cdk-asset-").FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), string.Empty);
        var context = new Dictionary<string, string>
        {
            ["primaryRegion"] = "us-east-1",
            ["standbyRegion"] = "us-west-2",
            ["createPools"] = "true",
            ["replicatorAsset"] = asset,
            ["feedBuckets"] = feedBuckets.ToString(CultureInfo.InvariantCulture),
        };
        return DeploymentConfig.FromContext(k => context.GetValueOrDefault(k), Synthesis.SourceRoot);
    }

    /// <summary>The app synthesized with the context in the repository's cdk/cdk.json (what <c>cdk deploy</c> reads).</summary>
    public sealed class CommittedContextSynthesis : IDisposable
    {
        public Synthesis Value { get; } = new(CommittedContext());

        public void Dispose() => Value.Dispose();

        private static Dictionary<string, string> CommittedContext()
        {
            var cdkJson = JsonNode.Parse(File.ReadAllText(Path.Combine(Synthesis.SourceRoot, "cdk", "cdk.json")))!;
            return cdkJson["context"]!.AsObject().ToDictionary(
                c => c.Key,
                c => c.Value!.GetValueKind() == JsonValueKind.String ? c.Value.GetValue<string>() : c.Value.ToJsonString(),
                StringComparer.Ordinal);
        }
    }
}
