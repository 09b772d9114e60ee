using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Feed;

/// <summary>The feed poller against a real mirror table (dynalite): apply, resume, retry, park.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class FeedPollerTests(DynaliteFixture fixture)
{
    private static readonly DirectoryGroup Editors = new("editors", "Can edit articles", 5, "arn:aws:iam::123456789012:role/editors");

    /// <summary>Only the first poll re-reads the look-back window: a retry can only come from the bucket position.</summary>
    private static ReconcilerOptions NoLookBackAfterStart(int maxTransientFailures = 10) => new()
    {
        LookBackInterval = TimeSpan.FromHours(1),
        CheckpointInterval = TimeSpan.Zero,
        MaxTransientFailures = maxTransientFailures,
    };

    private static Exception Throttled() => CognitoErrors.Create("TooManyRequestsException", "Rate exceeded");

    [Fact]
    public async Task PollOnceAsync_RecordedObservations_AreAppliedToTheStandby()
    {
        var harness = await FeedHarness.CreateAsync(fixture);
        var alice = FeedHarness.NewUser("alice");
        var bob = FeedHarness.NewUser("bob");
        await harness.RecordGroupAsync(Editors);
        var aliceAttributes = alice.Attributes();
        aliceAttributes["custom:plan"] = "pro";
        await harness.RecordAsync(alice, aliceAttributes, groups: ["editors"]);
        await harness.RecordAsync(bob, status: UserStatuses.ForceChangePassword);
        var poller = await harness.StartPollerAsync();

        var handled = await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(3, handled);
        var aliceStandby = harness.Counterpart(alice);
        Assert.NotNull(aliceStandby);
        Assert.Equal(aliceAttributes.OrderBy(a => a.Key, StringComparer.Ordinal), aliceStandby.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(UserStatuses.Confirmed, aliceStandby.Status);
        Assert.Equal(["editors"], await harness.Standby.ListGroupsForUserAsync(aliceStandby.Username, CancellationToken.None));
        Assert.Equal(Editors, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
        Assert.Equal(UserStatuses.ForceChangePassword, harness.Counterpart(bob)?.Status);
        var mapping = await harness.NewStateStore().GetAppliedAsync(FeedHarness.Region, EntityId.ForUser(alice.Key), CancellationToken.None);
        Assert.Equal(aliceStandby.Sub, mapping?.TargetSub);
        Assert.Equal(alice.Sub, mapping?.SourceSub);
    }

    [Fact]
    public async Task PollOnceAsync_EntriesTheRouteDoesNotAccept_AreSkippedWithoutACognitoCallAndPassed()
    {
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart());
        var dora = FeedHarness.NewUser("dora");
        await harness.RecordAsync(dora);
        var poller = harness.NewPoller(accept: _ => false);
        await poller.InitializeAsync(CancellationToken.None);

        var first = await poller.PollOnceAsync(CancellationToken.None);
        var second = await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first, second));
        Assert.Null(harness.Counterpart(dora));
        Assert.Equal(1, poller.Statistics.Skipped);
        Assert.Equal(0, harness.Standby.WriteCalls);
    }

    [Fact]
    public async Task PollOnceAsync_Tombstone_DeletesTheStandbyUser()
    {
        var harness = await FeedHarness.CreateAsync(fixture);
        var carl = FeedHarness.NewUser("carl");
        await harness.RecordAsync(carl);
        var poller = await harness.StartPollerAsync();
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.NotNull(harness.Counterpart(carl));

        await harness.RecordDeletionAsync(carl);
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.Null(harness.Counterpart(carl));
        Assert.Equal(1, harness.Standby.Calls.GetValueOrDefault("DeleteUser"));
    }

    [Fact]
    public async Task PollOnceAsync_EntriesInEveryBucket_AreAllApplied()
    {
        var harness = await FeedHarness.CreateAsync(fixture);
        var users = Enumerable.Range(0, 2 * FeedHarness.Buckets)
            .Select(i => FeedHarness.NewUser($"user{i}", bucket: i % FeedHarness.Buckets))
            .ToList();
        foreach (var user in users)
        {
            await harness.RecordAsync(user);
        }

        var poller = await harness.StartPollerAsync();

        var handled = await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(users.Count, handled);
        Assert.Equal(FeedHarness.Buckets, users.Select(FeedHarness.BucketOf).Distinct().Count());
        Assert.All(users, user => Assert.NotNull(harness.Counterpart(user)));
        Assert.Equal(users.Count, poller.Statistics.Applied);
    }

    [Fact]
    public async Task PollOnceAsync_MoreEntriesThanOnePage_AreAllAppliedAndThePositionReachesTheLast()
    {
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { BatchSize = 2, CheckpointInterval = TimeSpan.Zero });
        var users = Enumerable.Range(0, 5).Select(i => FeedHarness.NewUser($"paged{i}", bucket: 1)).ToList();
        var last = default(UserSnapshot);
        foreach (var user in users)
        {
            last = await harness.RecordAsync(user);
        }

        var poller = await harness.StartPollerAsync();

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.All(users, user => Assert.NotNull(harness.Counterpart(user)));
        Assert.Equal(last!.FeedPosition, await harness.CheckpointAsync(1));
    }

    [Fact]
    public async Task PollOnceAsync_StaleCopyOfAnEntityInTheSamePage_AppliesOnlyTheNewest()
    {
        var harness = await FeedHarness.CreateAsync(fixture);
        var dora = FeedHarness.NewUser("dora");
        var old = dora.Attributes();
        old["given_name"] = "Old";
        var oldSnapshot = await harness.RecordAsync(dora, old);
        var current = dora.Attributes();
        current["given_name"] = "Current";
        var newSnapshot = await harness.RecordAsync(dora, current);
        var mirror = new StaleCopiesMirror(harness.Mirror);
        mirror.AddStaleCopy(new FeedEntry(oldSnapshot.FeedPosition!, oldSnapshot, null));
        var poller = await harness.StartPollerAsync(mirror);

        var handled = await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(2, handled);
        Assert.True(string.CompareOrdinal(oldSnapshot.FeedPosition, newSnapshot.FeedPosition) < 0);
        Assert.Equal(1, poller.Statistics.Applied);
        Assert.Equal(0, poller.Statistics.Skipped + poller.Statistics.InSync);
        Assert.Equal("Current", harness.Counterpart(dora)?.Attributes["given_name"]);
        Assert.Equal(0, harness.Standby.Calls.GetValueOrDefault("UpdateAttributes"));
    }

    [Fact]
    public async Task PollOnceAsync_NewPollerAfterRestart_ResumesFromCheckpointsWithoutRecreatingUsers()
    {
        var harness = await FeedHarness.CreateAsync(fixture);
        var eli = FeedHarness.NewUser("eli", bucket: 0);
        var fin = FeedHarness.NewUser("fin", bucket: 3);
        var eliSnapshot = await harness.RecordAsync(eli);
        var finSnapshot = await harness.RecordAsync(fin);
        var first = await harness.StartPollerAsync();
        await first.PollOnceAsync(CancellationToken.None);
        Assert.Equal(eliSnapshot.FeedPosition, await harness.CheckpointAsync(0));
        Assert.Equal(finSnapshot.FeedPosition, await harness.CheckpointAsync(3));
        harness.Standby.ResetCalls();

        var restarted = harness.NewPoller();
        var (resumed, _) = await restarted.InitializeAsync(CancellationToken.None);
        var rereadHandled = await restarted.PollOnceAsync(CancellationToken.None);

        // The look-back window is re-read: both entries are seen again, and only skipped.
        Assert.Equal(2, resumed);
        Assert.Equal(2, rereadHandled);
        Assert.Equal(2, restarted.Statistics.Skipped);
        Assert.Equal(0, restarted.Statistics.Applied);
        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Equal(2, harness.Standby.Users.Count);

        var gil = FeedHarness.NewUser("gil", bucket: 0);
        await harness.RecordAsync(gil);
        await restarted.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(gil));
        Assert.Equal(1, harness.Standby.Calls.GetValueOrDefault("CreateUser"));
        Assert.Equal(3, harness.Standby.Users.Count);
    }

    [Fact]
    public async Task PollOnceAsync_TransientFailure_IsRetriedOnTheNextPollAndThePositionDoesNotPassIt()
    {
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart());
        var hugo = FeedHarness.NewUser("hugo");
        var snapshot = await harness.RecordAsync(hugo);
        var bucket = FeedHarness.BucketOf(hugo);
        harness.Standby.FailNext("CreateUser", Throttled());
        var poller = await harness.StartPollerAsync();

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.Null(harness.Counterpart(hugo));
        Assert.Equal(1, poller.Statistics.Failures);
        var checkpoint = await harness.CheckpointAsync(bucket);
        Assert.True(checkpoint is null || string.CompareOrdinal(checkpoint, snapshot.FeedPosition) < 0, $"checkpoint {checkpoint} passed the failed entry {snapshot.FeedPosition}");
        Assert.Empty(await harness.ParkedAsync());

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(hugo));
        Assert.Equal(snapshot.FeedPosition, await harness.CheckpointAsync(bucket));
    }

    [Fact]
    public async Task PollOnceAsync_EntityFailingMaxTransientFailuresTimes_IsParkedAndLaterEntriesProceed()
    {
        const int bucket = 2;
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart(maxTransientFailures: 3));
        var before = FeedHarness.NewUser("before", bucket);
        var stuck = FeedHarness.NewUser("stuck", bucket);
        var after = FeedHarness.NewUser("after", bucket);
        var beforeSnapshot = await harness.RecordAsync(before);
        var stuckSnapshot = await harness.RecordAsync(stuck);
        var afterSnapshot = await harness.RecordAsync(after);
        var attempts = 0;
        harness.Intercepted.Before = (operation, subject) =>
        {
            if (operation == "CreateUser" && subject == stuck.Email)
            {
                Interlocked.Increment(ref attempts);
                throw Throttled();
            }
        };
        var poller = await harness.StartPollerAsync();

        // Attempts 1 and 2: the entries around it apply, the position stays just before it.
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.NotNull(harness.Counterpart(before));
        Assert.NotNull(harness.Counterpart(after));
        AssertJustBefore(stuckSnapshot.FeedPosition!, beforeSnapshot.FeedPosition!, await harness.CheckpointAsync(bucket));
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(2, attempts);
        AssertJustBefore(stuckSnapshot.FeedPosition!, beforeSnapshot.FeedPosition!, await harness.CheckpointAsync(bucket));
        Assert.Empty(await harness.ParkedAsync());

        // Attempt 3 reaches MaxTransientFailures: parked, and the bucket moves on.
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(3, attempts);
        var parked = Assert.Single(await harness.ParkedAsync());
        Assert.Equal(EntityId.ForUser(stuck.Key), parked.Entity);
        Assert.Equal("TransientFailuresExhausted", parked.Code);
        Assert.Contains("3 times", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("TooManyRequestsException", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("'idrep drift --repair'", parked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("sweep", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(stuckSnapshot.ProfileVersion, parked.Version);
        Assert.Equal(afterSnapshot.FeedPosition, await harness.CheckpointAsync(bucket));

        var later = FeedHarness.NewUser("later", bucket);
        await harness.RecordAsync(later);
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(later));
        Assert.Null(harness.Counterpart(stuck));
        Assert.Equal(3, attempts);
    }

    /// <summary>
    /// A permission error is systemic ("Systemic problems (permissions, the table) never park anything"): however
    /// often it repeats, nothing is parked; the poll fails so the service backs off and warns; once the role is fixed
    /// the entry applies.
    /// </summary>
    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("ExpiredTokenException")]
    public async Task PollOnceAsync_PermissionErrorBeyondMaxTransientFailures_NeverParksAndFailsThePoll(string code)
    {
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart(maxTransientFailures: 2));
        var pia = FeedHarness.NewUser("pia");
        var snapshot = await harness.RecordAsync(pia);
        var bucket = FeedHarness.BucketOf(pia);
        var denied = true;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (denied && operation == "CreateUser")
            {
                throw CognitoErrors.Create(code, "User is not authorized to perform: cognito-idp:AdminCreateUser");
            }
        };
        var poller = await harness.StartPollerAsync();

        for (var poll = 0; poll < 4; poll++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => poller.PollOnceAsync(CancellationToken.None));
        }

        Assert.Empty(await harness.ParkedAsync());
        Assert.Equal(0, poller.Statistics.Parked);
        Assert.Null(harness.Counterpart(pia));
        var checkpoint = await harness.CheckpointAsync(bucket);
        Assert.True(checkpoint is null || string.CompareOrdinal(checkpoint, snapshot.FeedPosition) < 0, $"checkpoint {checkpoint} passed the failed entry {snapshot.FeedPosition}");

        denied = false;
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(pia));
    }

    [Fact]
    public async Task PollOnceAsync_UserTheStandbyRejects_IsParkedAndTheBucketMovesOn()
    {
        const int bucket = 1;
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart());
        var odd = FeedHarness.NewUser("odd", bucket);
        var next = FeedHarness.NewUser("next", bucket);
        var attributes = odd.Attributes();
        attributes["custom:unknown"] = "x";
        await harness.RecordAsync(odd, attributes);
        var nextSnapshot = await harness.RecordAsync(next);
        var poller = await harness.StartPollerAsync();

        await poller.PollOnceAsync(CancellationToken.None);

        var parked = Assert.Single(await harness.ParkedAsync());
        Assert.Equal(EntityId.ForUser(odd.Key), parked.Entity);
        Assert.Equal("SchemaMismatch", parked.Code);
        Assert.NotNull(harness.Counterpart(next));
        Assert.Equal(nextSnapshot.FeedPosition, await harness.CheckpointAsync(bucket));
        Assert.Equal(1, poller.Statistics.Parked);
    }

    /// <summary>
    /// An entry that became visible behind the bucket position is found by the look-back re-read. If applying it then
    /// fails transiently, the next poll must retry it like any other failed entry ("a bucket's position never passes
    /// an entry that failed transiently"), not leave it to the next look-back or, once it is out of the window, to
    /// the drift check.
    /// </summary>
    [Fact]
    public async Task PollOnceAsync_LateEntryFailingTransiently_IsRetriedOnTheNextPoll()
    {
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { LookBack = TimeSpan.FromSeconds(30), LookBackInterval = TimeSpan.FromSeconds(5) });
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var nia = FeedHarness.NewUser("nia", bucket: 2);
        var oto = FeedHarness.NewUser("oto", bucket: 2);
        await harness.RecordAsync(nia);
        var poller = await harness.StartPollerAsync(time: time);
        await poller.PollOnceAsync(CancellationToken.None);
        await harness.RecordAsync(oto, via: harness.WriterBehindBy(TimeSpan.FromSeconds(10)));
        harness.Standby.FailNext("CreateUser", Throttled());
        time.Advance(TimeSpan.FromSeconds(5));
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, poller.Statistics.Failures);
        Assert.Null(harness.Counterpart(oto));

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(oto));
    }

    /// <summary>
    /// The consequence of the case above: once newer entries move the checkpoint more than the look-back window past
    /// a late entry that failed once, nothing retries it. It must end up applied or parked, never silently dropped.
    /// </summary>
    [Fact]
    public async Task PollOnceAsync_LateEntryThatFailedOnceThenFellOutOfTheWindow_IsAppliedOrParked()
    {
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { LookBack = TimeSpan.FromSeconds(30), LookBackInterval = TimeSpan.FromSeconds(5), CheckpointInterval = TimeSpan.Zero });
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var pia = FeedHarness.NewUser("pia", bucket: 3);
        var quin = FeedHarness.NewUser("quin", bucket: 3);
        var rex = FeedHarness.NewUser("rex", bucket: 3);
        await harness.RecordAsync(pia);
        var poller = await harness.StartPollerAsync(time: time);
        await poller.PollOnceAsync(CancellationToken.None);
        await harness.RecordAsync(quin, via: harness.WriterBehindBy(TimeSpan.FromSeconds(10)));
        harness.Standby.FailNext("CreateUser", Throttled());
        time.Advance(TimeSpan.FromSeconds(5));
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, poller.Statistics.Failures);

        // A writer whose clock is 40 s ahead moves the bucket's checkpoint beyond the window that still holds Quin.
        await harness.RecordAsync(rex, via: harness.WriterBehindBy(TimeSpan.FromSeconds(-40)));
        for (var poll = 0; poll < 4; poll++)
        {
            await poller.PollOnceAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.NotNull(harness.Counterpart(rex));
        var parked = await harness.ParkedAsync();
        Assert.True(harness.Counterpart(quin) is not null || parked.Any(p => p.Entity == EntityId.ForUser(quin.Key)), "the late entry was neither applied nor parked");
    }

    [Fact]
    public async Task PollOnceAsync_EntityParkedAfterTransientFailures_IsCountedAsParked()
    {
        var harness = await FeedHarness.CreateAsync(fixture, NoLookBackAfterStart(maxTransientFailures: 1));
        var ivan = FeedHarness.NewUser("ivan");
        await harness.RecordAsync(ivan);
        harness.Standby.FailNext("CreateUser", Throttled());
        var poller = await harness.StartPollerAsync();

        await poller.PollOnceAsync(CancellationToken.None);

        Assert.Single(await harness.ParkedAsync());
        Assert.Equal(1, poller.Statistics.Failures);
        Assert.Equal(1, poller.Statistics.Parked);
    }

    [Fact]
    public async Task PollOnceAsync_EntryThatBecomesVisibleLate_IsCaughtByTheLookBack()
    {
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { LookBack = TimeSpan.FromSeconds(30), LookBackInterval = TimeSpan.FromSeconds(5) });
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var jan = FeedHarness.NewUser("jan", bucket: 1);
        var kay = FeedHarness.NewUser("kay", bucket: 1);
        await harness.RecordAsync(jan);
        var poller = await harness.StartPollerAsync(time: time);
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.NotNull(harness.Counterpart(jan));

        // Kay's entry sorts 10 s before Jan's (a writer whose clock is behind), so it lands behind the position.
        var late = await harness.RecordAsync(kay, via: harness.WriterBehindBy(TimeSpan.FromSeconds(10)));
        Assert.True(string.CompareOrdinal(late.FeedPosition, await harness.CheckpointAsync(1)) < 0);
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Null(harness.Counterpart(kay));

        time.Advance(TimeSpan.FromSeconds(5));
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.NotNull(harness.Counterpart(kay));
        Assert.Equal(2, harness.Standby.Calls.GetValueOrDefault("CreateUser"));
    }

    [Fact]
    public async Task FlushCheckpointsAsync_PositionsNotYetSaved_AreSaved()
    {
        var harness = await FeedHarness.CreateAsync(fixture, new ReconcilerOptions { CheckpointInterval = TimeSpan.FromHours(1) });
        var lea = FeedHarness.NewUser("lea", bucket: 0);
        var max = FeedHarness.NewUser("max", bucket: 0);
        var leaSnapshot = await harness.RecordAsync(lea);
        var poller = await harness.StartPollerAsync();
        await poller.PollOnceAsync(CancellationToken.None);
        var maxSnapshot = await harness.RecordAsync(max);
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(leaSnapshot.FeedPosition, await harness.CheckpointAsync(0));

        await poller.FlushCheckpointsAsync(CancellationToken.None);

        Assert.Equal(maxSnapshot.FeedPosition, await harness.CheckpointAsync(0));
    }

    /// <summary>The saved position is behind the failed entry (so a restart reads it again) but not behind what came before it.</summary>
    private static void AssertJustBefore(string failed, string previous, string? checkpoint)
    {
        Assert.NotNull(checkpoint);
        Assert.True(string.CompareOrdinal(checkpoint, failed) < 0, $"checkpoint {checkpoint} passed the failed entry {failed}");
        Assert.True(string.CompareOrdinal(checkpoint, MirrorTable.PositionFloor(MirrorTable.TimeOf(previous))) >= 0, $"checkpoint {checkpoint} went back before {previous}");
    }
}
