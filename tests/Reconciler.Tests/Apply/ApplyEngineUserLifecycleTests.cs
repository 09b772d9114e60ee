using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>A user snapshot's group memberships, its deletion, and what the engine records and skips.</summary>
public sealed class ApplyEngineUserLifecycleTests
{
    [Theory, BothPools]
    public async Task ApplyUserAsync_GroupMembershipsDiffer_AddsAndRemovesMemberships(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var nick = harness.NewUser("nick");
        harness.Standby.SeedGroup(new("editors"));
        harness.SeedCounterpart(nick, nick.Attributes(), groups: ["admins", "viewers"]);

        var result = await harness.ApplyAsync(nick.Snapshot(1, groups: ["editors", "viewers"]));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(1, harness.CallsOf("AddToGroup"));
        Assert.Equal(1, harness.CallsOf("RemoveFromGroup"));
        Assert.Equal(["editors", "viewers"], await harness.GroupsOfAsync(harness.RequiredCounterpart(nick)));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_GroupMissingInStandby_IsCreatedFromItsMirrorSnapshotOrBare(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        harness.Mirror.Add(new GroupSnapshot
        {
            Name = "editors",
            SourcePoolId = PrimaryUser.PrimaryPoolId,
            Description = "Can edit articles",
            Precedence = 5,
            RoleArn = "arn:aws:iam::123456789012:role/editors",
            Version = 1,
        });
        var olga = harness.NewUser("olga");

        var result = await harness.ApplyAsync(olga.Snapshot(1, groups: ["editors", "beta"]));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["beta", "editors"], await harness.GroupsOfAsync(harness.RequiredCounterpart(olga)));
        Assert.Equal(new("editors", "Can edit articles", 5, "arn:aws:iam::123456789012:role/editors"), await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
        Assert.Equal(new("beta"), await harness.Standby.GetGroupAsync("beta", CancellationToken.None));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_GroupsNeverObserved_LeavesStandbyMembershipsAlone(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var pete = harness.NewUser("pete");
        harness.SeedCounterpart(pete, pete.Attributes(), groups: ["admins"]);
        var changed = pete.Attributes();
        changed["given_name"] = "Peter";

        var result = await harness.ApplyAsync(pete.Snapshot(1, changed, groups: null));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(0, harness.CallsOf("ListGroupsForUser"));
        Assert.Equal(0, harness.CallsOf("RemoveFromGroup"));
        Assert.Equal(["admins"], await harness.GroupsOfAsync(harness.RequiredCounterpart(pete)));
    }

    [Fact]
    public async Task ApplyUserAsync_GroupsOnlySnapshot_SyncsMembershipsAndLeavesTheProfileAlone()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var gwen = harness.NewUser("gwen");
        var attributes = gwen.Attributes();
        attributes["custom:plan"] = "standby-only";
        harness.SeedCounterpart(gwen, attributes, enabled: false, groups: ["admins"]);
        var groupsOnly = gwen.Snapshot(1, groups: ["editors"]) with { Profile = null, ProfileVersion = 0, ProfileHash = null };

        var result = await harness.ApplyAsync(groupsOnly);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var standby = harness.RequiredCounterpart(gwen);
        Assert.Equal("standby-only", standby.Attributes["custom:plan"]);
        Assert.False(standby.Enabled);
        Assert.Equal(["editors"], await harness.GroupsOfAsync(standby));
        Assert.Equal(0, harness.CallsOf("UpdateAttributes") + harness.CallsOf("DeleteAttributes") + harness.CallsOf("EnableUser"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_GroupsObservedBeforeTheProfile_UserIsCreatedWithThoseGroups(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var hugo = harness.NewUser("hugo");
        var groupsOnly = hugo.Snapshot(1, groups: ["editors"]) with { Profile = null, ProfileVersion = 0, ProfileHash = null };
        var full = hugo.Snapshot(2, groups: ["editors"]) with { GroupsVersion = 1 };

        var first = await harness.ApplyAsync(groupsOnly);
        var second = await harness.ApplyAsync(full);

        Assert.Equal(ApplyOutcome.InSync, first.Outcome);
        Assert.Equal(ApplyOutcome.Applied, second.Outcome);
        Assert.Equal(["editors"], await harness.GroupsOfAsync(harness.RequiredCounterpart(hugo)));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_Tombstone_DeletesTheMappedStandbyUser(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var quinn = harness.NewUser("quinn");
        var bystander = harness.NewUser("rosa");
        await harness.ApplyAsync(quinn.Snapshot(1));
        await harness.ApplyAsync(bystander.Snapshot(1));

        var result = await harness.ApplyAsync(quinn.Tombstone(2));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Null(harness.Counterpart(quinn));
        Assert.NotNull(harness.Counterpart(bystander));
        Assert.Equal(1, harness.CallsOf("DeleteUser"));
        var applied = await harness.AppliedAsync(quinn);
        Assert.NotNull(applied);
        Assert.Null(applied.TargetUsername);
        Assert.Equal(2, applied.ProfileVersion);
    }

    [Fact]
    public async Task ApplyUserAsync_TombstoneWithoutMappingInEmailPool_DeletesNothing()
    {
        var harness = new StandbyHarness(PoolKind.Email);
        var sam = harness.NewUser("sam");
        harness.SeedCounterpart(sam, sam.Attributes());

        var result = await harness.ApplyAsync(sam.Tombstone(1));

        Assert.Equal(ApplyOutcome.InSync, result.Outcome);
        Assert.NotNull(harness.Counterpart(sam));
        Assert.Equal(0, harness.Standby.WriteCalls);
    }

    [Fact]
    public async Task ApplyUserAsync_TombstoneWithoutMappingInUsernamePool_DeletesTheUserOfThatName()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var tom = harness.NewUser("tom");
        harness.SeedCounterpart(tom, tom.Attributes());

        var result = await harness.ApplyAsync(tom.Tombstone(1));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Null(harness.Counterpart(tom));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_Applied_RecordsTheSubMappingAndVersions(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var uma = harness.NewUser("uma");
        var snapshot = uma.Snapshot(7, groups: ["admins"]) with { GroupsVersion = 9 };

        await harness.ApplyAsync(snapshot);

        var standby = harness.RequiredCounterpart(uma);
        var applied = await harness.AppliedAsync(uma);
        Assert.NotNull(applied);
        Assert.Equal(standby.Username, applied.TargetUsername);
        Assert.Equal(standby.Sub, applied.TargetSub);
        Assert.Equal(uma.Sub, applied.SourceSub);
        Assert.Equal(7, applied.ProfileVersion);
        Assert.Equal(9, applied.GroupsVersion);
        Assert.Equal(snapshot.ProfileHash, applied.ProfileHash);
        Assert.Equal(snapshot.GroupsHash, applied.GroupsHash);
        Assert.Equal(harness.Time.GetUtcNow(), applied.AppliedAt);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_SameSnapshotTwice_SecondIsSkippedWithoutDirectoryCalls(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var vic = harness.NewUser("vic");
        var snapshot = vic.Snapshot(1, groups: ["admins"]);
        await harness.ApplyAsync(snapshot);
        harness.Standby.ResetCalls();

        var second = await harness.ApplyAsync(snapshot);

        Assert.Equal(ApplyOutcome.Skipped, second.Outcome);
        Assert.Empty(harness.Standby.Calls);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_SameSnapshotAfterRestart_IsSkippedFromTheReplicaState(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var wes = harness.NewUser("wes");
        var snapshot = wes.Snapshot(1, groups: ["admins"]);
        await harness.ApplyAsync(snapshot);
        harness.Standby.ResetCalls();
        var restarted = harness.NewEngine();

        var second = await restarted.ApplyUserAsync(snapshot, CancellationToken.None);

        Assert.Equal(ApplyOutcome.Skipped, second.Outcome);
        Assert.Empty(harness.Standby.Calls);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NewerSnapshotWithSameContent_IsInSyncWithoutWrites(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var xena = harness.NewUser("xena");
        await harness.ApplyAsync(xena.Snapshot(1, status: UserStatuses.Confirmed, enabled: false, groups: ["admins", "beta"]));
        harness.Standby.ResetCalls();

        var result = await harness.ApplyAsync(xena.Snapshot(2, status: UserStatuses.Confirmed, enabled: false, groups: ["admins", "beta"]));

        Assert.Equal(ApplyOutcome.InSync, result.Outcome);
        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Equal(2, (await harness.AppliedAsync(xena))!.ProfileVersion);
    }
}
