using CsCheck;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;
using static IdentityReplicator.Reconciler.Tests.Apply.ApplyEngineProperties;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// Two apply engines — two workers — on one standby pool and one replica state, each offered versions of one user in
/// its own order, their steps (every Cognito call, every replica-state operation) interleaved at random, in runs of
/// one worker's steps then the other's: once the newest version is offered again, the standby holds it and it is what
/// is recorded as applied.
/// </summary>
public sealed class TwoWorkersRaceProperties
{
    [Theory, BothPools]
    public Task ApplyUserAsync_TwoWorkersInAnyInterleaving_StandbyEndsWithTheNewestOnceItIsOfferedAgain(PoolKind pool)
    {
        var races =
            from steps in Gen.Select(Gen.Int[1, 3], AttributeChoices, Gen.Bool, GroupChoices, Gen.Int[0, 1], (change, attributes, enabled, groups, email) => new Step(change, attributes, enabled, groups, email == 1)).Array[2, 4]
            from confirmedFrom in Gen.Int[0, 3]
            from offersA in Gen.Int[0, steps.Length - 1].Array[1, 3]
            from offersB in Gen.Int[0, steps.Length - 1].Array[1, 3]
            from runs in Gen.Int[1, 12].Array[1, 8]
            from first in Gen.Int[0, 1]
            select new Race(new History(steps, confirmedFrom, []), offersA, offersB, Turns(runs, first));

        return races.SampleAsync(
            async race =>
            {
                // Arrange: each worker its own engine, reaching the shared pool and state through its own hooks.
                var harness = new StandbyHarness(pool);
                var user = harness.NewUser("sky");
                var snapshots = race.History.Snapshots(user, pool);
                var newest = snapshots[^1];
                var interleaver = new Interleaver();
                var (workerA, engineA) = Worker(harness, interleaver);
                var (workerB, engineB) = Worker(harness, interleaver);

                // Act: both workers apply what they were offered, interleaved; a second later (an engine that found the
                // lease held asks again after that), both are offered the newest again.
                await interleaver.RunAsync(
                    [workerA, workerB],
                    [() => OfferAsync(engineA, snapshots, race.OffersA), () => OfferAsync(engineB, snapshots, race.OffersB)],
                    race.Choices);
                workerA.Done = workerB.Done = true;
                harness.Time.Advance(TimeSpan.FromSeconds(1));
                await engineA.ApplyUserAsync(newest, CancellationToken.None);
                await engineB.ApplyUserAsync(newest, CancellationToken.None);

                // Assert
                var counterpart = Assert.Single(harness.Standby.Users);
                var differences = UserComparison.Compare(user.AsDirectoryUser(newest), PrimaryUser.GroupsOf(newest), counterpart, await harness.GroupsOfAsync(counterpart), harness.Engine.IsReplicated);
                Assert.Empty(differences);
                var applied = await harness.AppliedAsync(user);
                Assert.Equal(newest.ProfileVersion, applied!.ProfileVersion);
                Assert.Equal(newest.GroupsVersion, applied.GroupsVersion);
                Assert.Equal(counterpart.Username, applied.TargetUsername);
            },
            iter: 300);
    }

    /// <summary>Whose turn each step is: runs of steps of one worker, then of the other, of the given lengths.</summary>
    private static int[] Turns(int[] runs, int first) =>
        [.. runs.SelectMany((length, i) => Enumerable.Repeat((i + first) % 2, length))];

    private static async Task OfferAsync(ApplyEngine engine, IReadOnlyList<UserSnapshot> snapshots, int[] offers)
    {
        foreach (var index in offers)
        {
            var result = await engine.ApplyUserAsync(snapshots[index], CancellationToken.None);
            Assert.NotEqual(ApplyOutcome.Parked, result.Outcome);
        }
    }

    /// <summary>An engine whose every Cognito call and replica-state operation is a step of an interleaver's worker.</summary>
    private static (Interleaver.Worker Worker, ApplyEngine Engine) Worker(StandbyHarness harness, Interleaver interleaver)
    {
        var worker = interleaver.NewWorker();
        var pool = new InterceptingUserDirectory(harness.Standby) { Before = (_, _) => StepUnlessDone(worker) };
        var state = new InterceptingReplicaState(harness.State) { Before = (_, _) => StepUnlessDone(worker) };
        return (worker, new ApplyEngine(pool, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger));
    }

    /// <summary>Once the interleaved run is over, the same engines run freely.</summary>
    private static void StepUnlessDone(Interleaver.Worker worker)
    {
        if (!worker.Done)
        {
            worker.Step();
        }
    }

    internal sealed record Race(History History, int[] OffersA, int[] OffersB, int[] Choices)
    {
        public override string ToString() =>
            $"race(offersA=[{string.Join(",", OffersA)}], offersB=[{string.Join(",", OffersB)}], choices=[{string.Join("", Choices)}], {History})";
    }
}
