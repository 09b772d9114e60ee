using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests.Sync;

/// <summary>Chaos: throttling, server errors, dropped connections and latency on the standby do not stop full sync converging.</summary>
public sealed class SyncUnderFaultsTests
{
    [Fact]
    public async Task Sync_StandbyThrottlesFailsAndDropsCalls_StillConvergesExactly()
    {
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "ops");
        for (var i = 0; i < 20; i++)
        {
            await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, $"chaos-{i:D2}@example.com", groups: i % 3 == 0 ? ["ops"] : []);
        }

        var faults = sandbox.FaultsOf(sandbox.Standby);
        faults.Configure(new FaultOptions { Throttle = 0.1, ServerError = 0.05, Drop = 0.05, Latency = 0.1, LatencyDuration = TimeSpan.FromMilliseconds(50), Seed = 7 });
        await using var services = ToolHost.Build(sandbox.Configuration(), verbose: false);

        var result = await services.GetRequiredService<FullSync>().RunAsync(new SyncRequest(), null, CancellationToken.None);

        Assert.True(faults.Injected > 0, "the test injected no fault and proves nothing");
        Assert.Equal(0, result.Failed);
        faults.Configure(null);
        Assert.True((await services.GetRequiredService<DriftReporter>().RunAsync(new DriftRequest(), CancellationToken.None)).Summary.InSync);
        Assert.Equal(20, (await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby)).Count);
    }
}
