using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// What one Region's reconciler keeps in the mirror table: applied versions (recorded under an apply lease, as workers
/// do; the lease itself is tested in <see cref="DynamoDbApplyLeaseTests"/>), checkpoints, parked entities.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbReplicaStateStoreTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PutAppliedAsync_ThenGet_ReturnsEveryField()
    {
        // Arrange
        var store = await NewStoreAsync();
        var state = Applied("jane", 10, 20) with
        {
            ProfileHash = "ph",
            GroupsHash = "gh",
            TargetUsername = "jane-standby",
            TargetSub = "standby-sub",
            SourceSub = "primary-sub",
            AppliedAt = T0,
        };

        // Act
        await store.RecordAppliedAsync(Standby, state);
        var read = await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None);

        // Assert
        Assert.Equal(state, read);
    }

    [Fact]
    public async Task GetAppliedAsync_NothingApplied_Null()
    {
        // Arrange
        var store = await NewStoreAsync();

        // Act / Assert
        Assert.Null(await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None));
    }

    [Fact]
    public async Task PutAppliedAsync_OlderAfterNewer_KeepsTheNewer()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, Applied("jane", 20, 20) with { TargetUsername = "newer" });

        // Act
        var outcome = await store.RecordAppliedAsync(Standby, Applied("jane", 10, 10) with { TargetUsername = "older" });

        // Assert
        Assert.Equal(AppliedRecord.NewerKept, outcome);
        var read = (await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None))!;
        Assert.Equal(("newer", 20L, 20L), (read.TargetUsername, read.ProfileVersion, read.GroupsVersion));
    }

    [Fact]
    public async Task PutAppliedAsync_SameOrNewerVersions_Overwrites()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, Applied("jane", 20, 20) with { TargetUsername = "first" });

        // Act
        await store.RecordAppliedAsync(Standby, Applied("jane", 20, 20) with { TargetUsername = "same-version" });
        var same = (await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None))!;
        await store.RecordAppliedAsync(Standby, Applied("jane", 30, 20) with { TargetUsername = null });
        var newer = (await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None))!;

        // Assert
        Assert.Equal("same-version", same.TargetUsername);
        Assert.Null(newer.TargetUsername);
        Assert.Equal(30, newer.ProfileVersion);
    }

    [Fact]
    public async Task PutAppliedAsync_OtherRegionOrEntity_KeptApart()
    {
        // Arrange
        var store = await NewStoreAsync();

        // Act
        await store.RecordAppliedAsync(Standby, Applied("jane", 1, 1));
        await store.RecordAppliedAsync("eu-west-1", Applied("jane", 2, 2));
        await store.RecordAppliedAsync(Standby, new AppliedState { Entity = EntityId.ForGroup("jane"), ProfileVersion = 3 });

        // Assert
        Assert.Equal(1, (await store.GetAppliedAsync(Standby, EntityId.ForUser("jane"), None))!.ProfileVersion);
        Assert.Equal(2, (await store.GetAppliedAsync("eu-west-1", EntityId.ForUser("jane"), None))!.ProfileVersion);
        Assert.Equal(3, (await store.GetAppliedAsync(Standby, EntityId.ForGroup("jane"), None))!.ProfileVersion);
    }

    [Fact]
    public async Task Checkpoints_PutThenGet_PerRegionAndBucket()
    {
        // Arrange
        var store = await NewStoreAsync();

        // Act
        var before = await store.GetCheckpointAsync(Standby, 3, None);
        await store.PutCheckpointAsync(Standby, 3, "pos-1", None);
        await store.PutCheckpointAsync(Standby, 3, "pos-2", None);
        await store.PutCheckpointAsync(Standby, 4, "other-bucket", None);
        await store.PutCheckpointAsync("eu-west-1", 3, "other-region", None);

        // Assert
        Assert.Null(before);
        Assert.Equal("pos-2", await store.GetCheckpointAsync(Standby, 3, None));
        Assert.Equal("other-bucket", await store.GetCheckpointAsync(Standby, 4, None));
        Assert.Equal("other-region", await store.GetCheckpointAsync("eu-west-1", 3, None));
    }

    [Fact]
    public async Task ParkUnparkList_UsersAndGroups_ListedPerRegionUntilUnparked()
    {
        // Arrange
        var store = await NewStoreAsync();
        var user = new ParkedEntity { Entity = EntityId.ForUser("jane#1@example.com"), Code = "SchemaMismatch", Reason = "Standby lacks custom:tier", Version = 42, ParkedAt = T0 };
        var group = new ParkedEntity { Entity = EntityId.ForGroup("admins"), Code = "InvalidParameterException", Reason = "Role ARN rejected", Version = 7, ParkedAt = T0.AddMinutes(1) };
        var elsewhere = user with { Code = "Elsewhere" };

        // Act
        await store.ParkAsync(Standby, user, None);
        await store.ParkAsync(Standby, group, None);
        await store.ParkAsync("eu-west-1", elsewhere, None);
        var parked = await ListAsync(store, Standby);
        await store.UnparkAsync(Standby, user.Entity, None);
        var afterUnpark = await ListAsync(store, Standby);

        // Assert
        Assert.Equal([group, user], parked.OrderBy(p => p.Entity.Kind == EntityKind.User));
        Assert.Equal([group], afterUnpark);
        Assert.Equal([elsewhere], await ListAsync(store, "eu-west-1"));
    }

    [Fact]
    public async Task ParkAsync_SameEntityAgain_ReplacesTheReason()
    {
        // Arrange
        var store = await NewStoreAsync();
        var first = new ParkedEntity { Entity = EntityId.ForUser("jane"), Code = "A", Reason = "first", Version = 1, ParkedAt = T0 };

        // Act
        await store.ParkAsync(Standby, first, None);
        await store.ParkAsync(Standby, first with { Code = "B", Reason = "second", Version = 2 }, None);

        // Assert
        var parked = Assert.Single(await ListAsync(store, Standby));
        Assert.Equal(("B", "second", 2L), (parked.Code, parked.Reason, parked.Version));
    }

    [Fact]
    public async Task UnparkAsync_NothingParked_DoesNotThrow()
    {
        // Arrange
        var store = await NewStoreAsync();

        // Act
        var failure = await Record.ExceptionAsync(() => store.UnparkAsync(Standby, EntityId.ForUser("nobody"), None));

        // Assert
        Assert.Null(failure);
    }

    private static AppliedState Applied(string key, long profileVersion, long groupsVersion) =>
        new() { Entity = EntityId.ForUser(key), ProfileVersion = profileVersion, GroupsVersion = groupsVersion };

    private static async Task<List<ParkedEntity>> ListAsync(IReplicaStateStore store, string region)
    {
        var list = new List<ParkedEntity>();
        await foreach (var parked in store.ListParkedAsync(region, None))
        {
            list.Add(parked);
        }

        return list;
    }

    private async Task<DynamoDbReplicaStateStore> NewStoreAsync() => new(dynalite.Client, await dynalite.NewTableAsync());
}
