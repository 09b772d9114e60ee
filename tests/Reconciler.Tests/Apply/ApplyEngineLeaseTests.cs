using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// The apply lease from the engine's side: taken before the first Cognito call, left alone while another worker holds
/// it, renewed by its heartbeat (and before a call when less than half is left), released on every way out, and what
/// happens when it is lost. What a worker that dies holding it costs: ApplyLeaseCrashTests.
/// </summary>
public sealed class ApplyEngineLeaseTests
{
    private const string OtherWorker = "other-host/99/ffffffffffff";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ApplyUserAsync_AnotherWorkerHoldsTheLease_DeferredWithoutACognitoCall()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsOtherWorkerAsync(harness, ada);
        harness.Standby.ResetCalls();

        // Act
        var result = await harness.ApplyAsync(ada.Snapshot(1));

        // Assert
        Assert.Equal(ApplyOutcome.Deferred, result.Outcome);
        Assert.Empty(harness.Standby.Calls);
        Assert.Null(await harness.AppliedAsync(ada));
        Assert.Empty(harness.State.Parked);
    }

    [Fact]
    public async Task ApplyUserAsync_LeaseFoundHeldMomentsAgo_DeferredWithoutAskingAgainForASecond()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsOtherWorkerAsync(harness, ada);
        var state = new InterceptingReplicaState(harness.State);
        var operations = new List<string>();
        state.Before = (operation, _) => operations.Add(operation);
        var engine = new ApplyEngine(harness.Intercepted, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);

        // Act: refused; asked again at once; then a second later.
        var first = await engine.ApplyUserAsync(ada.Snapshot(1), None);
        var askedFirst = operations.Count;
        var atOnce = await engine.ApplyUserAsync(ada.Snapshot(1), None);
        var askedAtOnce = operations.Count - askedFirst;
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await engine.ApplyUserAsync(ada.Snapshot(1), None);

        // Assert
        Assert.Equal([ApplyOutcome.Deferred, ApplyOutcome.Deferred, ApplyOutcome.Deferred], new[] { first.Outcome, atOnce.Outcome, later.Outcome });
        Assert.Equal(["GetApplied", "TakeApplyLease"], operations.Take(askedFirst));
        Assert.Equal(0, askedAtOnce);
        Assert.Equal(["GetApplied", "TakeApplyLease", "GetApplied", "TakeApplyLease"], operations);
    }

    [Fact]
    public async Task ApplyUserAsync_WorkerDiedHoldingTheLease_AppliedOnceTheLeaseRunsOut()
    {
        // Arrange: the other worker took the lease now and never came back.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsOtherWorkerAsync(harness, ada);

        // Act
        var whileHeld = await harness.ApplyAsync(ada.Snapshot(1));
        harness.Time.Advance(ReconcilerOptions.DefaultApplyLease + TimeSpan.FromSeconds(1));
        var afterwards = await harness.ApplyAsync(ada.Snapshot(1));

        // Assert
        Assert.Equal(ApplyOutcome.Deferred, whileHeld.Outcome);
        Assert.Equal(ApplyOutcome.Applied, afterwards.Outcome);
        Assert.NotNull(harness.Counterpart(ada));
        Assert.Equal(1, (await harness.AppliedAsync(ada))!.ProfileVersion);
    }

    [Fact]
    public async Task ApplyUserAsync_EveryWayOut_LeavesTheLeaseFree()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        var applied = harness.NewUser("applied");
        var skipped = harness.NewUser("skipped");
        var parked = harness.NewUser("parked");
        var failed = harness.NewUser("failed");
        await harness.ApplyAsync(skipped.Snapshot(2));
        var unknownAttribute = parked.Attributes();
        unknownAttribute["custom:nope"] = "x";

        // Act
        var outcomes = new[]
        {
            (await harness.ApplyAsync(applied.Snapshot(1))).Outcome,
            (await harness.Engine.ReconcileUserAsync(skipped.Snapshot(1), Listing(harness), null, None)).Outcome,
            (await harness.ApplyAsync(parked.Snapshot(1, unknownAttribute))).Outcome,
        };
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create("TooManyRequestsException", "Rate exceeded"));
        var failure = await Record.ExceptionAsync(() => harness.ApplyAsync(failed.Snapshot(1)));

        // Assert
        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.Skipped, ApplyOutcome.Parked], outcomes);
        Assert.IsType<TooManyRequestsException>(failure);
        Assert.All(new[] { applied, skipped, parked, failed }, user => Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(user.Key))));
    }

    [Fact]
    public async Task ApplyUserAsync_HeartbeatMissedAndLessThanHalfTheLeaseLeftBeforeACall_RenewsItFirst()
    {
        // Arrange: the user exists at version 1; applying version 2 reads it, then updates it. Between the two, every
        // heartbeat's renewal fails (a DynamoDB error) and less than half the lease is left.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var state = new InterceptingReplicaState(harness.State);
        var operations = new List<string>();
        var failedBeats = 0;
        var whileReading = ReconcilerOptions.DefaultApplyLease * 0.6;
        var beatsWhileReading = (int)(whileReading / ApplyLease.HeartbeatInterval(ReconcilerOptions.DefaultApplyLease));
        state.Before = (operation, _) =>
        {
            operations.Add(operation);
            if (operation == "RenewApplyLease" && failedBeats++ < beatsWhileReading)
            {
                throw new MirrorStoreException("throttled", new TimeoutException());
            }
        };
        var engine = new ApplyEngine(harness.Intercepted, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "FindUser")
            {
                harness.Time.Advance(whileReading);
            }
        };
        var second = ada.Attributes();
        second["custom:tier"] = "silver";

        // Act
        var result = await engine.ApplyUserAsync(ada.Snapshot(2, second), None);
        harness.Intercepted.Before = null;
        var takenMeanwhile = await harness.State.TakeApplyLeaseAsync(StandbyHarness.Region, EntityId.ForUser(ada.Key), OtherWorker, harness.Time.GetUtcNow(), harness.Time.GetUtcNow().AddMinutes(1), None);

        // Assert: the beats failed, the lease was renewed before the update; recorded (which released it).
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["GetApplied", "TakeApplyLease", .. Enumerable.Repeat("RenewApplyLease", beatsWhileReading + 1), "PutApplied"], operations);
        Assert.True(takenMeanwhile.Taken);
        Assert.Equal("silver", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ApplyUserAsync_HeartbeatFailsWhileACallWaits_CallCancelledAtTheFenceAndTheUserDeferred()
    {
        // Arrange: while the update waits to be sent (a throttled call's retries), the replica state refuses every
        // renewal and the whole lease goes by.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var state = new InterceptingReplicaState(harness.State)
        {
            Before = (operation, _) =>
            {
                if (operation == "RenewApplyLease")
                {
                    throw new MirrorStoreException("unreachable", new TimeoutException());
                }
            },
        };
        var engine = new ApplyEngine(harness.Intercepted, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "UpdateAttributes")
            {
                harness.Time.Advance(ReconcilerOptions.DefaultApplyLease);
            }
        };
        var second = ada.Attributes();
        second["custom:tier"] = "silver";

        // Act
        var result = await engine.ApplyUserAsync(ada.Snapshot(2, second), None);

        // Assert: the update was not made; nothing recorded; the lease is free; a warning says so.
        Assert.Equal(ApplyOutcome.Deferred, result.Outcome);
        Assert.Equal("gold", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
        Assert.Equal(1, (await harness.AppliedAsync(ada))!.ProfileVersion);
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key)));
        var warning = Assert.Single(harness.Logger.Collector.GetSnapshot(), r => r.Id.Id == 2031);
        Assert.IsType<ApplyLeaseLostException>(warning.Exception);
        Assert.DoesNotContain(ada.Username, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyUserAsync_LeaseTakenOverMidway_DeferredThenTheNextApplicationConvergesToTheMirrorsNewest()
    {
        // Arrange: worker A applies version 2 and stalls before its update for longer than the lease — a pause in which
        // its heartbeat does not get through either. Worker B takes the lease and applies version 3 in full; then A's
        // update lands.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var second = ada.Attributes();
        second["custom:tier"] = "silver";
        var third = ada.Attributes();
        third["custom:tier"] = "platinum";
        var mirror = new OneUserMirror(harness.Mirror, ada.Snapshot(3, third));
        var workerB = harness.NewEngine();
        var stalled = false;
        var poolA = new InterceptingUserDirectory(harness.Standby)
        {
            // A request already on its way when the lease ran out: cancelling it no longer stops it.
            IgnoresCancellation = true,
            Before = (operation, _) =>
            {
                if (operation == "UpdateAttributes" && !stalled)
                {
                    stalled = true;
                    harness.Time.Advance(ReconcilerOptions.DefaultApplyLease + TimeSpan.FromSeconds(1));
                    Assert.Equal(ApplyOutcome.Applied, workerB.ApplyUserAsync(ada.Snapshot(3, third), None).GetAwaiter().GetResult().Outcome);
                }
            },
        };
        var stateA = new InterceptingReplicaState(harness.State)
        {
            Before = (operation, _) =>
            {
                if (operation == "RenewApplyLease" && stalled)
                {
                    throw new MirrorStoreException("paused", new TimeoutException());
                }
            },
        };
        var workerA = new ApplyEngine(poolA, mirror, stateA, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);

        // Act
        var first = await workerA.ApplyUserAsync(ada.Snapshot(2, second), None);
        var lostWith = harness.RequiredCounterpart(ada).Attributes["custom:tier"];
        var again = await workerA.ApplyUserAsync(ada.Snapshot(2, second), None);

        // Assert: A's late update left "silver" under version 3; A knew, and its next application put version 3 back.
        Assert.Equal(ApplyOutcome.Deferred, first.Outcome);
        Assert.Equal("silver", lostWith);
        Assert.Equal(ApplyOutcome.Applied, again.Outcome);
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
        Assert.Equal(3, (await harness.AppliedAsync(ada))!.ProfileVersion);
    }

    [Fact]
    public async Task ApplyUserAsync_SameEngineAppliesTheUserAlready_Deferred()
    {
        // Arrange: the feed and a scheduled drift repair share the worker's engine.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        ApplyResult? nested = null;
        var started = false;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "CreateUser" && !started)
            {
                started = true;
                nested = harness.Engine.ReconcileUserAsync(ada.Snapshot(1), Listing(harness), null, None).GetAwaiter().GetResult();
            }
        };

        // Act
        var result = await harness.ApplyAsync(ada.Snapshot(1));

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(ApplyOutcome.Deferred, nested!.Outcome);
        Assert.Equal(1, harness.CallsOf("CreateUser"));
    }

    [Fact]
    public async Task ApplyGroupAsync_AnotherWorkerHoldsTheLease_DeferredWithoutACognitoCall()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        await harness.State.TakeApplyLeaseAsync(StandbyHarness.Region, EntityId.ForGroup("editors"), OtherWorker, harness.Time.GetUtcNow(), harness.Time.GetUtcNow().AddMinutes(1), None);
        var group = new GroupSnapshot { Name = "editors", SourcePoolId = PrimaryUser.PrimaryPoolId, Version = 1, Hash = "h" };

        // Act
        var result = await harness.Engine.ApplyGroupAsync(group, None);

        // Assert
        Assert.Equal(ApplyOutcome.Deferred, result.Outcome);
        Assert.Empty(harness.Standby.Calls);
    }

    [Fact]
    public async Task ReconcileUserAsync_ListingOlderThanAnotherWorkersApplication_ReadsTheUserFromThePool()
    {
        // Arrange: a drift repair listed the standby (locale "en", tier gold); then the worker applied version 2,
        // which removed the locale. The repair now converges version 3: locale "en" again, tier platinum.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        var first = ada.Attributes();
        first["locale"] = "en";
        await harness.ApplyAsync(ada.Snapshot(1, first));
        var listing = Listing(harness);
        var appliedWithListing = await harness.AppliedAsync(ada);
        var second = ada.Attributes();
        second["custom:tier"] = "silver";
        await harness.ApplyAsync(ada.Snapshot(2, second));
        var third = ada.Attributes();
        third["locale"] = "en";
        third["custom:tier"] = "platinum";

        // Act
        var result = await harness.Engine.ReconcileUserAsync(ada.Snapshot(3, third), listing, appliedWithListing, None);

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal("en", harness.RequiredCounterpart(ada).Attributes.GetValueOrDefault("locale"));
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ReconcileUserAsync_SnapshotBeingRecorded_TakesTheLeaseMeanwhile()
    {
        // Arrange: a sync records the user's snapshot and converges it; the record has not finished yet.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        var recorded = new TaskCompletionSource<UserSnapshot?>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var reconciling = harness.Engine.ReconcileUserAsync(ada.Key, _ => recorded.Task, Listing(harness), null, None);
        var holderWhileRecording = harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key));
        recorded.SetResult(ada.Snapshot(1));
        var result = await reconciling;

        // Assert: the lease was taken before the record finished, and released by the applied state's record.
        Assert.Equal(harness.Engine.LeaseHolder, holderWhileRecording);
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.NotNull(harness.Counterpart(ada));
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key)));
    }

    [Fact]
    public async Task ReconcileUserAsync_LeaseHeldElsewhere_RecordsTheSnapshotAndDefers()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsOtherWorkerAsync(harness, ada);
        var records = 0;
        harness.Standby.ResetCalls();

        // Act
        var result = await harness.Engine.ReconcileUserAsync(
            ada.Key,
            _ =>
            {
                records++;
                return Task.FromResult<UserSnapshot?>(ada.Snapshot(1));
            },
            Listing(harness),
            null,
            None);

        // Assert: the worker holding the lease follows the recorded snapshot.
        Assert.Equal(ApplyOutcome.Deferred, result.Outcome);
        Assert.Equal(1, records);
        Assert.Empty(harness.Standby.Calls);
    }

    [Fact]
    public async Task ReconcileUserAsync_RecordFailsOrGivesNoSnapshot_LeaseReleased()
    {
        // Arrange
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        var bob = harness.NewUser("bob");

        // Act
        var failure = await Record.ExceptionAsync(() => harness.Engine.ReconcileUserAsync(ada.Key, _ => Task.FromException<UserSnapshot?>(new TimeoutException("mirror table")), Listing(harness), null, None));
        var notReplicated = await harness.Engine.ReconcileUserAsync(bob.Key, _ => Task.FromResult<UserSnapshot?>(null), Listing(harness), null, None);

        // Assert
        Assert.IsType<TimeoutException>(failure);
        Assert.Equal(ApplyOutcome.Skipped, notReplicated.Outcome);
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key)));
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(bob.Key)));
        Assert.Empty(harness.Standby.Users);
    }

    private static Task TakeAsOtherWorkerAsync(StandbyHarness harness, PrimaryUser user) =>
        harness.State.TakeApplyLeaseAsync(StandbyHarness.Region, EntityId.ForUser(user.Key), OtherWorker, harness.Time.GetUtcNow(), harness.Time.GetUtcNow() + ReconcilerOptions.DefaultApplyLease, None);

    private static Core.Pools.PoolInventory Listing(StandbyHarness harness) =>
        new(harness.Standby.PoolId, harness.Time.GetUtcNow(), false, harness.Standby.Users, [], new Dictionary<string, IReadOnlyCollection<string>>());

    /// <summary>The mirror as the engine reads it when it re-reads a user: one user's newest snapshot, and the harness's groups.</summary>
    private sealed class OneUserMirror(GroupSnapshotsOnly groups, UserSnapshot user) : IMirrorStore
    {
        public int FeedBuckets => 1;

        public Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken) => Task.FromResult(key == user.Key ? user : null);

        public Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken) => groups.GetGroupAsync(name, cancellationToken);

        public Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
