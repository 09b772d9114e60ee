using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Execution;

public sealed class FailoverRunnerTests
{
    /// <summary>Every point a run can be killed at: after each step's side effect, and after each step is journaled.</summary>
    public static TheoryData<string, string> KillPoints()
    {
        var points = new TheoryData<string, string>();
        foreach (var step in FailoverStep.All())
        {
            if (step.Name is not (DrainStep.StepName or VerifyStep.StepName))
            {
                points.Add("acted", step.Name);
            }

            points.Add("completed", step.Name);
        }

        return points;
    }

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task Resume_KilledAtEachPoint_FinishesWithoutRepeatingACompletedSideEffect(string stage, string step)
    {
        var env = new FakeEnvironment();
        using var kill = new CancellationTokenSource();
        var killed = false;
        var first = Runner(env);
        var options = new RunOptions
        {
            Observer = async (s, name) =>
            {
                if (s == stage && name == step && !killed)
                {
                    killed = true;
                    await kill.CancelAsync();
                    kill.Token.ThrowIfCancellationRequested();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.StartAsync(RunKind.Drill, options, kill.Token));
        Assert.True(killed, $"the run never reached '{stage}' of {step}");
        var run = (await env.Journal.ListRunsAsync(1, CancellationToken.None)).Single();
        var completedBefore = (await env.Journal.GetStepsAsync(run.RunId, CancellationToken.None)).Where(s => s.State == StepState.Succeeded).Select(s => s.Name).ToList();

        // A new process: a new runner over the same world and journal.
        var result = await Runner(env).ResumeAsync(run.RunId, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal((Control: 2, Promotions: 1, Dns: 1, Parameters: 4), env.SideEffects);
        Assert.Equal(2, env.Capacity.ScaleCalls);
        AssertFailedOver(env);
        var steps = await env.Journal.GetStepsAsync(run.RunId, CancellationToken.None);
        Assert.All(steps.Where(s => completedBefore.Contains(s.Name)), s => Assert.Equal(1, s.Attempts));
        Assert.Equal(2, result.Run.Attempts);
        Assert.NotNull(result.Run.RtoSeconds);
    }

    [Fact]
    public async Task Start_Drill_RunsEveryStepOnceAndMeasuresRtoAndRpo()
    {
        var env = new FakeEnvironment();

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(FailoverStep.All().Select(s => s.Name), result.Steps.Select(s => s.Name));
        Assert.All(result.Steps, s => Assert.Equal(StepState.Succeeded, s.State));
        Assert.All(result.Steps.Where(s => s.Name != PromoteDatabaseStep.StepName), s => Assert.False(s.AlreadyDone, s.Name));
        Assert.Equal((Control: 2, Promotions: 1, Dns: 1, Parameters: 4), env.SideEffects);
        Assert.Equal(0, result.Run.RpoEstimateSeconds);
        Assert.True(result.Run.RtoSeconds > 0);
        AssertFailedOver(env);
    }

    [Fact]
    public async Task Start_DependentSteps_StartOnlyAfterWhatTheyComeAfter()
    {
        var env = new FakeEnvironment();

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        var byName = result.Steps.ToDictionary(s => s.Name);
        foreach (var step in FailoverStep.All())
        {
            foreach (var before in step.After)
            {
                Assert.True(byName[before].EndedAt <= byName[step.Name].StartedAt, $"{step.Name} started before {before} ended");
            }
        }
    }

    [Fact]
    public async Task Start_SecondDrillAfterTheFirst_FindsEverythingDoneAndChangesNothing()
    {
        var env = new FakeEnvironment();
        await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);
        var before = env.SideEffects;

        var again = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(again.Succeeded, again.Failure);
        Assert.Equal(before, env.SideEffects);
        Assert.All(again.Steps.Where(s => s.Name != VerifyStep.StepName), s => Assert.True(s.AlreadyDone, s.Name));
    }

    [Fact]
    public async Task Start_FailbackAfterDrill_RestoresTheOriginalState()
    {
        var env = new FakeEnvironment();
        await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        var back = await Runner(env).StartAsync(RunKind.Failback, new RunOptions(), CancellationToken.None);

        Assert.True(back.Succeeded, back.Failure);
        var control = env.Control.Current!;
        Assert.Equal((env.Plan.Pools.Primary.UserPoolId, env.Plan.Pools.Standby.UserPoolId, true, 4L), (control.SourcePoolId, control.TargetPoolId, control.Writable, control.Epoch));
        Assert.False(env.Database.StandbyIsWriter);
        Assert.Equal(["east.example.com"], env.Dns.Get("auth.example.com.", "CNAME")!.ResourceRecords);
        Assert.All(new[] { "us-east-1", "us-west-2" }, region => Assert.Equal(env.Plan.Parameters.Select(p => p.Values.Primary), env.ParameterValues(region)));
    }

    [Fact]
    public async Task Start_FailingPreflightCheck_ChangesNothingAndNamesTheCheck()
    {
        var env = new FakeEnvironment();
        var runner = new FailoverRunner(env.Plan, env.Ports(lag: new Lagging(TimeSpan.FromMinutes(5))), TimeProvider.System, NullLogger.Instance);

        var blocked = await runner.StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(blocked.BlockedByPreflight);
        Assert.Contains(PreflightChecks.ReplicationLag, blocked.Failure, StringComparison.Ordinal);
        Assert.Contains("--force replication-lag", blocked.Failure, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), env.SideEffects);
        Assert.Empty(await env.Journal.ListRunsAsync(10, CancellationToken.None));

        var forced = await runner.StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string> { PreflightChecks.ReplicationLag } }, CancellationToken.None);

        Assert.Contains(forced.Checks, c => c.Name == PreflightChecks.ReplicationLag && c.Forced);
    }

    [Fact]
    public async Task Start_UnplannedWithUnappliedChanges_EstimatesTheRpoFromTheOldestAndDoesNotWait()
    {
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("clusters: { primary: app-east, standby: app-west }", "clusters: { primary: app-east, standby: app-west }\n  mode: unplanned", StringComparison.Ordinal));
        var runner = new FailoverRunner(env.Plan, env.Ports(lag: new Lagging(TimeSpan.FromMinutes(5))), TimeProvider.System, NullLogger.Instance);

        var result = await runner.StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string> { PreflightChecks.ReplicationLag } }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.InRange(result.Run.RpoEstimateSeconds!.Value, 295, 310);
        Assert.Equal(2, result.UnappliedAtFence);
        Assert.Contains("unplanned, not waiting", result.Steps.Single(s => s.Name == DrainStep.StepName).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnplannedWithADatabaseReplicaLag_CountsTheLagInTheRpoEstimate()
    {
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("clusters: { primary: app-east, standby: app-west }", "clusters: { primary: app-east, standby: app-west }\n  mode: unplanned", StringComparison.Ordinal));
        env.Database.Lag = TimeSpan.FromSeconds(1.5);

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(1.5, result.DatabaseLagSeconds);
        Assert.Equal(0, result.IdentityRpoSeconds);
        Assert.Equal(1.5, result.Run.RpoEstimateSeconds);
    }

    [Fact]
    public async Task Start_PlannedWithADatabaseLagAboveTheLimit_StopsInPreflight()
    {
        var env = new FakeEnvironment();
        env.Database.Lag = TimeSpan.FromMinutes(2);

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(result.BlockedByPreflight);
        Assert.Contains("preflight.maxDatabaseLag", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ForceNamingAnUnknownCheck_IsRefusedWithTheKnownNames()
    {
        var env = new FakeEnvironment();

        var error = await Assert.ThrowsAsync<FailoverException>(() => Runner(env).StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string> { "lag" } }, CancellationToken.None));

        Assert.Contains("'lag'".Trim('\''), error.Message, StringComparison.Ordinal);
        Assert.Contains(PreflightChecks.ReplicationLag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ExecuteWithoutTheEnvironmentName_IsRefusedBeforeAnythingChanges()
    {
        var env = new FakeEnvironment();

        var error = await Assert.ThrowsAsync<FailoverException>(() => Runner(env).StartAsync(RunKind.Execute, new RunOptions(), CancellationToken.None));

        Assert.Contains("'execute' changes production", error.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), env.SideEffects);
        Assert.Empty(await env.Journal.ListRunsAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Resume_WithAChangedPlan_IsRefused()
    {
        var env = new FakeEnvironment();
        using var kill = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(env).StartAsync(
            RunKind.Drill,
            new RunOptions { Observer = async (s, n) => { if (n == FenceStep.StepName) { await kill.CancelAsync(); kill.Token.ThrowIfCancellationRequested(); } } },
            kill.Token));
        var run = (await env.Journal.ListRunsAsync(1, CancellationToken.None)).Single();
        var changed = PlanReader.Parse(FakeEnvironment.PlanText.Replace("ttl: 60", "ttl: 30", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<FailoverException>(() => new FailoverRunner(changed, env.Ports(), TimeProvider.System, NullLogger.Instance).ResumeAsync(run.RunId, new RunOptions(), CancellationToken.None));

        Assert.Contains("different plan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StepThatCannotFinish_FailsTheRunNamingTheStepAndStopsLaterSteps()
    {
        var env = new FakeEnvironment();

        var result = await new FailoverRunner(env.Plan, env.Ports(signIn: new FailingSignIn()), TimeProvider.System, NullLogger.Instance)
            .StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string> { PreflightChecks.Health } }, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("journey password-sign-in", result.Failure, StringComparison.Ordinal);
        Assert.Equal(StepState.Failed, result.Steps.Single(s => s.Name == VerifyStep.StepName).State);
        Assert.Null(result.Run.RtoSeconds);
    }

    private static FailoverRunner Runner(FakeEnvironment env) => new(env.Plan, env.Ports(), TimeProvider.System, NullLogger.Instance);

    private static void AssertFailedOver(FakeEnvironment env)
    {
        var control = env.Control.Current!;
        Assert.Equal(env.Plan.Pools.Standby.UserPoolId, control.SourcePoolId);
        Assert.Equal(env.Plan.Pools.Primary.UserPoolId, control.TargetPoolId);
        Assert.True(control.Writable);
        Assert.Equal(2, control.Epoch);
        Assert.True(env.Database.StandbyIsWriter);
        Assert.Equal((4, 1), (env.Capacity.SizeOf("us-west-2", "shop-west"), env.Capacity.SizeOf("us-east-1", "shop-east")));
        Assert.Equal(["west.example.com"], env.Dns.Get("auth.example.com.", "CNAME")!.ResourceRecords);
        Assert.All(new[] { "us-east-1", "us-west-2" }, region => Assert.Equal(env.Plan.Parameters.Select(p => p.Values.Standby), env.ParameterValues(region)));
    }

    private sealed class Lagging(TimeSpan age) : IReplicationLag
    {
        public Task<LagReport> MeasureAsync(ReplicationControl control, CancellationToken cancellationToken) =>
            Task.FromResult(new LagReport(10, 2, TimeProvider.System.GetUtcNow() - age, null, false));
    }

    private sealed class FailingSignIn : ISignInProbe
    {
        public Task<(bool Succeeded, string Detail)> SignInAsync(PoolRole role, CancellationToken cancellationToken) => Task.FromResult((false, "NotAuthorizedException"));
    }
}
