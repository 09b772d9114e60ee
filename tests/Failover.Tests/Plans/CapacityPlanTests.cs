using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>The plan's <c>capacity:</c> section: what it reads, and the mistakes it names.</summary>
public sealed class CapacityPlanTests
{
    [Fact]
    public void Parse_CapacitySection_ReadsEachTier()
    {
        // Act
        var plan = PlanReader.Parse(FakeEnvironment.PlanText);

        // Assert
        var tier = Assert.Single(plan.Capacity.Tiers);
        Assert.Equal(("web", CapacityKind.Beanstalk, "shop", "shop-east", "shop-west", 4, 1, true), (tier.Name, tier.Kind, tier.Application, tier.Resources.Primary, tier.Resources.Standby, tier.Active, tier.Warm, tier.LowerAfterVerify));
        Assert.True(plan.Capacity.ParallelWithDatabase);
        Assert.Equal(TimeSpan.FromSeconds(5), plan.Timeouts.Capacity);
    }

    [Theory]
    [InlineData("kind: beanstalk", "kind: eb", "capacity.tiers[0].kind is 'eb'; it must be beanstalk")]
    [InlineData("      application: shop\n", "", "capacity.tiers[0].application is missing")]
    [InlineData("warm: 1", "warm: 5", "capacity.tiers[0].warm is 5; give the warm-standby size, from 0 up to active (4)")]
    [InlineData("active: 4", "active: 0", "capacity.tiers[0].active is 0")]
    [InlineData("kind: beanstalk", "kind: asg", "capacity.tiers[0].application is only for kind beanstalk")]
    [InlineData("kind: beanstalk", "kind: ecs", "capacity.tiers[0].clusters is missing")]
    [InlineData("lowerAfterVerify: true", "lowerAfterVerfy: true", "lowerAfterVerify")]
    public void Parse_CapacityMistake_NamesTheFieldAndWhatToDo(string right, string wrong, string expected)
    {
        // Act
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace(right, wrong, StringComparison.Ordinal)));

        // Assert
        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoCapacitySection_HasNoTiers()
    {
        // Arrange
        var text = FakeEnvironment.PlanText[..FakeEnvironment.PlanText.IndexOf("capacity:", StringComparison.Ordinal)]
            + FakeEnvironment.PlanText[FakeEnvironment.PlanText.IndexOf("signIn:", StringComparison.Ordinal)..];

        // Act
        var plan = PlanReader.Parse(text);

        // Assert
        Assert.Empty(plan.Capacity.Tiers);
    }
}
