using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// The items the Core stores keep besides snapshots, pinned on the wire (golden tests): applied state, checkpoints,
/// parked entities, sub mappings, capture hints, sweep requests, the layout and the replication control, with their
/// exact attribute names, types and values (see <see cref="MirrorItemFormatTests"/> for snapshots).
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class MirrorStateItemFormatTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ReplicaStateStore_AppliedCheckpointParkedAndMapping_WritesTheseItems()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbReplicaStateStore(dynalite.Client, options);

        // Act
        await store.RecordAppliedAsync("us-west-2", AppliedJane());
        await store.PutCheckpointAsync("us-west-2", 7, "0638764272050000000#U#jane", None);
        await store.ParkAsync(
            "us-west-2",
            new ParkedEntity { Entity = EntityId.ForUser("jane"), Code = "SchemaMismatch", Reason = "no custom:tier", Version = 42, ParkedAt = T0 },
            None);
        await store.PutSubMappingAsync(Standby, "standby-sub", new SubMapping("jane", "source-sub", "original-sub"), None);
        var applied = await RawAsync(options, "U#jane", "A#us-west-2");
        var checkpoint = await RawAsync(options, "CP#us-west-2", "B#07");
        var parked = await RawAsync(options, "PK#us-west-2", "U#jane");
        var mapping = await RawAsync(options, "MAP#" + Standby + "#standby-sub", "S");

        // Assert
        Assert.Equal(
            """
            at N 638764272000000000
            gh S g-hash
            gv N 20
            ph S p-hash
            pk S U#jane
            pv N 10
            sk S A#us-west-2
            ssub S source-sub
            tsub S standby-sub
            tu S jane-standby
            """,
            applied);
        Assert.Equal(
            """
            pk S CP#us-west-2
            pos S 0638764272050000000#U#jane
            sk S B#07
            """,
            checkpoint);
        Assert.Equal(
            """
            at N 638764272000000000
            code S SchemaMismatch
            pk S PK#us-west-2
            reason S no custom:tier
            sk S U#jane
            v N 42
            """,
            parked);
        Assert.Equal(
            """
            k S jane
            osub S original-sub
            pk S MAP#us-west-2_Standby1#standby-sub
            sk S S
            ssub S source-sub
            """,
            mapping);
    }

    [Fact]
    public async Task HintsSweepsLayoutAndControl_WriteTheseItems()
    {
        // Arrange
        var options = await dynalite.NewTableAsync(feedBuckets: 6);
        var hint = new CaptureHint { Username = "Jane", SourcePoolId = PrimaryPool, Source = CaptureSource.Trigger, FirstSeen = T0, Due = T0.AddSeconds(2), Attempts = 1 };

        // Act
        await new DynamoDbCaptureHintQueue(dynalite.Client, options).EnqueueAsync(hint, None);
        var sweeps = new DynamoDbSweepRequests(dynalite.Client, options);
        await sweeps.RequestAsync(PrimaryPool, T0, None);
        await sweeps.RequestAsync(PrimaryPool, T0.AddSeconds(1), None);
        await new DynamoDbReplicationControlStore(dynalite.Client, options).TryAdvanceAsync(
            new ReplicationControl { Epoch = 2, SourceRegion = "us-west-2", SourcePoolId = Standby, TargetRegion = "us-east-1", TargetPoolId = PrimaryPool, ChangedAt = T0, SourceSince = T0, RunId = "run-1" },
            0,
            None);
        var queued = await RawAsync(options, "HINT", "0638764272020000000#" + PrimaryPool + "#Jane");
        var sweep = await RawAsync(options, "SWEEP#" + PrimaryPool, "S");
        var layout = await RawAsync(options, "META", "META");
        var replicationControl = await RawAsync(options, "CTRL", "REPLICATION");

        // Assert
        Assert.Equal(
            """
            due N 638764272020000000
            exp N 1740916800
            first N 638764272000000000
            n N 1
            pk S HINT
            pool S us-east-1_Primary1
            sk S 0638764272020000000#us-east-1_Primary1#Jane
            src S Trigger
            un S Jane
            """,
            queued);
        Assert.Equal(
            """
            first N 638764272000000000
            last N 638764272010000000
            n N 2
            pk S SWEEP#us-east-1_Primary1
            sk S S
            """,
            sweep);
        Assert.Equal(
            """
            buckets N 6
            layout N 1
            pk S META
            sk S META
            """,
            layout);
        Assert.Equal(
            """
            at N 638764272000000000
            epoch N 2
            pk S CTRL
            run S run-1
            since N 638764272000000000
            sk S REPLICATION
            sp S us-west-2_Standby1
            sr S us-west-2
            tp S us-east-1_Primary1
            tr S us-east-1
            w BOOL true
            """,
            replicationControl);
    }

    [Fact]
    public async Task ReplicaStateStore_ApplyLease_WritesHolderAndExpiryOnTheAppliedStateItem()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbReplicaStateStore(dynalite.Client, options);
        await store.RecordAppliedAsync("us-west-2", AppliedJane());

        // Act
        await store.TakeApplyLeaseAsync("us-west-2", EntityId.ForUser("jane"), "worker-a", T0, T0.AddMinutes(1), None);
        var leased = await RawAsync(options, "U#jane", "A#us-west-2");

        // Assert
        Assert.Equal(
            """
            at N 638764272000000000
            gh S g-hash
            gv N 20
            le N 638764272600000000
            lh S worker-a
            ph S p-hash
            pk S U#jane
            pv N 10
            sk S A#us-west-2
            ssub S source-sub
            tsub S standby-sub
            tu S jane-standby
            """,
            leased);
    }

    private Task<string> RawAsync(MirrorOptions options, string pk, string sk) => RawItemTextAsync(dynalite.Client, options, pk, sk);
}
