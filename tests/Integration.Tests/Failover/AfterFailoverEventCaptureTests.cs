using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary>
/// After a failover the standby is the source: its admin-API changes (which fire no trigger) are recorded by
/// CloudTrail, delivered to the Replicator, read from the standby and applied to the primary within seconds —
/// with the worker's sweep turned off, so nothing else could have carried them.
/// </summary>
public sealed class AfterFailoverEventCaptureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AdminEditAndDisable_InTheStandbyAfterTheControlIsReversed_ReachThePrimaryWithoutASweep()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var worker = await sandbox.StartWorkerAsync(new Dictionary<string, string?> { ["Sweep:Enabled"] = "false" });
        var target = sandbox.UserDirectory(sandbox.Primary);
        var newSource = sandbox.UserDirectory(sandbox.Standby);
        var email = $"after-failover-{Guid.NewGuid():N}@example.com";
        await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, email);
        await Eventually.TrueAsync(async () => await newSource.FindUserAsync(email, CancellationToken.None) is not null, Bound, "the new user to be replicated to the standby");

        var mirror = sandbox.Mirror();
        var there = (await newSource.FindUserAsync(email, CancellationToken.None))!;
        await SandboxPools.ReverseReplicationAsync(sandbox);

        // The function trusts a control it read for a second: wait until it captures the new source (a hint is
        // recorded from it) rather than for a fixed time.
        var hints = sandbox.Hints(sandbox.Standby);
        await Eventually.TrueAsync(
            async () =>
            {
                await hints.PublishAsync(sandbox.Standby.UserPoolId, sub: there.Sub);
                return (await mirror.GetUserAsync(IdentityKeys.ForUsername(there.Username, caseSensitive: false), CancellationToken.None))?.SourcePoolId == sandbox.Standby.UserPoolId;
            },
            Bound,
            "the Replicator to capture the new source");
        var client = sandbox.Client(sandbox.Standby);
        await client.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(sandbox.Standby.UserPoolId, there.Username, [new AttributeType("custom:tier", "gold")]));
        await client.AdminDisableUserAsync(new AdminDisableUserRequest(sandbox.Standby.UserPoolId, there.Username));

        await Eventually.TrueAsync(
            async () => await target.FindUserAsync(email, CancellationToken.None) is { Enabled: false } user && user.Attributes.GetValueOrDefault("custom:tier") == "gold",
            Bound,
            "the attribute edit and the disable to reach the primary");
        var snapshot = (await mirror.GetUserAsync(IdentityKeys.ForUsername(there.Username, caseSensitive: false), CancellationToken.None))!;
        Assert.Equal(sandbox.Standby.UserPoolId, snapshot.SourcePoolId);
        Assert.Equal(CaptureSource.CloudTrail, snapshot.ChangeSource);
    }
}
