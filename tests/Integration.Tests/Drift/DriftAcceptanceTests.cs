using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Storage;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Integration.Tests.Drift;

/// <summary>
/// The acceptance: pools differing in ways made directly through the Cognito API are reported exactly —
/// each difference named, nothing else — and --repair brings the report to zero.
/// </summary>
public sealed class DriftAcceptanceTests
{
    [Fact]
    public async Task Drift_DifferencesMadeThroughTheApi_AreEachNamedExactlyAndRepairBringsThemToZero()
    {
        // CloudTrail capture off: the differences are made behind the tool's back, so the mirror stays behind the primary.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RecordCloudTrail = false });
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "staff", "Everyone on staff", 5);
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "admins");
        await SandboxPools.CreateGroupAsync(sandbox, sandbox.Primary, "auditors");
        var users = new List<SandboxUser>();
        for (var i = 0; i < 8; i++)
        {
            users.Add(await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, $"drift-{i}@example.com", groups: i < 3 ? ["staff"] : i == 3 ? ["admins"] : []));
        }

        await using var services = sandbox.Tools();
        await services.SyncAsync();
        var reporter = services.GetRequiredService<DriftReporter>();
        Assert.True((await reporter.RunAsync(new DriftRequest(), CancellationToken.None)).Summary.InSync, "the pools must start in step");

        var primary = sandbox.Client(sandbox.Primary);
        var standby = sandbox.Client(sandbox.Standby);
        var poolId = sandbox.Standby.UserPoolId;
        // 1. a user missing in the standby, 2. a user only in the standby, 3. an attribute changed in the primary,
        // 4. a user disabled in the standby, 5. a membership removed in the standby, 6. a group deleted in the standby.
        await standby.AdminDeleteUserAsync(new AdminDeleteUserRequest(poolId, users[4].Email));
        var extra = await SandboxPools.CreateUserAsync(sandbox, sandbox.Standby, "only-in-standby@example.com");
        await primary.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(sandbox.Primary.UserPoolId, users[5].Username, [new AttributeType("custom:tier", "secret-tier")]));
        await standby.AdminDisableUserAsync(new AdminDisableUserRequest(poolId, users[6].Email));
        var standbyUser0 = (await standby.AdminGetUserAsync(new AdminGetUserRequest(poolId, users[0].Email))).Username!;
        await standby.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(poolId, standbyUser0, "staff"));
        await standby.DeleteGroupAsync(new DeleteGroupRequest("auditors", poolId));

        var report = await reporter.RunAsync(new DriftRequest(), CancellationToken.None);

        Assert.Equal(6, report.Summary.Differences);
        Assert.Collection(
            report.Differences,
            d => Assert.Equal((DriftKind.UserMissing, users[4].Sub), (d.Kind, d.Sub)),
            d => Assert.Equal((DriftKind.UserExtra, extra.Sub), (d.Kind, d.TargetSub)),
            d =>
            {
                Assert.Equal((DriftKind.Attributes, users[5].Sub), (d.Kind, d.Sub));
                Assert.Equal(new FieldDifference("custom:tier"), Assert.Single(d.Fields!.Value));
                Assert.Equal(MirrorState.Behind, d.Mirror);
            },
            d => Assert.Equal((DriftKind.Enabled, users[6].Sub, "enabled", "disabled"), (d.Kind, d.Sub, d.Expected, d.Actual)),
            d =>
            {
                Assert.Equal((DriftKind.Memberships, users[0].Sub), (d.Kind, d.Sub));
                Assert.Equal("staff", Assert.Single(d.MissingGroups!.Value));
                Assert.Empty(d.ExtraGroups!.Value);
            },
            d => Assert.Equal((DriftKind.GroupMissing, "auditors"), (d.Kind, d.Group)));
        var json = DriftFormats.Render(report, DriftFormat.Json);
        Assert.DoesNotContain("secret-tier", json, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", json, StringComparison.Ordinal);

        // The command line says the same, with exit code 1 for drift above --fail-on.
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(90), "drift", "--config", sandbox.ConfigFile, "--format", "json", "--fail-on", "5");
        Assert.Equal(1, exit);
        Assert.Equal(6, JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["summary"]!["differences"]!.GetValue<int>());

        // A dry-run sync lists what it would do, and the delete it would only make with --prune.
        var (dryExit, plan) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(90), "sync", "--config", sandbox.ConfigFile, "--dry-run");
        Assert.Equal(0, dryExit);
        Assert.Contains("Would create 1 users and 1 groups", plan, StringComparison.Ordinal);
        Assert.Contains($"user {extra.Sub}", plan, StringComparison.Ordinal);
        Assert.Contains("sync: ", plan, StringComparison.Ordinal);

        // Destructive commands plan first: without a terminal and without --yes they change nothing and exit 2;
        // --dry-run prints the plan (counts, then the first items) and changes nothing.
        var (refusedExit, refused) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(90), "drift", "--config", sandbox.ConfigFile, "--repair");
        Assert.True(refusedExit == 2, refused);
        Assert.Contains("Pass --yes to apply without asking, or --dry-run to print the plan only.", refused, StringComparison.Ordinal);
        var (syncRefusedExit, syncRefused) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(90), "sync", "--config", sandbox.ConfigFile);
        Assert.True(syncRefusedExit == 2, syncRefused);
        Assert.Contains("there is no terminal to ask on; nothing was changed", syncRefused, StringComparison.Ordinal);
        var (planExit, repairPlan) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(90), "drift", "--config", sandbox.ConfigFile, "--repair", "--dry-run");
        Assert.True(planExit == 1, repairPlan);
        Assert.Contains($"Plan: --repair changes the target pool {sandbox.Standby.Region}/{poolId}: ", repairPlan, StringComparison.Ordinal);
        Assert.Contains("1 user created (userMissing)", repairPlan, StringComparison.Ordinal);
        Assert.Contains("1 user deleted (userExtra)", repairPlan, StringComparison.Ordinal);
        Assert.Contains("1 group created (groupMissing)", repairPlan, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing was changed.", repairPlan, StringComparison.Ordinal);
        Assert.Equal(6, (await reporter.RunAsync(new DriftRequest(), CancellationToken.None)).Summary.Differences);

        var repaired = await reporter.RunAsync(new DriftRequest(Repair: true), CancellationToken.None);

        Assert.Equal(0, repaired.Repair!.RemainingDifferences);
        Assert.Equal(0, repaired.Repair.Failed);
        Assert.True((await reporter.RunAsync(new DriftRequest(), CancellationToken.None)).Summary.InSync);

        // A scheduled run publishes its summary to EventBridge (the sandbox's bus records it).
        var scheduled = new DriftReportService(
            reporter,
            services.GetRequiredService<DriftEvents>(),
            new ReportStores([]),
            Options.Create(new DriftOptions { Schedule = "0 3 * * *" }),
            TimeProvider.System,
            NullLogger<DriftReportService>.Instance);
        await scheduled.RunOnceAsync(CancellationToken.None);
        var published = Assert.Single(sandbox.EventBus.Events, e => e["detail-type"]!.GetValue<string>() == DriftEvents.DetailType);
        Assert.Equal(DriftEvents.Source, published["source"]!.GetValue<string>());
        Assert.True(published["detail"]!["summary"]!["inSync"]!.GetValue<bool>());
    }
}
