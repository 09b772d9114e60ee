using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Replicator.Sweep;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary>
/// After a failover the control item names the standby as the source: the sweep reads it (and the mirror accepts
/// what it records), and sync converges the primary, now the target, from it — no swapped configuration needed.
/// </summary>
public sealed class AfterFailoverDirectionTests
{
    [Fact]
    public async Task SweepAndSync_AfterTheControlItemReversesReplication_ReadTheStandbyAndConvergeThePrimary()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var tools = sandbox.Tools(configure: (services, configuration) => services.AddSourceSweep(configuration));
        var sweep = tools.GetRequiredService<SourceSweep>();
        var ada = await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, "ada@example.com");
        Assert.Equal(1, (await tools.SyncAsync()).Applied);

        // The failover: the standby is now where users sign in.
        await SandboxPools.ReverseReplicationAsync(sandbox);
        var source = sandbox.Client(sandbox.Standby);
        var adaThere = (await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby)).Single(u => u.Attributes!.Any(a => a is { Name: "email", Value: "ada@example.com" }));
        await source.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(sandbox.Standby.UserPoolId, adaThere.Username!, [new AttributeType("custom:tier", "gold")]));
        await SandboxPools.CreateUserAsync(sandbox, sandbox.Standby, "bea@example.com");

        var swept = await sweep.RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, swept.Users);
        var recorded = await sandbox.Mirror().ReadAllAsync(appliedRegion: null, CancellationToken.None);
        var adaSnapshot = recorded.Users.Values.Single(u => !u.Deleted && u.Profile?.Attributes.GetValueOrDefault("email") == "ada@example.com");
        Assert.Equal(sandbox.Standby.UserPoolId, adaSnapshot.SourcePoolId);
        Assert.Equal("gold", adaSnapshot.Profile!.Attributes["custom:tier"]);

        var result = await tools.SyncAsync();

        Assert.Equal(0, result.Failed);
        var target = await SandboxPools.ListUsersAsync(sandbox, sandbox.Primary);
        Assert.Equal(["ada@example.com", "bea@example.com"], target.Select(u => u.Attributes!.Single(a => a.Name == "email").Value).Order(StringComparer.Ordinal));
        Assert.Equal("gold", target.Single(u => u.Attributes!.Any(a => a.Value == "ada@example.com")).Attributes!.Single(a => a.Name == "custom:tier").Value);
        var report = await tools.DriftAsync();
        Assert.Equal(sandbox.Standby.UserPoolId, report.Source.UserPoolId);
        Assert.Equal(sandbox.Standby.Region, report.Source.Region);
        Assert.Equal(sandbox.Primary.UserPoolId, report.Target.UserPoolId);
        Assert.True(report.Summary.InSync, string.Join("; ", report.Differences.Select(d => $"{d.Kind} {d.Detail}")));
        _ = ada;
    }
}
