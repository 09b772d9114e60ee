using IdentityReplicator.Cli.Bench;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The sync benchmark end to end on a small workload (the real figures come from 'idrep bench sync').</summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task SyncBenchmark_SmallWorkload_ConvergesBothWaysAndMeasuresAgainstTheCeiling()
    {
        var bench = new SyncBenchmark(NullLoggerFactory.Instance, TimeProvider.System, _ => { });

        var result = await bench.RunAsync(new SyncBenchOptions(Users: 24, Groups: 3, Scale: 3), CancellationToken.None);

        Assert.True(result.Converged);
        Assert.Equal(24, result.Users);
        Assert.InRange(result.CeilingS, 0.1, 10);
        Assert.InRange(result.Efficiency, 0.01, 1.5);
        Assert.True(result.BaselineS > 0);
        Assert.Contains(result.Loads, l => l.Pool == "standby" && l.Category == Core.Quotas.QuotaCategory.UserCreation && l.Calls == 24);
        Assert.True(result.SpeedupBound >= 1);
    }
}
