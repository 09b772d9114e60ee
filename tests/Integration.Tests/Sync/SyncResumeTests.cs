using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Sync;

/// <summary>Full sync interrupted half way and run again converges, creates nobody twice, and redoes nothing finished.</summary>
public sealed class SyncResumeTests
{
    private const int Users = 40;

    [Fact]
    public async Task Sync_InterruptedHalfWayAndRerun_ConvergesWithoutDuplicatesOrRepeatedWork()
    {
        // The quota proxy counts the calls that reach each pool (at quotas far above what the test needs).
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Quotas = new QuotaProxyOptions { Scale = 100 } });
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "blue");
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "green");
        for (var i = 0; i < Users; i++)
        {
            await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, $"resume-{i:D2}@example.com", groups: [i % 2 == 0 ? "blue" : "green"]);
        }

        // Slow user creation in the standby down to 20 a second, so the interruption lands half way.
        var slow = new Dictionary<string, string?> { ["Quotas:Standby:Rates:UserCreation"] = "20", ["Sync:Concurrency"] = "4" };
        var standbyProxy = sandbox.QuotaProxyOf(sandbox.Standby);
        standbyProxy.Reset();
        await using (var first = sandbox.Tools(slow))
        {
            using var interrupt = new CancellationTokenSource();
            var progress = new SyncProgress();
            var run = first.SyncAsync(progress, interrupt.Token);
            await Eventually.TrueAsync(() => Task.FromResult(progress.Done >= Users / 2 || run.IsCompleted), TimeSpan.FromSeconds(60), "half the users to sync");
            await interrupt.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        var createdFirst = Created(standbyProxy);
        Assert.InRange(createdFirst, 1, Users - 1);

        standbyProxy.Reset();
        await using var second = sandbox.Tools();
        var result = await second.SyncAsync();

        Assert.Equal(0, result.Failed);
        Assert.Equal(Users - createdFirst, Created(standbyProxy));
        var standbyUsers = await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby);
        Assert.Equal(Users, standbyUsers.Count);
        Assert.Equal(Users, standbyUsers.Select(u => u.Attributes!.Single(a => a.Name == "email").Value).Distinct(StringComparer.Ordinal).Count());
        Assert.True((await second.DriftAsync()).Summary.InSync);

        // Once converged, another run only reads.
        standbyProxy.Reset();
        var third = await second.SyncAsync();
        Assert.Equal(0, third.Applied);
        Assert.All(standbyProxy.AllowedByOperation.Keys, operation => Assert.Contains(operation, new[] { "DescribeUserPool", "ListUsers", "ListGroups", "ListUsersInGroup" }));
    }

    private static long Created(QuotaProxy proxy) => proxy.AllowedByOperation.GetValueOrDefault("AdminCreateUser");
}
