using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Sweep;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Sweep;

/// <summary>The sweep reads the pool the replication control item names as the source, as capture does.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class SweepDirectionTests(DynaliteFixture dynalite)
{
    private const string PrimaryPool = "us-east-1_Primary1";
    private const string StandbyPool = "us-west-2_Standby1";

    [Fact]
    public async Task RunOnceAsync_NoControlItem_SweepsTheConfiguredPrimary()
    {
        var (sweep, primary, standby, store, _) = await ArrangeAsync();
        primary.Seed("ann", Attributes("ann"));
        standby.Seed("bob", Attributes("bob"));

        var result = await sweep.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Recorded);
        Assert.Equal(PrimaryPool, (await store.GetUserAsync("ann", CancellationToken.None))?.SourcePoolId);
        Assert.Null(await store.GetUserAsync("bob", CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_AfterFailover_SweepsTheNewSourceAndTheMirrorAcceptsIt()
    {
        var (sweep, primary, standby, store, control) = await ArrangeAsync();
        Assert.True(await control.TryAdvanceAsync(Reversed(writable: true), 0, CancellationToken.None));
        primary.Seed("ann", Attributes("ann"));
        standby.Seed("bob", Attributes("bob"));

        var result = await sweep.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Users);
        Assert.Equal(StandbyPool, (await store.GetUserAsync("bob", CancellationToken.None))?.SourcePoolId);
        Assert.Null(await store.GetUserAsync("ann", CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_WhileFenced_RecordsNothing()
    {
        var (sweep, primary, _, store, control) = await ArrangeAsync();
        Assert.True(await control.TryAdvanceAsync(Reversed(writable: false), 0, CancellationToken.None));
        primary.Seed("ann", Attributes("ann"));

        var result = await sweep.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, result.Users);
        Assert.Null(await store.GetUserAsync("ann", CancellationToken.None));
    }

    private async Task<(PrimarySweep Sweep, InMemoryUserDirectory Primary, InMemoryUserDirectory Standby, DynamoDbMirrorStore Store, DynamoDbReplicationControlStore Control)> ArrangeAsync()
    {
        var options = await dynalite.NewTableAsync();
        var control = new DynamoDbReplicationControlStore(dynalite.Client, options);
        var configured = new ReplicationControl { Epoch = 0, SourceRegion = "us-east-1", SourcePoolId = PrimaryPool, TargetRegion = "us-west-2", TargetPoolId = StandbyPool };
        var direction = new ReplicationDirection(control, configured, TimeProvider.System, TimeSpan.Zero);
        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System, direction);
        var primary = new InMemoryUserDirectory(PrimaryPool);
        var standby = new InMemoryUserDirectory(StandbyPool);
        var sweep = new PrimarySweep(primary, store, store, usernamesCaseSensitive: false, new SweepOptions(), TimeProvider.System, NullLogger<PrimarySweep>.Instance,
            direction, [new SweepSource(standby, store, store)]);
        return (sweep, primary, standby, store, control);
    }

    private static Dictionary<string, string> Attributes(string name) => new(StringComparer.Ordinal)
    {
        ["sub"] = $"{name}-sub",
        ["email"] = $"{name}@example.com",
    };

    private static ReplicationControl Reversed(bool writable) => new()
    {
        Epoch = 1,
        SourceRegion = "us-west-2",
        SourcePoolId = StandbyPool,
        TargetRegion = "us-east-1",
        TargetPoolId = PrimaryPool,
        Writable = writable,
        ChangedAt = TimeProvider.System.GetUtcNow(),
    };
}
