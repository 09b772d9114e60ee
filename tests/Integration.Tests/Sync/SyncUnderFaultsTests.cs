using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Sync;

/// <summary>Chaos: throttling, server errors, dropped connections and latency on the standby do not stop full sync converging.</summary>
public sealed class SyncUnderFaultsTests
{
    [Fact]
    public async Task Sync_StandbyThrottlesFailsAndDropsCalls_StillConvergesExactly()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "ops");
        for (var i = 0; i < 20; i++)
        {
            await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, $"chaos-{i:D2}@example.com", groups: i % 3 == 0 ? ["ops"] : []);
        }

        var faults = sandbox.FaultsOf(sandbox.Standby);
        faults.Configure(new FaultOptions { Throttle = 0.1, ServerError = 0.05, Drop = 0.05, Latency = 0.1, LatencyDuration = TimeSpan.FromMilliseconds(50), Seed = 7 });
        await using var services = sandbox.Tools();

        var result = await services.SyncAsync();

        Assert.True(faults.Injected > 0, "the test injected no fault and proves nothing");
        Assert.Equal(0, result.Failed);
        faults.Configure(null);
        Assert.True((await services.DriftAsync()).Summary.InSync);
        Assert.Equal(20, (await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby)).Count);
    }
}
