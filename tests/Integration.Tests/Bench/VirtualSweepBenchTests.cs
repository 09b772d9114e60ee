using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Sandbox.VirtualPool;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary><c>idrep bench sweep --virtual</c> measures a sweep of a pool its mirror already holds, not a first fill.</summary>
public sealed class VirtualSweepBenchTests
{
    [Fact]
    public async Task RunAsync_Sweep_PreFillsTheMirrorSoThePassRecordsNothing()
    {
        var bench = new VirtualBenchmark(NullLoggerFactory.Instance, TimeProvider.System, _ => { });

        var result = await bench.RunAsync(VirtualBenchKind.Sweep, new VirtualPoolOptions { Users = 300, Groups = 3 }, 1, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(VirtualBenchmark.SteadySweep, result.Measures);
        Assert.Equal(0, result.DifferencesFound);
        Assert.True(result.Phases is { ListingS: > 0 }, "the listing's UserList calls were timed");
    }
}
