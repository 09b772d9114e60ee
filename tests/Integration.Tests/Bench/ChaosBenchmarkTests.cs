using IdentityReplicator.Cli.Bench;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>
/// The chaos benchmark, small and seeded: faults in front of the standby, the worker process SIGKILLed once and
/// started again, stale CloudTrail events delivered twice, hostile input of every sort among the writes; the standby
/// must end holding every user as intended, and no hostile delivery may be retried, answered wrongly or written.
/// (`idrep bench chaos` runs the full-size attack; docs/reliability.md has its figures.)
/// </summary>
public sealed class ChaosBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ChaosBenchmark_SmallRunOneKillStaleEventsReplayedHostileInput_StandbyHoldsEveryUserAsIntended()
    {
        var bench = new ChaosBenchmark(NullLoggerFactory.Instance, TimeProvider.System, output.WriteLine);
        var options = new ChaosBenchOptions(Users: 40, Changes: 200, Throttle: 0.2, Errors: 0.01, Kills: 1, Seed: 10)
        {
            ReplayShare = 0.25,
            Hostile = 0.1,
            ConvergenceTimeout = TimeSpan.FromSeconds(90),
            StallTimeout = TimeSpan.FromSeconds(30),
        };

        var result = await bench.RunAsync(options, CancellationToken.None);

        Assert.Equal(1, result.Kills);
        Assert.True(result.Faults.Throttled > 0 && result.Replayed > 0, "the run injected no fault or replayed no event, and proves nothing");
        Assert.Equal(24, result.Hostile.Delivered);
        Assert.True(result.Hostile.Rejected > 0, "the Replicator refused no hostile input as bad");
        Assert.True(result.Hostile.FailureCount == 0, string.Join(Environment.NewLine, result.Hostile.Failures));
        Assert.Empty(result.Tally.PrimaryNotAsIntended);
        Assert.True(result.Tally.Findings.Count == 0, string.Join(Environment.NewLine, result.Tally.Findings));
        Assert.Equal(0, result.Tally.Lost);
        Assert.Equal(0, result.Tally.Wrong);
        Assert.Equal(0, result.DriftDifferences);
        Assert.True(result.Converged);
    }
}
