using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The table itself: creation, the recorded bucket count, and what callers are told when it is missing.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class MirrorTableTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CreateAsync_CalledAgainWithAnotherBucketCount_IsANoOpAndKeepsTheFirstCount()
    {
        // Arrange
        var options = await dynalite.NewTableAsync(feedBuckets: 6);

        // Act
        await MirrorTable.CreateAsync(dynalite.Client, options.TableName, 16, TimeProvider.System, None);

        // Assert
        Assert.Equal(6, await MirrorTable.ReadFeedBucketsAsync(dynalite.Client, options.TableName, None));
        var description = await dynalite.Client.DescribeTableAsync(options.TableName);
        Assert.Equal(MirrorTable.FeedIndex, Assert.Single(description.Table.GlobalSecondaryIndexes).IndexName);
    }

    [Fact]
    public async Task ReadFeedBucketsAsync_NothingRecorded_Null()
    {
        // Arrange: a table with the layout but without the META item.
        var options = await dynalite.NewTableAsync();
        await dynalite.Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue>
            {
                [MirrorTable.PartitionKey] = new() { S = MirrorTable.MetaPartition },
                [MirrorTable.SortKey] = new() { S = MirrorTable.MetaPartition },
            },
        });

        // Act / Assert
        Assert.Null(await MirrorTable.ReadFeedBucketsAsync(dynalite.Client, options.TableName, None));
    }

    public static TheoryData<string, Func<DynaliteFixture, MirrorOptions, Task>> MissingTableOperations => new()
    {
        { "read a snapshot", (d, o) => new DynamoDbMirrorStore(d.Client, o, new FakeTimeProvider()).GetUserAsync("jane", None) },
        { "read a snapshot", (d, o) => new DynamoDbMirrorStore(d.Client, o, new FakeTimeProvider()).RecordUserAsync(User("jane", T0, Profile("j@example.com")), None) },
        { "read the change feed", (d, o) => new DynamoDbMirrorStore(d.Client, o, new FakeTimeProvider()).ReadFeedAsync(0, string.Empty, 10, None) },
        { "read replica state", (d, o) => new DynamoDbReplicaStateStore(d.Client, o).GetAppliedAsync("us-west-2", EntityId.ForUser("jane"), None) },
        { "save a feed checkpoint", (d, o) => new DynamoDbReplicaStateStore(d.Client, o).PutCheckpointAsync("us-west-2", 0, "p", None) },
        { "enqueue a capture hint", (d, o) => new DynamoDbCaptureHintQueue(d.Client, o).EnqueueAsync(new CaptureHint { Username = "u", SourcePoolId = PrimaryPool, Source = CaptureSource.Trigger, FirstSeen = T0, Due = T0 }, None) },
    };

    [Theory]
    [MemberData(nameof(MissingTableOperations))]
    public async Task AnyOperation_TableMissing_MirrorStoreExceptionSaysToDeployOrRunTheSandbox(string action, Func<DynaliteFixture, MirrorOptions, Task> operation)
    {
        // Arrange
        var options = new MirrorOptions { TableName = "no-such-mirror-table" };

        // Act
        var exception = await Assert.ThrowsAsync<MirrorStoreException>(() => operation(dynalite, options));

        // Assert
        Assert.Contains("Mirror table 'no-such-mirror-table' does not exist", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"could not {action}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("deploy the CDK stack or run 'idrep sandbox up'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Mirror:TableName", exception.Message, StringComparison.Ordinal);
        Assert.IsType<ResourceNotFoundException>(exception.InnerException);
    }
}
