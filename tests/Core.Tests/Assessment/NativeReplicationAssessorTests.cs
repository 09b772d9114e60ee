using CsCheck;
using IdentityReplicator.Core.Assessment;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Tests.Assessment;

/// <summary>Which approach fits a pool, and why: native replication, IdentityReplicator, or both.</summary>
public sealed class NativeReplicationAssessorTests
{
    private static PoolFacts Eligible(PopulationCounts? population = null) => new()
    {
        UserPoolId = "us-east-1_Pool1",
        Region = "us-east-1",
        FeaturePlan = "ESSENTIALS",
        Probe = ReplicaProbe.Answered,
        KeyType = "CUSTOMER_MANAGED_KEY",
        MultiRegionKey = true,
        IssuerType = "UPDATED",
        Population = population ?? new PopulationCounts { Users = 10 },
    };

    [Fact]
    public void Assess_EligiblePoolThatUsesNothingNativeLeavesOut_RecommendsNative()
    {
        var assessment = NativeReplicationAssessor.Assess(Eligible());

        Assert.Equal(Recommendation.Native, assessment.Recommendation);
        Assert.Equal("native", assessment.RecommendationName);
        Assert.All(assessment.Checks, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        Assert.Empty(assessment.Gaps.ToArray());
    }

    [Fact]
    public void Assess_LitePlan_RecommendsTheReplicatorAndNamesThePlan()
    {
        var assessment = NativeReplicationAssessor.Assess(Eligible() with { FeaturePlan = "LITE" });

        Assert.Equal(Recommendation.Replicator, assessment.Recommendation);
        Assert.Equal(CheckOutcome.Blocker, assessment.Checks.Single(c => c.Name == "Feature plan").Outcome);
        Assert.Contains("Feature plan", assessment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_ReplicaOperationsRefusedAsNotEnabled_RecommendsTheReplicatorAndNamesTheError()
    {
        var assessment = NativeReplicationAssessor.Assess(Eligible() with { Probe = new ReplicaProbe(ReplicaProbeOutcome.Refused, "OperationNotEnabledException") });

        Assert.Equal(Recommendation.Replicator, assessment.Recommendation);
        var check = assessment.Checks.Single(c => c.Name == "Replica operations");
        Assert.Equal(CheckOutcome.Blocker, check.Outcome);
        Assert.Contains("OperationNotEnabledException", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_EligiblePoolWithTriggersAndTotpUsers_RecommendsNativeWithTheCompanionAndCountsTheGaps()
    {
        var facts = Eligible(new PopulationCounts { Users = 10, TotpUsers = 3, TotpUsersRead = 10 }) with { Triggers = ["PostConfirmation", "PreSignUp"] };

        var assessment = NativeReplicationAssessor.Assess(facts);

        Assert.Equal(Recommendation.NativeAndCompanion, assessment.Recommendation);
        Assert.Equal("native+companion", assessment.RecommendationName);
        Assert.Equal(["2 Lambda trigger(s) to keep in step per Region", "3 user(s) with TOTP who cannot sign in at the secondary"], assessment.Gaps.ToArray());
    }

    [Fact]
    public void Assess_AlreadyReplicatedWithAnInactiveSecondary_WarnsToActivateIt()
    {
        var facts = Eligible() with
        {
            Replicas = [new UserPoolReplicaType("us-east-1", ReplicaStatus.Active, ReplicaRole.Primary), new UserPoolReplicaType("us-west-2", ReplicaStatus.Inactive, ReplicaRole.Secondary)],
        };

        var check = NativeReplicationAssessor.Assess(facts).Checks.Single(c => c.Name == "Existing replica");

        Assert.Equal(CheckOutcome.Warning, check.Outcome);
        Assert.Contains("us-west-2 is INACTIVE", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_SingleRegionKeyAndOriginalIssuer_AreWarningsNotBlockers()
    {
        var assessment = NativeReplicationAssessor.Assess(Eligible() with { MultiRegionKey = false, IssuerType = "ORIGINAL" });

        Assert.Equal(Recommendation.Native, assessment.Recommendation);
        Assert.Equal([CheckOutcome.Warning, CheckOutcome.Warning], assessment.Checks.Where(c => c.Name is "KMS key" or "Issuer").Select(c => c.Outcome));
    }

    [Fact]
    public void Assess_AnyPool_RecommendsTheReplicatorExactlyWhenAnEligibilityCheckBlocks()
    {
        var facts =
            from plan in Gen.OneOf<string?>("LITE", "ESSENTIALS", "PLUS", null)
            from outcome in Gen.Enum<ReplicaProbeOutcome>()
            from triggers in Gen.Int[0, 3]
            from totp in Gen.Int[0, 5]
            from unconfirmed in Gen.Int[0, 5]
            from customDomain in Gen.Bool
            from failover in Gen.Bool
            from messaging in Gen.Bool
            select Eligible(new PopulationCounts { Users = 20, TotpUsers = totp, Unconfirmed = unconfirmed }) with
            {
                FeaturePlan = plan,
                Probe = new ReplicaProbe(outcome, outcome == ReplicaProbeOutcome.Answered ? null : "OperationNotEnabledException"),
                Triggers = [.. Enumerable.Range(0, triggers).Select(i => "Trigger" + i)],
                HasCustomDomain = customDomain,
                DomainFailover = failover,
                CustomMessaging = messaging,
            };

        facts.Sample(f =>
        {
            var assessment = NativeReplicationAssessor.Assess(f);
            var blocked = assessment.Checks.Any(c => c.Outcome == CheckOutcome.Blocker);
            Assert.Equal(blocked, assessment.Recommendation == Recommendation.Replicator);
            Assert.Equal(blocked || !assessment.Gaps.IsEmpty, assessment.Recommendation != Recommendation.Native);
            Assert.Equal(f.FeaturePlan == "LITE" || f.Probe.Outcome == ReplicaProbeOutcome.Refused, blocked);
        });
    }

    [Fact]
    public void Coverage_EveryRow_NamesAProviderUnderEachApproach()
    {
        Assert.NotEmpty(NativeReplicationAssessor.Coverage);
        Assert.All(NativeReplicationAssessor.Coverage, r => Assert.All(new[] { r.Native, r.Replicator, r.NativeAndCompanion }, cell => Assert.False(string.IsNullOrWhiteSpace(cell))));
        Assert.Equal(NativeReplicationAssessor.Coverage.Length, NativeReplicationAssessor.Coverage.Select(r => r.Capability).Distinct().Count());
    }
}
