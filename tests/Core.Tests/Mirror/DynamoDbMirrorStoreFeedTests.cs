using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The change feed of snapshots in a real (emulated) DynamoDB table: order, positions, paging.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbMirrorStoreFeedTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Feed positions come from the store's clock (write time); observation times come from the observations.
    private readonly FakeTimeProvider _time = new(T0.AddSeconds(5));

    [Fact]
    public async Task ReadFeedAsync_SeveralChanges_OldestFirstOnlyAfterThePositionWithHasMore()
    {
        // Arrange: one bucket, so every change lands in it; keys deliberately not in write order.
        var (store, _) = await NewStoreAsync(buckets: 1);
        string[] keys = ["mike", "alice", "zoe", "bob", "carol"];
        foreach (var key in keys)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await store.RecordUserAsync(User(key, T0, Profile(key + "@example.com")), None);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await store.RecordGroupAsync(Group("admins", T0), None);

        // Act
        var all = await store.ReadFeedAsync(0, string.Empty, 100, None);
        var firstTwo = await store.ReadFeedAsync(0, string.Empty, 2, None);
        var afterThird = await store.ReadFeedAsync(0, all.Entries[2].Position, 100, None);

        // Assert
        Assert.Equal([.. keys.Select(EntityId.ForUser), EntityId.ForGroup("admins")], all.Entries.Select(e => e.Entity));
        Assert.Equal(all.Entries.Select(e => e.Position).Order(StringComparer.Ordinal), all.Entries.Select(e => e.Position));
        Assert.False(all.HasMore);
        Assert.Equal(["mike", "alice"], firstTwo.Entries.Select(e => e.User!.Key));
        Assert.True(firstTwo.HasMore);
        Assert.Equal([EntityId.ForUser("bob"), EntityId.ForUser("carol"), EntityId.ForGroup("admins")], afterThird.Entries.Select(e => e.Entity));
        Assert.Equal("admins", all.Entries[^1].Group!.Name);
    }

    [Fact]
    public async Task ReadFeedAsync_PagedToTheEnd_ReturnsEveryEntryOnceInOrder()
    {
        // Arrange
        var (store, _) = await NewStoreAsync(buckets: 1);
        var keys = Enumerable.Range(0, 7).Select(i => $"user{i}").ToList();
        foreach (var key in keys)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await store.RecordUserAsync(User(key, T0, Profile(key + "@example.com")), None);
        }

        // Act
        var read = new List<string>();
        var after = string.Empty;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await store.ReadFeedAsync(0, after, 3, None);
            Assert.True(page.Entries.Count <= 3);
            read.AddRange(page.Entries.Select(e => e.User!.Key));
            if (!page.HasMore)
            {
                break;
            }

            after = page.Entries[^1].Position;
        }

        // Assert
        Assert.Equal(keys, read);
    }

    private async Task<(DynamoDbMirrorStore Store, MirrorOptions Options)> NewStoreAsync(int buckets)
    {
        var options = await dynalite.NewTableAsync(buckets);
        return (new DynamoDbMirrorStore(dynalite.Client, options, _time), options);
    }
}
