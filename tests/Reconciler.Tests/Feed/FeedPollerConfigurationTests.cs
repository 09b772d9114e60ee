using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Tests.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Reconciler.Tests.Feed;

/// <summary>Configuration hints on the change feed in dynalite reach configuration apply; a feed replay writes nothing.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class FeedPollerConfigurationTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PollOnceAsync_ClientHintOnTheFeed_CreatesTheClientInTheTargetAndAReplayWritesNothing()
    {
        // Arrange
        var h = await FeedHarness.CreateAsync(dynalite, new ReconcilerOptions { LookBackInterval = TimeSpan.Zero });
        var source = new InMemoryConfigurationPool("eu-west-1_Source", "eu-west-1");
        var target = new InMemoryConfigurationPool("us-west-2_Target", FeedHarness.Region);
        var id = source.AddClient(new JsonObject { ["ClientName"] = "web", ["CallbackURLs"] = new JsonArray("https://app.example.com/cb") });
        var state = h.NewStateStore();
        var applier = new ConfigurationApplier(source, target, null, new ConfigurationReplicationOptions(), TimeProvider.System, NullLogger<ConfigurationApplier>.Instance);
        var feed = new ConfigurationFeed(applier, state, FeedHarness.Region, TimeProvider.System, NullLogger<ConfigurationFeed>.Instance);
        await new DynamoDbConfigurationHints(dynalite.Client, h.MirrorOptions).RecordAsync(
            new ConfigurationHint { SourcePoolId = source.UserPoolId, Kind = ConfigObjectKind.Client, ObjectId = id, Operation = "CreateUserPoolClient", Version = TimeProvider.System.GetUtcNow().UtcTicks },
            None);
        var poller = h.NewPoller(configuration: feed);
        await poller.InitializeAsync(None);

        // Act
        var handled = await poller.PollOnceAsync(None);
        var readsAfterFirst = source.Reads;
        var restarted = h.NewPoller(configuration: feed);
        await restarted.InitializeAsync(None);
        await restarted.PollOnceAsync(None);

        // Assert
        Assert.Equal(1, handled);
        Assert.Equal(["CreateUserPoolClient"], target.Writes);
        Assert.Equal(1, poller.Statistics.Applied);
        Assert.Equal(readsAfterFirst, source.Reads);
        Assert.Equal(1, restarted.Statistics.Skipped);
    }

    [Fact]
    public async Task PollOnceAsync_ConfigurationHintWithoutConfigurationApply_IsSkippedAndThePositionMovesOn()
    {
        var h = await FeedHarness.CreateAsync(dynalite);
        await new DynamoDbConfigurationHints(dynalite.Client, h.MirrorOptions).RecordAsync(
            new ConfigurationHint { SourcePoolId = "eu-west-1_Source", Kind = ConfigObjectKind.Pool, Operation = "UpdateUserPool", Version = TimeProvider.System.GetUtcNow().UtcTicks },
            None);
        var poller = await h.StartPollerAsync();

        await poller.PollOnceAsync(None);

        Assert.Equal(1, poller.Statistics.Skipped);
        Assert.Equal(0, poller.Statistics.Failures);
    }
}
