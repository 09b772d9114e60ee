using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Failover.Tests.Control;

/// <summary>After a failover the mirror table takes snapshots only from the new source, under the new epoch.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class EpochFencingTests(DynaliteFixture dynalite)
{
    private const string Primary = "us-east-1_Primary1";
    private const string Standby = "us-west-2_Standby1";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public async Task RecordUser_FromThePrimaryAfterFailover_IsRefusedAndTheSnapshotKept()
    {
        var (options, control) = await TableAsync();
        var oldSource = Store(options, control);
        await oldSource.RecordUserAsync(Observation(Primary, "alice", T0, "before"), CancellationToken.None);
        await FailOverAsync(control);

        var error = await Assert.ThrowsAsync<StaleEpochException>(() => Store(options, control).RecordUserAsync(Observation(Primary, "alice", T0.AddMinutes(1), "stale"), CancellationToken.None));

        Assert.Equal(Primary, error.PoolId);
        Assert.Equal(2, error.Epoch);
        Assert.Contains("epoch 2", error.Message, StringComparison.Ordinal);
        var snapshot = await oldSource.GetUserAsync("alice", CancellationToken.None);
        Assert.Equal("before", snapshot!.Profile!.Attributes["name"]);
    }

    [Fact]
    public async Task RecordUser_WriterStillHoldingTheOldEpoch_IsRefusedByTheItemsNewerEpoch()
    {
        var (options, control) = await TableAsync();

        // A writer in the old Region that read the control before the failover and trusts it for an hour.
        var staleDirection = new ReplicationControlReader(control, Configured(), _time, TimeSpan.FromHours(1));
        var stale = new DynamoDbMirrorStore(dynalite.Client, options, _time, staleDirection);
        await stale.RecordUserAsync(Observation(Primary, "bob", T0, "before"), CancellationToken.None);
        await FailOverAsync(control);
        var newSource = Store(options, control);
        await newSource.RecordUserAsync(Observation(Standby, "bob", T0.AddSeconds(10), "after failover"), CancellationToken.None);

        await Assert.ThrowsAsync<StaleEpochException>(() => stale.RecordUserAsync(Observation(Primary, "bob", T0.AddSeconds(20), "stale"), CancellationToken.None));

        var snapshot = await newSource.GetUserAsync("bob", CancellationToken.None);
        Assert.Equal("after failover", snapshot!.Profile!.Attributes["name"]);
        Assert.Equal(Standby, snapshot.SourcePoolId);
        Assert.Equal("2", (await RawAsync(options, "bob"))["ep"].N);
    }

    [Fact]
    public async Task RecordUser_FromTheStandbyAfterFailover_IsRecordedUnderTheNewEpoch()
    {
        var (options, control) = await TableAsync();
        await FailOverAsync(control);

        var outcome = await Store(options, control).RecordUserAsync(Observation(Standby, "carol", T0, "new"), CancellationToken.None);

        Assert.Equal(RecordOutcome.Changed, outcome);
        Assert.Equal("2", (await RawAsync(options, "carol"))["ep"].N);
    }

    [Fact]
    public async Task RecordUser_WhileFenced_IsRefusedFromEitherPool()
    {
        var (options, control) = await TableAsync();
        Assert.True(await control.TryAdvanceAsync(Configured() with { Epoch = 1, Writable = false }, 0, CancellationToken.None));

        await Assert.ThrowsAsync<StaleEpochException>(() => Store(options, control).RecordUserAsync(Observation(Primary, "dave", T0, "x"), CancellationToken.None));
        await Assert.ThrowsAsync<StaleEpochException>(() => Store(options, control).RecordUserAsync(Observation(Standby, "dave", T0, "x"), CancellationToken.None));
    }

    [Fact]
    public async Task RecordGroup_FromThePrimaryAfterFailover_IsRefused()
    {
        var (options, control) = await TableAsync();
        await FailOverAsync(control);

        await Assert.ThrowsAsync<StaleEpochException>(() => Store(options, control).RecordGroupAsync(
            new GroupObservation { Name = "admins", SourcePoolId = Primary, ObservedAt = T0, Source = CaptureSource.Sweep },
            CancellationToken.None));
    }

    [Fact]
    public async Task TryAdvance_SomeoneMovedTheEpochFirst_ReturnsFalseAndKeepsTheirs()
    {
        var (_, control) = await TableAsync();
        Assert.True(await control.TryAdvanceAsync(Configured() with { Epoch = 1, Writable = false, RunId = "first" }, 0, CancellationToken.None));

        var second = await control.TryAdvanceAsync(Configured() with { Epoch = 1, Writable = false, RunId = "second" }, 0, CancellationToken.None);

        Assert.False(second);
        Assert.Equal("first", (await control.GetAsync(CancellationToken.None))!.RunId);
    }

    [Fact]
    public async Task Direction_ControlUnreadable_KeepsTheLastKnownControl()
    {
        var store = new FlakyControlStore { Control = Configured() with { Epoch = 3, SourcePoolId = Standby } };
        var controlReader = new ReplicationControlReader(store, Configured(), _time, TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await controlReader.CurrentAsync(CancellationToken.None)).Epoch);
        store.Fail = true;
        _time.Advance(TimeSpan.FromSeconds(5));

        var current = await controlReader.CurrentAsync(CancellationToken.None);

        Assert.Equal((3L, Standby), (current.Epoch, current.SourcePoolId));
    }

    [Fact]
    public async Task Direction_ReplicaBehindWithAnOlderEpoch_NeverGoesBack()
    {
        var store = new FlakyControlStore { Control = Configured() with { Epoch = 4, SourcePoolId = Standby } };
        var controlReader = new ReplicationControlReader(store, Configured(), _time, TimeSpan.FromSeconds(1));
        await controlReader.CurrentAsync(CancellationToken.None);
        store.Control = Configured() with { Epoch = 2 };
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(4, (await controlReader.CurrentAsync(CancellationToken.None)).Epoch);
    }

    private static ReplicationControl Configured() => new()
    {
        Epoch = 0,
        SourceRegion = "us-east-1",
        SourcePoolId = Primary,
        TargetRegion = "us-west-2",
        TargetPoolId = Standby,
    };

    private async Task<(MirrorOptions Options, DynamoDbReplicationControlStore Control)> TableAsync()
    {
        var options = await dynalite.NewTableAsync();
        return (options, new DynamoDbReplicationControlStore(dynalite.Client, options));
    }

    /// <summary>What the fence and reverse steps write: epoch 1 fenced, then epoch 2 with the standby as the source.</summary>
    private async Task FailOverAsync(IReplicationControlStore control)
    {
        Assert.True(await control.TryAdvanceAsync(Configured() with { Epoch = 1, Writable = false, ChangedAt = _time.GetUtcNow() }, 0, CancellationToken.None));
        Assert.True(await control.TryAdvanceAsync(
            new ReplicationControl { Epoch = 2, SourceRegion = "us-west-2", SourcePoolId = Standby, TargetRegion = "us-east-1", TargetPoolId = Primary, ChangedAt = _time.GetUtcNow() },
            1,
            CancellationToken.None));
    }

    private DynamoDbMirrorStore Store(MirrorOptions options, IReplicationControlStore control) =>
        new(dynalite.Client, options, _time, new ReplicationControlReader(control, Configured(), _time));

    private static UserObservation Observation(string pool, string key, DateTimeOffset at, string name) => new()
    {
        Key = key,
        Username = key,
        SourcePoolId = pool,
        ObservedAt = at,
        Source = CaptureSource.Trigger,
        Profile = new UserProfile(new Dictionary<string, string> { ["name"] = name }, enabled: true, UserStatuses.Confirmed),
    };

    private async Task<Dictionary<string, AttributeValue>> RawAsync(MirrorOptions options, string key) =>
        (await dynalite.Client.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "U#" + key }, ["sk"] = new() { S = "S" } },
            ConsistentRead = true,
        })).Item;

    private sealed class FlakyControlStore : IReplicationControlStore
    {
        public ReplicationControl? Control { get; set; }

        public bool Fail { get; set; }

        public Task<ReplicationControl?> GetAsync(CancellationToken cancellationToken) =>
            Fail ? throw new MirrorStoreException("unreachable") : Task.FromResult(Control);

        public Task<bool> TryAdvanceAsync(ReplicationControl next, long expectedEpoch, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
