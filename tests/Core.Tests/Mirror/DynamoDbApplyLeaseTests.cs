using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// The apply lease on the wire: its conditional expressions as dynalite evaluates them. Taken when nobody holds it, its
/// holder's expiry has passed, or the asker holds it; renewed and released only by its holder; released by the record of
/// the applied version, which only its holder may write.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbApplyLeaseTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2";
    private const string WorkerA = "host-a/11/aaaaaaaaaaaa";
    private const string WorkerB = "host-b/22/bbbbbbbbbbbb";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly EntityId Jane = EntityId.ForUser("jane");
    private static readonly DateTimeOffset Until = T0.AddMinutes(1);

    [Fact]
    public async Task TakeApplyLeaseAsync_EntityAppliedBefore_TakenWithWhatIsApplied()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane(), WorkerB);

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Assert
        Assert.True(grant.Taken);
        Assert.Equal(AppliedJane(), grant.Applied);
    }

    [Fact]
    public async Task TakeApplyLeaseAsync_EntityNeverApplied_TakenAndStillNothingApplied()
    {
        // Arrange
        var store = await NewStoreAsync();

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Assert
        Assert.True(grant.Taken);
        Assert.Null(grant.Applied);
        Assert.Null(await store.GetAppliedAsync(Standby, Jane, None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public async Task TakeApplyLeaseAsync_AnotherHoldsItAndItHasNotRunOut_Refused(int secondsLater)
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane(), WorkerB);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None);

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0.AddSeconds(secondsLater), T0.AddSeconds(secondsLater + 60), None);

        // Assert
        Assert.False(grant.Taken);
        Assert.Null(grant.Applied);
    }

    [Fact]
    public async Task TakeApplyLeaseAsync_AnotherHeldItButItRanOut_Taken()
    {
        // Arrange: worker B died holding the lease.
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None);

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, Until.AddTicks(1), Until.AddMinutes(1), None);

        // Assert
        Assert.True(grant.Taken);
        Assert.Equal(AppliedRecord.LeaseLost, await store.PutAppliedAsync(Standby, AppliedJane(), WorkerB, None));
        Assert.Equal(AppliedRecord.Recorded, await store.PutAppliedAsync(Standby, AppliedJane(), WorkerA, None));
    }

    [Fact]
    public async Task TakeApplyLeaseAsync_TheAskerHoldsItAlready_Taken()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0.AddSeconds(1), Until.AddSeconds(1), None);

        // Assert
        Assert.True(grant.Taken);
    }

    [Fact]
    public async Task PutAppliedAsync_UnderTheLease_RecordsAndReleasesIt()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        var outcome = await store.PutAppliedAsync(Standby, AppliedJane(), WorkerA, None);

        // Assert: recorded, and another worker may take the lease at once.
        Assert.Equal(AppliedRecord.Recorded, outcome);
        Assert.Equal(AppliedJane(), await store.GetAppliedAsync(Standby, Jane, None));
        Assert.True((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None)).Taken);
    }

    [Fact]
    public async Task PutAppliedAsync_WithoutTheLease_LeaseLostAndNothingWritten()
    {
        // Arrange: worker B holds the lease; worker A never took it.
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane() with { ProfileVersion = 5, TargetUsername = "recorded" }, WorkerB);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None);

        // Act
        var outcome = await store.PutAppliedAsync(Standby, AppliedJane() with { TargetUsername = "by-a" }, WorkerA, None);

        // Assert: nothing written, and B's lease stands.
        Assert.Equal(AppliedRecord.LeaseLost, outcome);
        Assert.Equal("recorded", (await store.GetAppliedAsync(Standby, Jane, None))!.TargetUsername);
        Assert.False((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None)).Taken);
    }

    [Fact]
    public async Task PutAppliedAsync_OlderThanWhatIsRecorded_NewerKeptAndTheLeaseReleased()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane() with { ProfileVersion = 30, TargetUsername = "newer" }, WorkerB);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        var outcome = await store.PutAppliedAsync(Standby, AppliedJane() with { TargetUsername = "older" }, WorkerA, None);

        // Assert
        Assert.Equal(AppliedRecord.NewerKept, outcome);
        Assert.Equal("newer", (await store.GetAppliedAsync(Standby, Jane, None))!.TargetUsername);
        Assert.True((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None)).Taken);
    }

    [Fact]
    public async Task RenewApplyLeaseAsync_StillHeld_MovesTheExpiry()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        var renewed = await store.RenewApplyLeaseAsync(Standby, Jane, WorkerA, Until.AddMinutes(1), None);

        // Assert: after the first expiry, the lease still holds until the second.
        Assert.True(renewed);
        Assert.False((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, Until.AddSeconds(30), Until.AddSeconds(90), None)).Taken);
        Assert.True((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, Until.AddMinutes(1).AddTicks(1), Until.AddMinutes(2), None)).Taken);
    }

    [Fact]
    public async Task RenewApplyLeaseAsync_TakenOverOrReleased_False()
    {
        // Arrange: A's lease ran out and B took it; nobody ever held C's.
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, Until.AddSeconds(1), Until.AddMinutes(1), None);

        // Act
        var renewedByA = await store.RenewApplyLeaseAsync(Standby, Jane, WorkerA, Until.AddMinutes(2), None);
        await store.ReleaseApplyLeaseAsync(Standby, Jane, WorkerB, None);
        var renewedByB = await store.RenewApplyLeaseAsync(Standby, Jane, WorkerB, Until.AddMinutes(2), None);

        // Assert
        Assert.False(renewedByA);
        Assert.False(renewedByB);
    }

    [Fact]
    public async Task ReleaseApplyLeaseAsync_EntityNeverApplied_LeavesNoItem()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbReplicaStateStore(dynalite.Client, options);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        await store.ReleaseApplyLeaseAsync(Standby, Jane, WorkerA, None);

        // Assert
        var item = await dynalite.Client.GetItemAsync(options.TableName, new() { ["pk"] = new() { S = "U#jane" }, ["sk"] = new() { S = "A#us-west-2" } }, true, None);
        Assert.True(item.Item is null or { Count: 0 });
    }

    [Fact]
    public async Task ReleaseApplyLeaseAsync_ByTheHolder_KeepsWhatIsAppliedAndFreesTheLease()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane(), WorkerA);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None);

        // Act
        await store.ReleaseApplyLeaseAsync(Standby, Jane, WorkerA, None);

        // Assert
        Assert.Equal(AppliedJane(), await store.GetAppliedAsync(Standby, Jane, None));
        Assert.True((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None)).Taken);
    }

    [Fact]
    public async Task ReleaseApplyLeaseAsync_NotTheHolder_LeavesTheLease()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, Until, None);

        // Act
        await store.ReleaseApplyLeaseAsync(Standby, Jane, WorkerA, None);

        // Assert
        Assert.False((await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0, Until, None)).Taken);
    }

    private async Task<DynamoDbReplicaStateStore> NewStoreAsync() => new(dynalite.Client, await dynalite.NewTableAsync());
}
