using System.Text.Json.Nodes;
using IdentityReplicator.Core.Assessment;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.Tests.Cognito.Configuration;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.NativeReplica;

/// <summary>
/// The assessment of <c>idrep assess</c> read from real (sandbox) pools: eligible, ineligible by plan, ineligible by
/// infrastructure (the replica operations refused) and already replicated — each a pool of its own.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class AssessOnSandboxTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task ReadAndAssess_EssentialsPoolWithoutTriggers_RecommendsNative()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);

        var assessment = await AssessAsync(pool);

        Assert.Equal(Recommendation.Native, assessment.Recommendation);
        Assert.Equal("ESSENTIALS", assessment.Facts.FeaturePlan);
        Assert.Equal(ReplicaProbeOutcome.Answered, assessment.Facts.Probe.Outcome);
        Assert.Empty(assessment.Facts.Replicas);
    }

    [Fact]
    public async Task ReadAndAssess_LitePool_RecommendsTheReplicator()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["UserPoolTier"] = "LITE" });

        var assessment = await AssessAsync(pool);

        Assert.Equal(Recommendation.Replicator, assessment.Recommendation);
        Assert.Equal(CheckOutcome.Blocker, assessment.Checks.Single(c => c.Name == "Feature plan").Outcome);
    }

    [Fact]
    public async Task ReadAndAssess_ReplicaOperationsNotEnabled_RecommendsTheReplicatorNamingTheError()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["UserPoolTags"] = new JsonObject { [ReplicaOperations.IneligibleTag] = "true" },
        });

        var assessment = await AssessAsync(pool);

        Assert.Equal(Recommendation.Replicator, assessment.Recommendation);
        Assert.Equal(new ReplicaProbe(ReplicaProbeOutcome.Refused, "OperationNotEnabledException"), assessment.Facts.Probe);
    }

    [Fact]
    public async Task ReadAndAssess_AlreadyReplicatedPoolWithATrigger_ListsTheReplicasAndRecommendsNativeWithTheCompanion()
    {
        // Arrange
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["LambdaConfig"] = new JsonObject { ["PostConfirmation"] = "arn:aws:lambda:us-east-1:000000000000:function:welcome" },
        });
        await Sandbox.CallAsync(pool, "CreateUserPoolReplica", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["RegionName"] = Sandbox.Standby.Region });

        // Act
        var assessment = await AssessAsync(pool);

        // Assert
        Assert.Equal(Recommendation.NativeAndCompanion, assessment.Recommendation);
        Assert.Equal(new string?[] { ReplicaRole.Primary, ReplicaRole.Secondary }, assessment.Facts.Replicas.Select(r => r.Role));
        Assert.Equal(["PostConfirmation"], assessment.Facts.Triggers.ToArray());
        Assert.NotEqual(CheckOutcome.Blocker, assessment.Checks.Single(c => c.Name == "Existing replica").Outcome);
    }

    private async Task<NativeAssessment> AssessAsync(SandboxPool pool) =>
        NativeReplicationAssessor.Assess(await new PoolFactsReader(Sandbox.Client(pool)).ReadAsync(pool.UserPoolId, CancellationToken.None));
}
