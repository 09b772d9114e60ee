using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// Taking over a dead holder's apply lease, on the wire: a refusal names the holder; a takeover from a named dead holder
/// succeeds before its expiry while that holder still holds the lease, and is refused once another took it. And the
/// DynamoDB store's lease conditions, as dynalite evaluates them, agree with the in-memory store the engine's tests use,
/// over any sequence of takes, takeovers, renewals, releases and records.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbApplyLeaseTakeoverTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2";
    private const string WorkerA = "host@pid:[1]/11/1796646000000/aaaaaaaaaaaa";
    private const string WorkerB = "host@pid:[1]/22/1796646000000/bbbbbbbbbbbb";
    private const string WorkerC = "elsewhere@pid:[1]/33/1796646000000/cccccccccccc";
    private static readonly string[] Workers = [WorkerA, WorkerB, WorkerC];
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly EntityId Jane = EntityId.ForUser("jane");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task TakeApplyLeaseAsync_AnotherHoldsIt_RefusalNamesTheHolder()
    {
        // Arrange
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, T0 + Lease, None);

        // Act
        var grant = await store.TakeApplyLeaseAsync(Standby, Jane, WorkerA, T0.AddSeconds(1), T0.AddSeconds(1) + Lease, None);

        // Assert
        Assert.False(grant.Taken);
        Assert.Equal(WorkerB, grant.Holder);
    }

    [Fact]
    public async Task TakeOverApplyLeaseAsync_TheDeadHolderStillHoldsIt_TakenBeforeItsExpiryWithWhatIsApplied()
    {
        // Arrange: B recorded Jane once, then took her lease again and was killed.
        var store = await NewStoreAsync();
        await store.RecordAppliedAsync(Standby, AppliedJane(), WorkerB);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, T0 + Lease, None);

        // Act: B's successor takes it over a second later, well before it runs out.
        var grant = await store.TakeOverApplyLeaseAsync(Standby, Jane, WorkerA, WorkerB, T0.AddSeconds(1), T0.AddSeconds(1) + Lease, None);

        // Assert: the successor holds it; the dead holder could no longer record.
        Assert.True(grant.Taken);
        Assert.Equal(AppliedJane(), grant.Applied);
        Assert.Equal(AppliedRecord.LeaseLost, await store.PutAppliedAsync(Standby, AppliedJane(), WorkerB, None));
        Assert.Equal(AppliedRecord.Recorded, await store.PutAppliedAsync(Standby, AppliedJane(), WorkerA, None));
    }

    [Fact]
    public async Task TakeOverApplyLeaseAsync_AnotherTookItFromTheDeadHolderMeanwhile_RefusedAndNamesIt()
    {
        // Arrange: B died holding the lease; C, elsewhere, took it once it ran out.
        var store = await NewStoreAsync();
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerB, T0, T0 + Lease, None);
        var later = T0 + Lease + TimeSpan.FromSeconds(1);
        await store.TakeApplyLeaseAsync(Standby, Jane, WorkerC, later, later + Lease, None);

        // Act
        var grant = await store.TakeOverApplyLeaseAsync(Standby, Jane, WorkerA, WorkerB, later, later + Lease, None);

        // Assert
        Assert.False(grant.Taken);
        Assert.Equal(WorkerC, grant.Holder);
    }

    [Fact]
    public async Task LeaseOperations_AnySequence_DynamoDbStoreAgreesWithTheInMemoryStore()
    {
        var operations =
            from kind in Gen.Int[0, 4]
            from worker in Gen.Int[0, 2]
            from dead in Gen.Int[0, 2]
            from seconds in Gen.Int[0, 4]
            from version in Gen.Int[1, 3]
            select new Operation(kind, worker, dead, seconds, version);

        await operations.Array[1, 10].SampleAsync(
            async sequence =>
            {
                // Arrange
                var dynamo = await NewStoreAsync();
                var memory = new InMemoryReplicaState();
                var now = T0;

                foreach (var operation in sequence)
                {
                    // Act: the same operation on both stores.
                    now += TimeSpan.FromSeconds(operation.Seconds);
                    var onDynamo = await operation.RunAsync(dynamo, now);
                    var inMemory = await operation.RunAsync(memory, now);

                    // Assert
                    Assert.Equal(inMemory, onDynamo);
                }

                Assert.Equal(await memory.GetAppliedAsync(Standby, Jane, None), await dynamo.GetAppliedAsync(Standby, Jane, None));
            },
            iter: 60);
    }

    private async Task<DynamoDbReplicaStateStore> NewStoreAsync() => new(dynalite.Client, await dynalite.NewTableAsync());

    internal sealed record Operation(int Kind, int Worker, int Dead, int Seconds, int Version)
    {
        private string Holder => Workers[Worker];

        public async Task<string> RunAsync(IReplicaStateStore store, DateTimeOffset now)
        {
            switch (Kind)
            {
                case 0:
                    return Show(await store.TakeApplyLeaseAsync(Standby, Jane, Holder, now, now + Lease, None));
                case 1:
                    return Show(await store.TakeOverApplyLeaseAsync(Standby, Jane, Holder, Workers[Dead], now, now + Lease, None));
                case 2:
                    return $"renewed {await store.RenewApplyLeaseAsync(Standby, Jane, Holder, now + Lease, None)}";
                case 3:
                    await store.ReleaseApplyLeaseAsync(Standby, Jane, Holder, None);
                    return "released";
                default:
                    var applied = AppliedJane() with { ProfileVersion = Version, GroupsVersion = Version, AppliedAt = now };
                    return $"recorded {await store.PutAppliedAsync(Standby, applied, Holder, None)}";
            }
        }

        public override string ToString() => $"{(Kind switch { 0 => "take", 1 => $"takeover-from-{Dead}", 2 => "renew", 3 => "release", _ => $"record-v{Version}" })} by {Worker} +{Seconds}s";

        private static string Show(ApplyLeaseGrant grant) =>
            grant.Taken ? $"taken applied={grant.Applied?.ProfileVersion}" : $"refused holder={grant.Holder}";
    }
}
