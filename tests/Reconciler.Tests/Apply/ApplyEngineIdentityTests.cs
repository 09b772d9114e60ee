using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>Identity continuity: each standby user carries its original sub, and the mapping is recorded.</summary>
public sealed class ApplyEngineIdentityTests
{
    private static readonly string[] WithIdentity = ["custom:tier", "custom:plan", "custom:department", "custom:primary_sub"];

    [Theory, BothPools]
    public async Task ApplyUserAsync_StandbySchemaHasTheIdentityAttribute_WritesThePrimarySubAndRecordsTheMapping(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: WithIdentity);
        var ada = harness.NewUser("ada");

        await harness.ApplyAsync(ada.Snapshot(1));

        var standby = harness.RequiredCounterpart(ada);
        Assert.Equal(ada.Sub, standby.Attributes["custom:primary_sub"]);
        var mapping = await harness.State.GetSubMappingAsync(harness.Standby.PoolId, standby.Sub!, CancellationToken.None);
        Assert.Equal(new SubMapping(ada.Key, ada.Sub, ada.Sub), mapping);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_SourceCarriesAnOriginalSub_PassesItOn(PoolKind pool)
    {
        // After a failover the source is the standby, whose users carry the sub of the pool they signed up in.
        var harness = new StandbyHarness(pool, customAttributes: WithIdentity);
        var bob = harness.NewUser("bob");
        const string original = "0a0a0a0a-1111-2222-3333-444444444444";
        var attributes = new Dictionary<string, string>(bob.Attributes()) { ["custom:primary_sub"] = original };

        await harness.ApplyAsync(bob.Snapshot(1, attributes));

        var standby = harness.RequiredCounterpart(bob);
        Assert.Equal(original, standby.Attributes["custom:primary_sub"]);
        Assert.Equal(original, (await harness.State.GetSubMappingAsync(harness.Standby.PoolId, standby.Sub!, CancellationToken.None))!.OriginalSub);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_StandbySchemaLacksTheIdentityAttribute_RecordsTheMappingOnly(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var cy = harness.NewUser("cy");

        var result = await harness.ApplyAsync(cy.Snapshot(1));

        Assert.NotEqual(Reconciler.Apply.ApplyOutcome.Parked, result.Outcome);
        var standby = harness.RequiredCounterpart(cy);
        Assert.False(standby.Attributes.ContainsKey("custom:primary_sub"));
        Assert.NotNull(await harness.State.GetSubMappingAsync(harness.Standby.PoolId, standby.Sub!, CancellationToken.None));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NewerSnapshotWithoutTheAttribute_NeverDeletesItAndWritesNothingMore(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: WithIdentity);
        var dee = harness.NewUser("dee");
        await harness.ApplyAsync(dee.Snapshot(1));
        harness.Standby.ResetCalls();

        var result = await harness.ApplyAsync(dee.Snapshot(2, groups: null));

        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Equal(Reconciler.Apply.ApplyOutcome.InSync, result.Outcome);
        Assert.Equal(dee.Sub, harness.RequiredCounterpart(dee).Attributes["custom:primary_sub"]);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_MembershipOfAGroupTheMirrorKnowsIsDeleted_IsSkippedAndTheGroupNotRecreated(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        harness.Mirror.Add(new GroupSnapshot { Name = "retired", SourcePoolId = PrimaryUser.PrimaryPoolId, Deleted = true, Version = 5 });
        var eve = harness.NewUser("eve");

        var result = await harness.ApplyAsync(eve.Snapshot(1, groups: ["retired"]));

        Assert.NotEqual(Reconciler.Apply.ApplyOutcome.Parked, result.Outcome);
        Assert.DoesNotContain("retired", harness.Standby.GroupNames);
        Assert.Empty(await harness.GroupsOfAsync(harness.RequiredCounterpart(eve)));
    }
}
