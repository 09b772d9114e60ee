using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>Reading the whole mirror (a consistent Scan), against dynalite.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class MirrorCatalogTests(DynaliteFixture dynalite)
{
    [Fact]
    public async Task ReadAllAsync_SnapshotsTombstonesAndAppliedState_ReturnsEachByKeyAndOnlyThatRegionsRecordedState()
    {
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        var state = new DynamoDbReplicaStateStore(dynalite.Client, options);
        await store.RecordUserAsync(User("alice", T0, Profile("alice@example.com"), ["admins"]), CancellationToken.None);
        await store.RecordUserAsync(User("bob", T0, Profile("bob@example.com")), CancellationToken.None);
        await store.RecordUserAsync(UserObservation.Tombstone("bob", "bob", PrimaryPool, T0.AddSeconds(1), CaptureSource.Sweep), CancellationToken.None);
        await store.RecordGroupAsync(Group("admins", T0), CancellationToken.None);
        await state.RecordAppliedAsync("us-west-2", new AppliedState { Entity = EntityId.ForUser("alice"), ProfileVersion = 5, TargetUsername = "uuid-a" });
        await state.RecordAppliedAsync("eu-west-1", new AppliedState { Entity = EntityId.ForUser("alice"), ProfileVersion = 6 });
        await state.TakeApplyLeaseAsync("us-west-2", EntityId.ForUser("dave"), TestWorker, T0, T0.AddMinutes(1), CancellationToken.None);
        await state.PutCheckpointAsync("us-west-2", 0, "0000", CancellationToken.None);
        await state.ParkAsync("us-west-2", new ParkedEntity { Entity = EntityId.ForUser("carol"), Code = "X", Reason = "y" }, CancellationToken.None);

        var contents = await store.ReadAllAsync("us-west-2", CancellationToken.None);

        Assert.Equal(["alice", "bob"], contents.Users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["admins"], contents.Users["alice"].Groups!.Value.ToArray());
        Assert.True(contents.Users["bob"].Deleted);
        Assert.Equal("admins", Assert.Single(contents.Groups).Key);
        var applied = Assert.Single(contents.Applied);
        Assert.Equal((EntityId.ForUser("alice"), 5L, "uuid-a"), (applied.Key, applied.Value.ProfileVersion, applied.Value.TargetUsername));
        Assert.Empty((await store.ReadAllAsync(null, CancellationToken.None)).Applied);
    }
}
