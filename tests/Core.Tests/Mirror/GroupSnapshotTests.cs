using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>Group snapshots in the mirror table: create, update, delete, re-create, and stale deliveries.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class GroupSnapshotTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider _time = new(T0.AddSeconds(5));

    [Fact]
    public async Task RecordGroupAsync_NewGroup_ChangedWithEveryFieldAndAFeedEntry()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        var observation = Group("admins", T0, "Administrators", 3);

        // Act
        var outcome = await store.RecordGroupAsync(observation, None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var group = (await store.GetGroupAsync("admins", None))!;
        Assert.Equal(("admins", PrimaryPool, "Administrators", 3, "arn:aws:iam::123456789012:role/admins", false), (group.Name, group.SourcePoolId, group.Description, group.Precedence, group.RoleArn, group.Deleted));
        Assert.Equal((T0.UtcTicks, observation.Hash, T0), (group.Version, group.Hash, group.ChangedAt));
        var bucket = MirrorTable.BucketOf(EntityId.ForGroup("admins"), store.FeedBuckets);
        var entry = Assert.Single(await ReadWholeBucketAsync(store, bucket));
        Assert.Equal(EntityId.ForGroup("admins"), entry.Entity);
        Assert.Equal(group.FeedPosition, entry.Position);
    }

    [Fact]
    public async Task RecordGroupAsync_SameContentLater_UnchangedVersionBumpedSamePosition()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordGroupAsync(Group("admins", T0), None);
        var before = (await store.GetGroupAsync("admins", None))!;
        _time.Advance(TimeSpan.FromSeconds(3));

        // Act
        var outcome = await store.RecordGroupAsync(Group("admins", T0.AddMinutes(1)), None);

        // Assert
        Assert.Equal(RecordOutcome.Unchanged, outcome);
        var after = (await store.GetGroupAsync("admins", None))!;
        Assert.Equal(T0.AddMinutes(1).UtcTicks, after.Version);
        Assert.Equal(before.FeedPosition, after.FeedPosition);
    }

    [Fact]
    public async Task RecordGroupAsync_UpdatedWithPrecedenceRemoved_ChangedAndPrecedenceGone()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordGroupAsync(Group("admins", T0, "Administrators", 3), None);
        var before = (await store.GetGroupAsync("admins", None))!;
        _time.Advance(TimeSpan.FromSeconds(3));

        // Act
        var outcome = await store.RecordGroupAsync(Group("admins", T0.AddMinutes(1), "Admins (renamed)", precedence: null), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var after = (await store.GetGroupAsync("admins", None))!;
        Assert.Equal("Admins (renamed)", after.Description);
        Assert.Null(after.Precedence);
        Assert.True(string.CompareOrdinal(after.FeedPosition, before.FeedPosition) > 0);
    }

    [Fact]
    public async Task RecordGroupAsync_OlderObservation_Stale()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordGroupAsync(Group("admins", T0.AddMinutes(1), "new"), None);

        // Act
        var outcome = await store.RecordGroupAsync(Group("admins", T0, "old"), None);

        // Assert
        Assert.Equal(RecordOutcome.Stale, outcome);
        Assert.Equal("new", (await store.GetGroupAsync("admins", None))!.Description);
    }

    [Fact]
    public async Task RecordGroupAsync_DeletedThenRecreated_TtlSetThenCleared()
    {
        // Arrange
        var (store, options) = await NewStoreAsync();
        await store.RecordGroupAsync(Group("admins", T0), None);
        var deletedAt = T0.AddMinutes(1);

        // Act
        var deleted = await store.RecordGroupAsync(Group("admins", deletedAt, deleted: true), None);
        var whileDeleted = (await store.GetGroupAsync("admins", None))!;
        var rawDeleted = await RawSnapshotAsync(dynalite.Client, options, EntityId.ForGroup("admins"));
        var recreated = await store.RecordGroupAsync(Group("admins", T0.AddMinutes(2), "back"), None);
        var rawRecreated = await RawSnapshotAsync(dynalite.Client, options, EntityId.ForGroup("admins"));

        // Assert
        Assert.Equal((RecordOutcome.Changed, RecordOutcome.Changed), (deleted, recreated));
        Assert.True(whileDeleted.Deleted);
        Assert.Equal(deletedAt.Add(options.TombstoneRetention).ToUnixTimeSeconds(), long.Parse(rawDeleted[MirrorTable.ExpiresAt].N, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(MirrorTable.ExpiresAt, rawRecreated.Keys);
        var group = (await store.GetGroupAsync("admins", None))!;
        Assert.False(group.Deleted);
        Assert.Equal("back", group.Description);
    }

    private async Task<(DynamoDbMirrorStore Store, MirrorOptions Options)> NewStoreAsync()
    {
        var options = await dynalite.NewTableAsync();
        return (new DynamoDbMirrorStore(dynalite.Client, options, _time), options);
    }
}
