using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Sweep;

/// <summary>
/// Changes no Cognito trigger reports — admin attribute edits, disables, deletions, membership and group changes —
/// reach the standby through the worker's sweep of the primary.
/// </summary>
public sealed class SweepConvergenceTests
{
    [Fact]
    public async Task Worker_AdminChangesWithoutTriggers_ConvergeInTheStandbyThroughTheSweep()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var settings = new Dictionary<string, string?> { ["Sweep:Interval"] = "00:00:01", ["Sweep:RunOnStart"] = "true" };
        await using var worker = await sandbox.StartWorkerAsync(settings);
        await using var tools = sandbox.Tools(settings);
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "sales", "Sales team");
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "retired");
        var users = new List<SandboxUser>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, $"sweep-{i}@example.com", groups: i % 2 == 0 ? ["sales"] : []));
        }

        await ConvergedAsync(tools, "the new users and groups");

        var primary = sandbox.Client(sandbox.Primary);
        var pool = sandbox.Primary.UserPoolId;
        await primary.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(pool, users[0].Username, [new AttributeType("custom:tier", "platinum")]));
        await primary.AdminDeleteUserAttributesAsync(new AdminDeleteUserAttributesRequest(pool, users[1].Username, ["custom:tier"]));
        await primary.AdminDisableUserAsync(new AdminDisableUserRequest(pool, users[2].Username));
        await primary.AdminDeleteUserAsync(new AdminDeleteUserRequest(pool, users[3].Username));
        await primary.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool, users[5].Username, "sales"));
        await primary.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(pool, users[4].Username, "sales"));
        await primary.UpdateGroupAsync(new UpdateGroupRequest("sales", pool) { Description = "Sales and marketing", Precedence = 3 });
        await primary.DeleteGroupAsync(new DeleteGroupRequest("retired", pool));
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "support");

        var report = await ConvergedAsync(tools, "the admin changes");

        Assert.Equal(5, report.Target.Users);
        Assert.Equal(["sales", "support"], (await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby)).Count == 5
            ? await StandbyGroupsAsync(sandbox)
            : []);
    }

    private static Task<DriftReport> ConvergedAsync(IServiceProvider tools, string what) =>
        Eventually.ReturnsAsync(
            () => tools.DriftAsync(),
            r => r.Summary.InSync && r.Summary.MirrorBehind == 0,
            TimeSpan.FromSeconds(60),
            $"{what} to reach the standby");

    private static async Task<List<string>> StandbyGroupsAsync(SandboxEnvironment sandbox)
    {
        var names = new List<string>();
        await foreach (var group in sandbox.Client(sandbox.Standby).ListGroupsAsync(new ListGroupsRequest(sandbox.Standby.UserPoolId)))
        {
            names.Add(group.GroupName!);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
