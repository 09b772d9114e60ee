using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>The capacity steps: the standby's application tier at full strength before DNS moves, and back after failback.</summary>
public sealed class CapacityStepTests
{
    [Fact]
    public async Task Start_Drill_RaisesTheStandbyTierAndItIsHealthyBeforeDnsStarts()
    {
        // Arrange
        var env = new FakeEnvironment();

        // Act
        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        // Assert
        Assert.True(result.Succeeded, result.Failure);
        var steps = result.Steps.ToDictionary(s => s.Name);
        var capacity = steps[CapacityStep.StepName];
        Assert.True(capacity.EndedAt <= steps[DnsStep.StepName].StartedAt, "DNS moved before the capacity was healthy");
        Assert.Equal(("1", "4"), (capacity.Data["web.before"], capacity.Data["web.after"]));
        Assert.True(capacity.Data.ContainsKey("web.seconds"));
        Assert.Contains("shop-west 1 → 4", capacity.Detail, StringComparison.Ordinal);
        Assert.Equal((4, 1), (env.Capacity.SizeOf("us-west-2", "shop-west"), env.Capacity.SizeOf("us-east-1", "shop-east")));
        Assert.Equal(2, env.Capacity.ScaleCalls);
    }

    [Fact]
    public async Task Start_FailbackAfterDrill_ReturnsBothRegionsToTheirWarmStandbySizes()
    {
        // Arrange
        var env = new FakeEnvironment();
        await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        // Act
        var back = await Runner(env).StartAsync(RunKind.Failback, new RunOptions(), CancellationToken.None);

        // Assert
        Assert.True(back.Succeeded, back.Failure);
        Assert.Equal((4, 1), (env.Capacity.SizeOf("us-east-1", "shop-east"), env.Capacity.SizeOf("us-west-2", "shop-west")));
        Assert.Equal(4, env.Capacity.ScaleCalls);
    }

    [Fact]
    public async Task Resume_KilledRightAfterTheScaleCall_DoesNotScaleAgain()
    {
        // Arrange
        var env = new FakeEnvironment();
        using var kill = new CancellationTokenSource();
        var options = new RunOptions
        {
            Observer = async (stage, name) =>
            {
                if (stage == "acted" && name == CapacityStep.StepName && !kill.IsCancellationRequested)
                {
                    await kill.CancelAsync();
                    kill.Token.ThrowIfCancellationRequested();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(env).StartAsync(RunKind.Drill, options, kill.Token));
        var run = (await env.Journal.ListRunsAsync(1, CancellationToken.None)).Single();
        Assert.Equal(1, env.Capacity.ScaleCalls);

        // Act
        var result = await Runner(env).ResumeAsync(run.RunId, new RunOptions(), CancellationToken.None);

        // Assert
        Assert.True(result.Succeeded, result.Failure);
        var capacity = result.Steps.Single(s => s.Name == CapacityStep.StepName);
        Assert.Equal(2, capacity.Attempts);
        Assert.Equal("1", capacity.Data["web.before"]);
        Assert.Equal(2, env.Capacity.ScaleCalls);
    }

    [Fact]
    public async Task Start_TierNeverHealthy_FailsTheStepNamingTheTimeoutAndLeavesDnsAlone()
    {
        // Arrange
        var env = new FakeEnvironment();
        env.Capacity.RampPolls = int.MaxValue;

        // Act
        var result = await Runner(env).StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("timeouts.capacity", result.Failure, StringComparison.Ordinal);
        Assert.Equal(0, env.Dns.EffectiveChanges);
    }

    [Fact]
    public async Task Preflight_ActiveAboveMax_FailsNamingTheField()
    {
        // Arrange
        var env = new FakeEnvironment();
        env.Capacity.Max = 3;

        // Act
        var checks = await Runner(env).PreflightAsync(Core.Configuration.PoolRole.Standby, CancellationToken.None);

        // Assert
        var check = checks.Single(c => c.Name == PreflightChecks.Capacity);
        Assert.False(check.Passed);
        Assert.Contains("capacity.tiers[web].active", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_Ready_PrintsSizesBeforeAndAfter()
    {
        // Arrange
        var env = new FakeEnvironment();

        // Act
        var checks = await Runner(env).PreflightAsync(Core.Configuration.PoolRole.Standby, CancellationToken.None);

        // Assert
        var check = checks.Single(c => c.Name == PreflightChecks.Capacity);
        Assert.True(check.Passed, check.Detail);
        Assert.Equal("web shop-west (us-west-2) 1 → 4, shop-east (us-east-1) 4 → 1 after verify", check.Detail);
    }

    [Fact]
    public async Task Preflight_ResourceMissing_FailsNamingTheResourcesField()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("standby: shop-west", "standby: shop-typo", StringComparison.Ordinal));

        // Act
        var checks = await Runner(env).PreflightAsync(Core.Configuration.PoolRole.Standby, CancellationToken.None);

        // Assert
        var check = checks.Single(c => c.Name == PreflightChecks.Capacity);
        Assert.False(check.Passed);
        Assert.Contains("shop-typo does not exist in us-west-2 (capacity.tiers[web].resources.standby)", check.Detail, StringComparison.Ordinal);
    }

    private static FailoverRunner Runner(FakeEnvironment env) => new(env.Plan, env.Ports(), TimeProvider.System, NullLogger.Instance);
}
