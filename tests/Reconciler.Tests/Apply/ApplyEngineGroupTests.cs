using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>Group snapshots: create, update, delete, idempotent.</summary>
public sealed class ApplyEngineGroupTests
{
    private static readonly DirectoryGroup Editors = new("editors", "Can edit articles", 5, "arn:aws:iam::123456789012:role/editors");

    private static GroupSnapshot Snapshot(DirectoryGroup group, long version, bool deleted = false) => new()
    {
        Name = group.Name,
        SourcePoolId = PrimaryUser.PrimaryPoolId,
        Description = group.Description,
        Precedence = group.Precedence,
        RoleArn = group.RoleArn,
        Deleted = deleted,
        Version = version,
        Hash = $"{group.Description}|{group.Precedence}|{group.RoleArn}|{deleted}",
    };

    [Fact]
    public async Task ApplyGroupAsync_NewGroup_IsCreatedWithDescriptionPrecedenceAndRole()
    {
        var harness = new StandbyHarness(PoolKind.Username);

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 1), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(Editors, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
        var applied = await harness.State.GetAppliedAsync(StandbyHarness.Region, EntityId.ForGroup("editors"), CancellationToken.None);
        Assert.Equal(1, applied!.ProfileVersion);
    }

    [Fact]
    public async Task ApplyGroupAsync_ChangedGroup_IsUpdated()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        harness.Standby.SeedGroup(Editors);
        var changed = Editors with { Description = "Edits and publishes", Precedence = 2, RoleArn = null };

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(changed, 2), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(changed, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
        Assert.Equal(1, harness.CallsOf("UpdateGroup"));
        Assert.Equal(0, harness.CallsOf("CreateGroup"));
    }

    [Fact]
    public async Task ApplyGroupAsync_DeletedGroup_IsDeletedWithItsMemberships()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        harness.Standby.SeedGroup(Editors);
        var user = harness.NewUser("amy");
        harness.SeedCounterpart(user, user.Attributes(), groups: ["editors", "admins"]);

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 3, deleted: true), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Null(await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
        Assert.Equal(["admins"], await harness.GroupsOfAsync(harness.RequiredCounterpart(user)));
    }

    [Fact]
    public async Task ApplyGroupAsync_DeletedGroupTheStandbyNeverHad_IsInSyncWithoutWrites()
    {
        var harness = new StandbyHarness(PoolKind.Username);

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 1, deleted: true), CancellationToken.None);

        Assert.Equal(ApplyOutcome.InSync, result.Outcome);
        Assert.Equal(0, harness.Standby.WriteCalls);
    }

    [Fact]
    public async Task ApplyGroupAsync_SameSnapshotTwice_SecondIsSkippedWithoutCalls()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var snapshot = Snapshot(Editors, 1);
        await harness.Engine.ApplyGroupAsync(snapshot, CancellationToken.None);
        harness.Standby.ResetCalls();

        var second = await harness.Engine.ApplyGroupAsync(snapshot, CancellationToken.None);
        var afterRestart = await harness.NewEngine().ApplyGroupAsync(snapshot, CancellationToken.None);

        Assert.Equal(ApplyOutcome.Skipped, second.Outcome);
        Assert.Equal(ApplyOutcome.Skipped, afterRestart.Outcome);
        Assert.Empty(harness.Standby.Calls);
    }

    [Fact]
    public async Task ApplyGroupAsync_NewerSnapshotWithSameContent_IsInSyncWithoutWrites()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 1), CancellationToken.None);
        harness.Standby.ResetCalls();

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 2), CancellationToken.None);

        Assert.Equal(ApplyOutcome.InSync, result.Outcome);
        Assert.Equal(0, harness.Standby.WriteCalls);
    }

    [Fact]
    public async Task ApplyGroupAsync_GroupCreatedConcurrentlyByAnotherWriter_UpdatesItInstead()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        harness.Intercepted.Before = (operation, name) =>
        {
            if (operation == "CreateGroup")
            {
                harness.Standby.SeedGroup(new DirectoryGroup(name, "created by someone else"));
            }
        };

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 1), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(Editors, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyGroupAsync_StandbyRejectsTheGroup_IsParkedWithTheCognitoCode()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        harness.Standby.FailNext("CreateGroup", CognitoErrors.Create("InvalidParameterException", "Role ARN is not valid"));

        var result = await harness.Engine.ApplyGroupAsync(Snapshot(Editors, 4), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        var parked = Assert.Single(harness.State.Parked);
        Assert.Equal(EntityId.ForGroup("editors"), parked.Entity);
        Assert.Equal("InvalidParameterException", parked.Code);
        Assert.Equal(4, parked.Version);
    }

    [Fact]
    public async Task ApplyAsync_FeedEntryOfAGroup_AppliesTheGroup()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var entry = new FeedEntry("0000000000000000001#G#editors", null, Snapshot(Editors, 1));

        var result = await harness.Engine.ApplyAsync(entry, CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(Editors, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
    }
}
