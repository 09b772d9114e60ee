using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>A user whose custom attribute the target's schema lacks waits for the schema apply, then applies — not parked.</summary>
public sealed class ApplyEngineSchemaWaitTests
{
    [Theory, BothPools]
    public async Task ApplyUserAsync_AttributeTheSchemaApplyAdds_AppliesTheUserAfterTheSchemaAndParksNothing(PoolKind pool)
    {
        // Arrange
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var calls = 0;
        harness.Engine.WaitForSchema(_ =>
        {
            calls++;
            harness.Standby.Schema["custom:plan"] = new PoolSchemaAttribute("custom:plan", "String", Mutable: true, Required: false, DeveloperOnly: false);
            return Task.FromResult(true);
        });
        var ann = harness.NewUser("ann");
        var attributes = ann.Attributes();
        attributes["custom:plan"] = "pro";

        // Act
        var result = await harness.ApplyAsync(ann.Snapshot(1, attributes));

        // Assert
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(1, calls);
        Assert.Empty(harness.State.Parked);
        Assert.Equal("pro", harness.RequiredCounterpart(ann).Attributes["custom:plan"]);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_SchemaApplyAddsNothing_ParksTheUserAsBefore(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        harness.Engine.WaitForSchema(_ => Task.FromResult(false));
        var ann = harness.NewUser("ann");
        var attributes = ann.Attributes();
        attributes["custom:plan"] = "pro";

        var result = await harness.ApplyAsync(ann.Snapshot(1, attributes));

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        Assert.Equal("SchemaMismatch", Assert.Single(harness.State.Parked).Code);
    }
}
