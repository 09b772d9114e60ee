using System.Diagnostics;
using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// The apply lease when a worker dies holding it: its restarted successor in the same slot takes it over at once, a
/// worker elsewhere waits only for the short lease to lapse, and a live holder — in this slot or another — still
/// fences. The heartbeat keeps a long application's lease, and a lease that is no longer renewed cancels its calls.
/// </summary>
public sealed class ApplyLeaseCrashTests
{
    /// <summary>A holder in a slot this process cannot see into (another host or container): never judged dead.</summary>
    private const string ElsewhereHolder = "other-host@pid:[4026531836]/4242/1796646000123/ffffffffffff";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ApplyUserAsync_PredecessorInThisSlotKilledHoldingTheLease_RestartedWorkerAppliesAtOnce()
    {
        // Arrange: a real process of this slot holds ada's lease (it stands for worker A, mid-application).
        Assert.NotNull(ProcessIncarnations.Slot);
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        using var workerA = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var holderA = ProcessIncarnations.HolderIdOf(ProcessIncarnations.Slot, workerA.Id, workerA.StartTime);
        await TakeAsync(harness, ada, holderA);

        // Act: while A lives, another worker of this slot is fenced; A is SIGKILLed; A restarts (a new engine).
        var whileAlive = await harness.NewEngine().ApplyUserAsync(ada.Snapshot(1), None);
        workerA.Kill();
        await workerA.WaitForExitAsync();
        var restarted = await harness.NewEngine().ApplyUserAsync(ada.Snapshot(1), None);

        // Assert: applied at once — no time went by — and the takeover logged without personal data.
        Assert.Equal(ApplyOutcome.Deferred, whileAlive.Outcome);
        Assert.Equal(ApplyOutcome.Applied, restarted.Outcome);
        Assert.NotNull(harness.Counterpart(ada));
        Assert.Equal(1, (await harness.AppliedAsync(ada))!.ProfileVersion);
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key)));
        var takeover = Assert.Single(harness.Logger.Collector.GetSnapshot(), r => r.Id.Id == 2033);
        Assert.Contains(holderA, takeover.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ada.Username, takeover.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyUserAsync_WorkerElsewhereKilledHoldingTheLease_AppliedOnceItsShortLeaseLapses()
    {
        // Arrange: worker A runs on another host and was killed just after it took ada's lease; B is alive here.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsync(harness, ada, ElsewhereHolder);
        var workerB = harness.NewEngine();

        // Act
        var atOnce = await workerB.ApplyUserAsync(ada.Snapshot(1), None);
        harness.Time.Advance(ReconcilerOptions.DefaultApplyLease - TimeSpan.FromSeconds(1));
        var justBefore = await workerB.ApplyUserAsync(ada.Snapshot(1), None);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var afterLapse = await workerB.ApplyUserAsync(ada.Snapshot(1), None);

        // Assert: fenced for the lease's lapse — a few seconds — and applied right after.
        Assert.InRange(ReconcilerOptions.DefaultApplyLease, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
        Assert.Equal([ApplyOutcome.Deferred, ApplyOutcome.Deferred, ApplyOutcome.Applied], new[] { atOnce.Outcome, justBefore.Outcome, afterLapse.Outcome });
        Assert.NotNull(harness.Counterpart(ada));
        Assert.DoesNotContain(harness.Logger.Collector.GetSnapshot(), r => r.Id.Id == 2033);
    }

    [Fact]
    public async Task ApplyUserAsync_AnotherLiveEngineOfThisProcessHoldsTheLease_Deferred()
    {
        // Arrange: two engines in one process (the feed and a drift repair of another direction): same slot, same
        // process, alive.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await TakeAsync(harness, ada, harness.NewEngine().LeaseHolder);

        // Act
        var result = await harness.ApplyAsync(ada.Snapshot(1));

        // Assert
        Assert.Equal(ApplyOutcome.Deferred, result.Outcome);
        Assert.Null(harness.Counterpart(ada));
    }

    [Fact]
    public async Task ApplyUserAsync_CallsOutlastTheLease_HeartbeatKeepsItAndOtherWorkersAreRefused()
    {
        // Arrange: while ada's lookup waits (throttled, retried), three leases' worth of time goes by.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        var state = new InterceptingReplicaState(harness.State);
        var operations = new List<string>();
        state.Before = (operation, _) => operations.Add(operation);
        var engine = new ApplyEngine(harness.Intercepted, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);
        var refusedMeanwhile = new List<bool>();
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "FindUser")
            {
                for (var second = 0; second < 3 * ReconcilerOptions.DefaultApplyLease.TotalSeconds; second++)
                {
                    harness.Time.Advance(TimeSpan.FromSeconds(1));
                    var now = harness.Time.GetUtcNow();
                    refusedMeanwhile.Add(!harness.State.TakeApplyLeaseAsync(StandbyHarness.Region, EntityId.ForUser(ada.Key), ElsewhereHolder, now, now + ReconcilerOptions.DefaultApplyLease, None).Result.Taken);
                }
            }
        };

        // Act
        var result = await engine.ApplyUserAsync(ada.Snapshot(1), None);
        harness.Intercepted.Before = null;
        var renewals = operations.Count(o => o == "RenewApplyLease");
        harness.Time.Advance(3 * ReconcilerOptions.DefaultApplyLease);

        // Assert: applied; every other worker refused throughout; a beat every third of the lease, none after the record.
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.All(refusedMeanwhile, Assert.True);
        var beats = (int)(3 * ReconcilerOptions.DefaultApplyLease / ApplyLease.HeartbeatInterval(ReconcilerOptions.DefaultApplyLease));
        Assert.InRange(renewals, beats - 1, beats + 1);
        Assert.Equal(renewals, operations.Count(o => o == "RenewApplyLease"));
        Assert.Equal("PutApplied", operations[^1]);
        Assert.Null(harness.State.LeaseHolder(StandbyHarness.Region, EntityId.ForUser(ada.Key)));
    }

    [Fact]
    public async Task ApplyUserAsync_WorkerKilledAtAnyStep_RestartedWorkerAppliesAtOnceAndOneElsewhereAfterTheLapse()
    {
        // A worker killed at any of its steps (a Cognito call or a replica-state operation) makes no step after it — no
        // release, no heartbeat. Its successor in the same slot converges the user without any time going by; a
        // worker in another slot converges it once the lease has lapsed, and not before.
        var kills =
            from step in Gen.Int[0, 9]
            from restartedHere in Gen.Bool
            from version in Gen.Int[1, 2]
            select (Step: step, RestartedHere: restartedHere, Version: version);

        await kills.SampleAsync(
            async kill =>
            {
                // Arrange: ada exists at version 1; worker A applies version 1 + Version and dies at step Step.
                var harness = new StandbyHarness(PoolKind.Username);
                var ada = harness.NewUser("ada");
                await harness.ApplyAsync(ada.Snapshot(1));
                var attributes = ada.Attributes();
                attributes["custom:tier"] = "platinum";
                var newest = ada.Snapshot(1 + kill.Version, attributes);
                var steps = 0;
                var dead = false;
                void Step()
                {
                    if (dead || steps++ == kill.Step)
                    {
                        dead = true;
                        throw new MirrorStoreException("killed", new IOException("SIGKILL"));
                    }
                }

                var poolA = new InterceptingUserDirectory(harness.Standby) { Before = (_, _) => Step() };
                var stateA = new InterceptingReplicaState(harness.State) { Before = (_, _) => Step() };
                var holderA = new ApplyLeaseHolder("this-host@pid:[1]/7/1796646000000/aaaaaaaaaaaa", _ => false);
                var workerA = new ApplyEngine(poolA, harness.Mirror, stateA, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger, holderA);
                await Record.ExceptionAsync(() => workerA.ApplyUserAsync(newest, None));

                // Act
                var successor = kill.RestartedHere
                    ? new ApplyLeaseHolder("this-host@pid:[1]/7/1796646009999/bbbbbbbbbbbb", holder => dead && holder == holderA.Id)
                    : new ApplyLeaseHolder(ElsewhereHolder, _ => false);
                var workerB = new ApplyEngine(harness.Intercepted, harness.Mirror, harness.State, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger, successor);
                var first = await workerB.ApplyUserAsync(newest, None);
                var outcomes = new List<ApplyOutcome> { first.Outcome };
                while (outcomes[^1] == ApplyOutcome.Deferred && outcomes.Count < 30)
                {
                    harness.Time.Advance(TimeSpan.FromSeconds(1));
                    outcomes.Add((await workerB.ApplyUserAsync(newest, None)).Outcome);
                }

                // Assert: converged; deferred only while a lease A held could still be live, and never by the successor.
                Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
                Assert.Equal(newest.ProfileVersion, (await harness.AppliedAsync(ada))!.ProfileVersion);
                Assert.DoesNotContain(ApplyOutcome.Deferred, kill.RestartedHere ? outcomes : []);
                Assert.InRange(outcomes.Count - 1, 0, (int)ReconcilerOptions.DefaultApplyLease.TotalSeconds + 1);
            },
            iter: 200);
    }

    [Fact]
    public async Task TryTakeAsync_AnyHolderAndAge_TakenOnlyWhenFreeRunOutOrItsHolderIsKnownDead()
    {
        var cases =
            from held in Gen.Int[0, 2] // 0 free, 1 held by a live holder, 2 held by a dead one
            from knowable in Gen.Bool // the holder is in the taker's slot, where its death can be seen
            from age in Gen.Int[0, 20] // seconds since the holder last took or renewed it
            select (Held: held, Knowable: knowable, Age: age);

        await cases.SampleAsync(
            async c =>
            {
                // Arrange
                var state = new InMemoryReplicaState();
                var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.Zero));
                var lease = ReconcilerOptions.DefaultApplyLease;
                var entity = EntityId.ForUser("ada");
                const string Holder = "host@pid:[1]/7/1796646000000/aaaaaaaaaaaa";
                if (c.Held > 0)
                {
                    await state.TakeApplyLeaseAsync(StandbyHarness.Region, entity, Holder, time.GetUtcNow(), time.GetUtcNow() + lease, None);
                }

                time.Advance(TimeSpan.FromSeconds(c.Age));
                var taker = new ApplyLeaseHolder("host@pid:[1]/8/1796646009999/bbbbbbbbbbbb", holder => holder == Holder && c.Held == 2 && c.Knowable);

                // Act
                var taken = await ApplyLease.TryTakeAsync(state, StandbyHarness.Region, entity, taker, lease, time, None);

                // Assert
                var expected = c.Held == 0 || TimeSpan.FromSeconds(c.Age) > lease || (c.Held == 2 && c.Knowable);
                Assert.Equal(expected, taken is not null);
                Assert.Equal(expected ? taker.Id : Holder, state.LeaseHolder(StandbyHarness.Region, entity));
                if (taken is not null)
                {
                    await taken.ReleaseAsync(None);
                    Assert.Null(state.LeaseHolder(StandbyHarness.Region, entity));
                }
            },
            iter: 300);
    }

    [Fact]
    public void IsGone_HolderIds_DeadOnlyWhenItsProcessIsSeenToBeGone()
    {
        // Arrange
        Assert.NotNull(ProcessIncarnations.Slot);
        var slot = ProcessIncarnations.Slot;
        using var self = Process.GetCurrentProcess();
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var childHolder = ProcessIncarnations.HolderIdOf(slot, child.Id, child.StartTime);

        // Act
        var verdicts = new Dictionary<string, bool>
        {
            ["this process"] = ProcessIncarnations.IsGone(ProcessIncarnations.HolderIdOf(slot, self.Id, self.StartTime)),
            ["this process id, started at another time (a restarted container's process 1)"] = ProcessIncarnations.IsGone(ProcessIncarnations.HolderIdOf(slot, self.Id, self.StartTime.AddMinutes(-5))),
            ["a live process"] = ProcessIncarnations.IsGone(childHolder),
            ["another slot"] = ProcessIncarnations.IsGone(ElsewhereHolder),
            ["not a holder id"] = ProcessIncarnations.IsGone("other-host/99/ffffffffffff"),
        };
        child.Kill();
        child.WaitForExit();
        verdicts["a process that was killed"] = ProcessIncarnations.IsGone(childHolder);

        // Assert
        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["this process"] = false,
                ["this process id, started at another time (a restarted container's process 1)"] = true,
                ["a live process"] = false,
                ["another slot"] = false,
                ["not a holder id"] = false,
                ["a process that was killed"] = true,
            },
            verdicts);
    }

    private static Task TakeAsync(StandbyHarness harness, PrimaryUser user, string holder) =>
        harness.State.TakeApplyLeaseAsync(StandbyHarness.Region, EntityId.ForUser(user.Key), holder, harness.Time.GetUtcNow(), harness.Time.GetUtcNow() + ReconcilerOptions.DefaultApplyLease, None);
}
