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

    [Fact]
    public async Task SweepService_AfterFailoverASweepOfTheStandbyIsRequested_SweepsItAndAnswersTheRequest()
    {
        var (sweep, _, standby, store, control, options) = await ArrangeWithOptionsAsync();
        Assert.True(await control.TryAdvanceAsync(Reversed(writable: true), 0, CancellationToken.None));
        standby.Seed("bob", Attributes("bob"));
        var requests = new AnsweredRequests(new DynamoDbSweepRequests(dynalite.Client, options));
        await requests.RequestAsync(StandbyPool, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        using var service = new SourceSweepService(sweep, requests, [PrimaryPool, StandbyPool], new SweepOptions { Interval = TimeSpan.FromHours(1) }, TimeProvider.System, NullLogger<SourceSweepService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await requests.Answered(StandbyPool).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(StandbyPool, (await store.GetUserAsync("bob", CancellationToken.None))?.SourcePoolId);
        Assert.Null(await requests.PendingAsync(StandbyPool, CancellationToken.None));
    }

    private async Task<(SourceSweep Sweep, InMemoryUserDirectory Primary, InMemoryUserDirectory Standby, DynamoDbMirrorStore Store, DynamoDbReplicationControlStore Control)> ArrangeAsync()
    {
        var (sweep, primary, standby, store, control, _) = await ArrangeWithOptionsAsync();
        return (sweep, primary, standby, store, control);
    }

    private async Task<(SourceSweep Sweep, InMemoryUserDirectory Primary, InMemoryUserDirectory Standby, DynamoDbMirrorStore Store, DynamoDbReplicationControlStore Control, MirrorOptions Options)> ArrangeWithOptionsAsync()
    {
        var options = await dynalite.NewTableAsync();
        var control = new DynamoDbReplicationControlStore(dynalite.Client, options);
        var configured = new ReplicationControl { Epoch = 0, SourceRegion = "us-east-1", SourcePoolId = PrimaryPool, TargetRegion = "us-west-2", TargetPoolId = StandbyPool };
        var controlReader = new ReplicationControlReader(control, configured, TimeProvider.System, TimeSpan.Zero);
        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System, controlReader);
        var primary = new InMemoryUserDirectory(PrimaryPool);
        var standby = new InMemoryUserDirectory(StandbyPool);
        var sweep = new SourceSweep(primary, store, store, usernamesCaseSensitive: false, new SweepOptions(), TimeProvider.System, NullLogger<SourceSweep>.Instance,
            controlReader, [new SweepSource(standby, store, store)]);
        return (sweep, primary, standby, store, control, options);
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

    /// <summary>Sweep requests that signal when the service answers one.</summary>
    private sealed class AnsweredRequests(ISweepRequests inner) : ISweepRequests
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _answered = new(StringComparer.Ordinal);

        public Task Answered(string poolId) => Signal(poolId).Task;

        public Task RequestAsync(string poolId, DateTimeOffset at, CancellationToken cancellationToken) => inner.RequestAsync(poolId, at, cancellationToken);

        public Task<SweepRequest?> PendingAsync(string poolId, CancellationToken cancellationToken) => inner.PendingAsync(poolId, cancellationToken);

        public async Task CompleteAsync(string poolId, DateTimeOffset sweepStartedAt, CancellationToken cancellationToken)
        {
            await inner.CompleteAsync(poolId, sweepStartedAt, cancellationToken);
            Signal(poolId).TrySetResult();
        }

        private TaskCompletionSource Signal(string poolId) =>
            _answered.GetOrAdd(poolId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
