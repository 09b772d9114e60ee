using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Native;
using IdentityReplicator.Failover.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Native;

/// <summary>A run in native mode: the replica serves, the client configuration moves Region, the mirror's steps say they were skipped.</summary>
public sealed class NativeRunTests
{
    [Fact]
    public void All_NativePlan_KeepsTheReplicatorStepsNamedAndWaitsForTheReplicaBeforeMovingTheApplication()
    {
        var env = new NativeEnvironment();

        var steps = FailoverStep.All(env.Plan);

        Assert.Contains(steps, s => s.Name == NativeReplicaStep.StepName);
        Assert.All(steps.Where(s => s.Name is FenceStep.StepName or DrainStep.StepName or ReverseReplicationStep.StepName), s => Assert.StartsWith("Skipped in native mode:", s.Describe(env.Plan, PoolRole.Primary, PoolRole.Standby), StringComparison.Ordinal));
        Assert.Contains(NativeReplicaStep.StepName, steps.Single(s => s.Name == ClientConfigStep.StepName).After);
        Assert.Contains(NativeReplicaStep.StepName, steps.Single(s => s.Name == DnsStep.StepName).After);
        Assert.DoesNotContain(FailoverStep.All(), s => s.Name == NativeReplicaStep.StepName);
    }

    [Fact]
    public async Task Start_DrillToTheReplica_MovesTheClientConfigurationRegionAndLeavesTheControlItemAlone()
    {
        var env = new NativeEnvironment();

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal("us-west-2", env.World.Parameters["us-east-1"]["/app/cognito-region"]);
        Assert.Equal("us-west-2", env.World.Parameters["us-west-2"]["/app/cognito-region"]);
        Assert.Equal(0, env.World.Control.Writes);
        Assert.Equal(0, env.Replicas.Activations);
        Assert.All(result.Steps.Where(s => s.Name is FenceStep.StepName or DrainStep.StepName or ReverseReplicationStep.StepName), s => Assert.StartsWith("skipped in native mode:", s.Detail, StringComparison.Ordinal));
        Assert.EndsWith("is ACTIVE already", result.Steps.Single(s => s.Name == NativeReplicaStep.StepName).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ReplicaInactiveAndForced_ActivatesItOnceAndAResumeDoesNotRepeatIt()
    {
        var env = new NativeEnvironment();
        env.Replicas.Set("us-west-2", ReplicaStatus.Inactive);
        using var kill = new CancellationTokenSource();
        var options = new RunOptions
        {
            Force = new HashSet<string>(StringComparer.Ordinal) { Failover.Preflight.PreflightChecks.NativeReplica },
            Observer = async (stage, step) =>
            {
                if (stage == "acted" && step == NativeReplicaStep.StepName)
                {
                    await kill.CancelAsync();
                    kill.Token.ThrowIfCancellationRequested();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(env).StartAsync(RunKind.Drill, options, kill.Token));
        var run = (await env.World.Journal.ListRunsAsync(1, CancellationToken.None)).Single();
        var resumed = await Runner(env).ResumeAsync(run.RunId, new RunOptions(), CancellationToken.None);

        Assert.True(resumed.Succeeded, resumed.Failure);
        Assert.Equal(1, env.Replicas.Activations);
        Assert.Equal(StepState.Succeeded, resumed.Steps.Single(s => s.Name == NativeReplicaStep.StepName).State);
    }

    [Fact]
    public async Task Start_FailbackAfterDrill_ReturnsTheClientConfigurationToThePrimaryRegion()
    {
        var env = new NativeEnvironment();
        Assert.True((await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None)).Succeeded);

        var back = await Runner(env).StartAsync(RunKind.Failback, new RunOptions(), CancellationToken.None);

        Assert.True(back.Succeeded, back.Failure);
        Assert.Equal("us-east-1", env.World.Parameters["us-east-1"]["/app/cognito-region"]);
        Assert.Equal("east.example.com", Assert.Single(env.World.Dns.Get("auth.example.com.", "CNAME")!.ResourceRecords));
        Assert.Contains(PoolRole.Primary, env.Replicas.ListedAt);
        Assert.Equal(0, env.World.Control.Writes);
    }

    [Fact]
    public async Task Start_ReplicaDeleting_FailsTheStepAndSaysWhy()
    {
        var env = new NativeEnvironment();
        env.Replicas.Set("us-west-2", ReplicaStatus.Deleting);

        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string>(StringComparer.Ordinal) { Failover.Preflight.PreflightChecks.NativeReplica } }, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("is DELETING; it cannot serve end users", result.Failure, StringComparison.Ordinal);
        Assert.Equal("us-east-1", env.World.Parameters["us-west-2"]["/app/cognito-region"]);
    }

    private static FailoverRunner Runner(NativeEnvironment env) => new(env.Plan, env.Ports(), TimeProvider.System, NullLogger.Instance);
}
