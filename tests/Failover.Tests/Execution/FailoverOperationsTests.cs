using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>What the failover commands call: which ports each operation opens, and the decisions it takes for the command.</summary>
public sealed class FailoverOperationsTests
{
    [Fact]
    public async Task StartAsync_ExecuteWithoutTheEnvironmentName_IsRefusedBeforeAnyPortIsOpened()
    {
        var env = new FakeEnvironment();
        var opened = new List<PoolRole>();

        var error = await Assert.ThrowsAsync<FailoverException>(() => Operations(env, opened).StartAsync(RunKind.Execute, new RunOptions { Confirmation = "prod" }, CancellationToken.None));

        Assert.Contains("--confirm test", error.Message, StringComparison.Ordinal);
        Assert.Empty(opened);
        Assert.Equal((0, 0, 0, 0), env.SideEffects);
    }

    [Fact]
    public async Task StartAsync_DrillOfAPlanWithoutDrillTrue_IsRefusedBeforeAnyPortIsOpened()
    {
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("drill: true", "drill: false", StringComparison.Ordinal));
        var opened = new List<PoolRole>();

        var error = await Assert.ThrowsAsync<FailoverException>(() => Operations(env, opened).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None));

        Assert.Contains("is not a drill environment", error.Message, StringComparison.Ordinal);
        Assert.Empty(opened);
    }

    [Fact]
    public async Task StartAsync_DrillThenFailback_OpenEachTheSideTheyMoveToAndRecordTheirKinds()
    {
        var env = new FakeEnvironment();
        var opened = new List<PoolRole>();

        var drill = await Operations(env, opened).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);
        var back = await Operations(env, opened).StartAsync(RunKind.Failback, new RunOptions(), CancellationToken.None);

        Assert.True(drill.Succeeded && back.Succeeded, drill.Failure ?? back.Failure);
        Assert.Equal([PoolRole.Standby, PoolRole.Primary], opened);
        Assert.Equal(("drill", PoolRole.Primary, PoolRole.Standby), (drill.Run.Kind, drill.Run.From, drill.Run.To));
        Assert.Equal(("failback", PoolRole.Standby, PoolRole.Primary), (back.Run.Kind, back.Run.From, back.Run.To));
        Assert.Equal(env.Plan.Pools.Primary.UserPoolId, env.Control.Current!.SourcePoolId);
    }

    [Fact]
    public async Task ResumeAsync_KilledFailback_ReadsTheJournalThenOpensThePortsOfTheRunsDirection()
    {
        var env = new FakeEnvironment();
        await Operations(env, []).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);
        var runId = await KilledAfterFenceAsync(env, RunKind.Failback, new RunOptions());
        var opened = new List<PoolRole>();

        var result = await Operations(env, opened).ResumeAsync(runId, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal([PoolRole.Standby, PoolRole.Primary], opened);
        Assert.Equal(env.Plan.Pools.Primary.UserPoolId, env.Control.Current!.SourcePoolId);
    }

    [Fact]
    public async Task ResumeAsync_KilledExecution_CarriesOnWithoutAskingForTheConfirmationAgain()
    {
        var env = new FakeEnvironment();
        var runId = await KilledAfterFenceAsync(env, RunKind.Execute, new RunOptions { Confirmation = "test" });

        var result = await Operations(env, []).ResumeAsync(runId, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal("execute", result.Run.Kind);
        Assert.Equal(2, result.Run.Attempts);
    }

    [Fact]
    public async Task ResumeAsync_UnknownRun_SaysWhereTheRunsAreListed()
    {
        var env = new FakeEnvironment();

        var error = await Assert.ThrowsAsync<FailoverException>(() => Operations(env, []).ResumeAsync("20260101-000000-abcd", new RunOptions(), CancellationToken.None));

        Assert.Equal("No run '20260101-000000-abcd' in the journal; 'idrep failover status --plan …' lists the runs.", error.Message);
    }

    [Fact]
    public async Task GetRunAsync_KilledRun_ListsEveryStepInPlanOrderAndItsSummaryAsTheFailure()
    {
        var env = new FakeEnvironment();
        var runId = await KilledAfterFenceAsync(env, RunKind.Drill, new RunOptions());

        var result = await Operations(env, []).GetRunAsync(runId, CancellationToken.None);

        Assert.Equal(FailoverStep.All().Select(s => s.Name), result.Steps.Select(s => s.Name));
        Assert.Equal(StepState.Succeeded, result.Steps.Single(s => s.Name == FenceStep.StepName).State);
        Assert.Equal(StepState.Pending, result.Steps.Single(s => s.Name == VerifyStep.StepName).State);
        Assert.Equal(RunState.Aborted, result.Run.State);
        Assert.Equal($"aborted; resume with 'idrep failover resume --run {runId}'", result.Failure);
    }

    [Fact]
    public async Task GetRunAsync_SucceededRun_HasNoFailure()
    {
        var env = new FakeEnvironment();
        var run = await Operations(env, []).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        var result = await Operations(env, []).GetRunAsync(run.Run.RunId, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.All(result.Steps, s => Assert.Equal(StepState.Succeeded, s.State));
    }

    [Fact]
    public async Task GetRunAsync_UnknownRun_IsRefused()
    {
        var error = await Assert.ThrowsAsync<FailoverException>(() => Operations(new FakeEnvironment(), []).GetRunAsync("nope", CancellationToken.None));

        Assert.Equal("No run 'nope' in the journal.", error.Message);
    }

    [Fact]
    public async Task PreviewAsync_Failback_DescribesEveryStepFromTheStandbyToThePrimaryAndChangesNothing()
    {
        var env = new FakeEnvironment();
        var opened = new List<PoolRole>();

        var preview = await Operations(env, opened).PreviewAsync(PoolRole.Primary, CancellationToken.None);

        Assert.Equal([PoolRole.Primary], opened);
        Assert.Equal((PoolRole.Standby, PoolRole.Primary), (preview.From, preview.To));
        Assert.Equal(FailoverStep.All().Select(s => (s.Name, s.Describe(env.Plan, PoolRole.Standby, PoolRole.Primary))), preview.Steps.Select(s => (s.Name, s.Does)));
        Assert.Equal(FailoverStep.All().Select(s => string.Join(",", s.After)), preview.Steps.Select(s => string.Join(",", s.After)));
        Assert.Null(preview.Control);
        Assert.Equal((0, 0, 0, 0), env.SideEffects);
    }

    [Fact]
    public async Task PreviewAsync_EveryCheckPasses_IsReady()
    {
        var preview = await Operations(new FakeEnvironment(), []).PreviewAsync(PoolRole.Standby, CancellationToken.None);

        Assert.NotEmpty(preview.Checks);
        Assert.True(preview.Ready, string.Join("; ", preview.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}")));
    }

    [Fact]
    public async Task PreviewAsync_FailingCheck_IsNotReady()
    {
        var env = new FakeEnvironment();
        env.Database.Lag = TimeSpan.FromMinutes(2);

        var preview = await Operations(env, []).PreviewAsync(PoolRole.Standby, CancellationToken.None);

        Assert.False(preview.Ready);
    }

    [Fact]
    public async Task StatusAsync_AfterADrill_ShowsTheControlAndTheLatestRunsNewestFirst()
    {
        var env = new FakeEnvironment();
        var drill = await Operations(env, []).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);
        var back = await Operations(env, []).StartAsync(RunKind.Failback, new RunOptions(), CancellationToken.None);

        var status = await Operations(env, []).StatusAsync(1, CancellationToken.None);

        Assert.Equal(env.Control.Current, status.Control);
        Assert.Equal([back.Run.RunId], status.Runs.Select(r => r.RunId));
        Assert.NotEqual(drill.Run.RunId, back.Run.RunId);
    }

    private static FailoverOperations Operations(FakeEnvironment env, List<PoolRole> opened) =>
        new(env.Plan, TimeProvider.System, NullLogger.Instance, role =>
        {
            opened.Add(role);
            return env.Ports();
        });

    /// <summary>Starts a run and kills it once the fence step is journaled; returns its id.</summary>
    private static async Task<string> KilledAfterFenceAsync(FakeEnvironment env, RunKind kind, RunOptions options)
    {
        using var kill = new CancellationTokenSource();
        var killed = options with
        {
            Observer = async (stage, step) =>
            {
                if (stage == "completed" && step == FenceStep.StepName)
                {
                    await kill.CancelAsync();
                    kill.Token.ThrowIfCancellationRequested();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Operations(env, []).StartAsync(kind, killed, kill.Token));
        return (await env.Journal.ListRunsAsync(1, CancellationToken.None)).Single().RunId;
    }
}
