using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Reconciler.Tests.Feed;

/// <summary>
/// The feed poller beside another worker, on a real mirror table (dynalite, so the apply lease's conditional writes run
/// on the wire): an entry whose lease another worker holds waits — retried, never parked, never counted as a failure,
/// never passed by the checkpoint — and two workers reading the same feed apply each change once.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class FeedPollerTwoWorkersTests(DynaliteFixture fixture)
{
    private const string OtherWorker = "other-host/99/ffffffffffff";

    [Fact]
    public async Task PollOnceAsync_EntityAnotherWorkerIsApplying_WaitsUnparkedAndThePositionDoesNotPassIt()
    {
        // Arrange: another worker holds the user's lease, for longer than this poller will try.
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { LookBackInterval = TimeSpan.FromHours(1), CheckpointInterval = TimeSpan.Zero, MaxTransientFailures = 2 });
        var ivy = FeedHarness.NewUser("ivy");
        var snapshot = await harness.RecordAsync(ivy);
        var entity = EntityId.ForUser(ivy.Key);
        var now = TimeProvider.System.GetUtcNow();
        Assert.True((await harness.NewStateStore().TakeApplyLeaseAsync(FeedHarness.Region, entity, OtherWorker, now, now.AddHours(1), CancellationToken.None)).Taken);
        var poller = await harness.StartPollerAsync();

        // Act: more polls than MaxTransientFailures allows failures.
        for (var poll = 0; poll < 4; poll++)
        {
            await poller.PollOnceAsync(CancellationToken.None);
        }

        // Assert: not applied, not parked, not a failure, and the checkpoint stays before it.
        Assert.Null(harness.Counterpart(ivy));
        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Equal(0, harness.Standby.Calls.GetValueOrDefault("FindUser"));
        Assert.Empty(await harness.ParkedAsync());
        Assert.Equal(0, poller.Statistics.Failures);
        Assert.Equal(4, poller.Statistics.Deferred);
        var checkpoint = await harness.CheckpointAsync(FeedHarness.BucketOf(ivy));
        Assert.True(checkpoint is null || string.CompareOrdinal(checkpoint, snapshot.FeedPosition) < 0, $"checkpoint {checkpoint} passed the deferred entry {snapshot.FeedPosition}");

        // Act: the other worker lets go; a poll applies the entry (the engine asks for a lease it found held at most
        // once a second).
        await harness.NewStateStore().ReleaseApplyLeaseAsync(FeedHarness.Region, entity, OtherWorker, CancellationToken.None);
        await Eventually.TrueAsync(
            async () =>
            {
                await poller.PollOnceAsync(CancellationToken.None);
                return harness.Counterpart(ivy) is not null;
            },
            TimeSpan.FromSeconds(10),
            "the entry to apply once the lease is free");

        // Assert
        Assert.NotNull(harness.Counterpart(ivy));
        Assert.Equal(snapshot.FeedPosition, await harness.CheckpointAsync(FeedHarness.BucketOf(ivy)));
        Assert.Equal(snapshot.ProfileVersion, (await harness.NewStateStore().GetAppliedAsync(FeedHarness.Region, entity, CancellationToken.None))!.ProfileVersion);
    }

    [Fact]
    public async Task PollOnceAsync_TwoWorkersOnOneFeed_EachUserIsCreatedOnce()
    {
        // Arrange: two pollers, each with its own engine and state store (two worker processes), on one table and pool.
        var harness = await FeedHarness.CreateAsync(fixture);
        var users = Enumerable.Range(0, 12).Select(i => FeedHarness.NewUser($"twin{i:00}")).ToList();
        foreach (var user in users)
        {
            await harness.RecordAsync(user);
        }

        var first = await harness.StartPollerAsync();
        var second = await harness.StartPollerAsync();

        // Act: both poll at once until neither has anything left to defer.
        await Eventually.TrueAsync(
            async () =>
            {
                await Task.WhenAll(first.PollOnceAsync(CancellationToken.None), second.PollOnceAsync(CancellationToken.None));
                return users.All(u => harness.Counterpart(u) is not null) && first.Behind == TimeSpan.Zero && second.Behind == TimeSpan.Zero;
            },
            TimeSpan.FromSeconds(30),
            "both workers to have applied or skipped every entry");

        // Assert
        Assert.All(users, u => Assert.NotNull(harness.Counterpart(u)));
        Assert.Equal(users.Count, harness.Standby.Calls.GetValueOrDefault("CreateUser"));
        Assert.Equal(0, first.Statistics.Failures + second.Statistics.Failures);
        Assert.Empty(await harness.ParkedAsync());
    }
}
