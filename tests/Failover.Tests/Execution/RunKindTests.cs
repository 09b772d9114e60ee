using CsCheck;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Tests.Execution;

/// <summary>The rules of each run kind: direction, which need --confirm, what a drill environment is, what must match.</summary>
public sealed class RunKindTests
{
    private static readonly FailoverPlan DrillPlan = new FakeEnvironment().Plan;

    private static readonly FailoverPlan ProductionPlan = new FakeEnvironment(FakeEnvironment.PlanText.Replace("drill: true", "drill: false", StringComparison.Ordinal)).Plan;

    [Theory]
    [InlineData(RunKind.Drill, "drill", PoolRole.Standby)]
    [InlineData(RunKind.Execute, "execute", PoolRole.Standby)]
    [InlineData(RunKind.Failback, "failback", PoolRole.Primary)]
    public void NameAndTo_EachKind_AreTheJournalWordAndTheSideItMovesTo(RunKind kind, string name, PoolRole to)
    {
        Assert.Equal(name, kind.Name());
        Assert.Equal(to, kind.To());
    }

    [Fact]
    public void TakesConfirmation_Drill_HasNoConfirmationAndTheOthersDo()
    {
        Assert.False(RunKind.Drill.TakesConfirmation());
        Assert.True(RunKind.Execute.TakesConfirmation());
        Assert.True(RunKind.Failback.TakesConfirmation());
    }

    [Fact]
    public void Authorize_DrillOnAPlanWithoutDrillTrue_IsRefusedNamingTheExecuteCommand()
    {
        Assert.False(ProductionPlan.Drill);

        var error = Assert.Throws<FailoverException>(() => RunKind.Drill.Authorize(ProductionPlan, ProductionPlan.Environment));

        Assert.Equal("Environment 'test' is not a drill environment (the plan has no 'drill: true'); to fail over for real run 'idrep failover execute --confirm test'.", error.Message);
    }

    [Fact]
    public void Authorize_DrillOnADrillEnvironment_NeedsNoConfirmation()
    {
        RunKind.Drill.Authorize(DrillPlan, null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Test")]
    [InlineData("test ")]
    [InlineData("production")]
    public void Authorize_ExecuteWithoutTheExactEnvironmentName_IsRefusedEvenInADrillEnvironment(string? confirmation)
    {
        foreach (var plan in new[] { DrillPlan, ProductionPlan })
        {
            var error = Assert.Throws<FailoverException>(() => RunKind.Execute.Authorize(plan, confirmation));

            Assert.Equal("'execute' changes production: add --confirm test (the plan's environment name) to go ahead.", error.Message);
        }
    }

    [Fact]
    public void Authorize_ExecuteWithTheEnvironmentName_IsAllowed()
    {
        RunKind.Execute.Authorize(ProductionPlan, "test");
        RunKind.Execute.Authorize(DrillPlan, "test");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("production")]
    public void Authorize_FailbackOfADrillEnvironment_NeedsNoConfirmation(string? confirmation)
    {
        Assert.False(RunKind.Failback.NeedsConfirmation(DrillPlan));

        RunKind.Failback.Authorize(DrillPlan, confirmation);
    }

    [Fact]
    public void Authorize_FailbackOfAProductionPlan_NeedsTheEnvironmentName()
    {
        Assert.True(RunKind.Failback.NeedsConfirmation(ProductionPlan));

        var error = Assert.Throws<FailoverException>(() => RunKind.Failback.Authorize(ProductionPlan, "TEST"));

        Assert.Equal("'failback' changes production: add --confirm test (the plan's environment name) to go ahead.", error.Message);
        RunKind.Failback.Authorize(ProductionPlan, "test");
    }

    [Fact]
    public void IsConfirmedBy_TheEnvironmentName_ExactlyAndNothingElse()
    {
        Assert.True(ProductionPlan.IsConfirmedBy("test"));
        Assert.False(ProductionPlan.IsConfirmedBy(null));
        Assert.False(ProductionPlan.IsConfirmedBy("TEST"));
        Assert.False(ProductionPlan.IsConfirmedBy(" test"));
    }

    [Fact]
    public void Authorize_AnyKindAndConfirmationOnAProductionPlan_StartsOnlyWithTheEnvironmentNameAndNeverAsADrill() =>
        Gen.Select(Gen.Enum<RunKind>(), Confirmations)
            .Sample((kind, confirmation) =>
            {
                var allowed = Allowed(kind, ProductionPlan, confirmation);

                Assert.Equal(kind != RunKind.Drill && confirmation == "test", allowed);
            });

    [Fact]
    public void Authorize_AnyKindAndConfirmationOnADrillEnvironment_OnlyExecuteNeedsTheEnvironmentName() =>
        Gen.Select(Gen.Enum<RunKind>(), Confirmations)
            .Sample((kind, confirmation) =>
            {
                var allowed = Allowed(kind, DrillPlan, confirmation);

                Assert.Equal(kind != RunKind.Execute || confirmation == "test", allowed);
            });

    /// <summary>None, anything at all, and the environment name itself.</summary>
    private static readonly Gen<string?> Confirmations = Gen.OneOf<string?>(Gen.Const((string?)null), Gen.String.Select(s => (string?)s), Gen.Const<string?>("test"));

    private static bool Allowed(RunKind kind, FailoverPlan plan, string? confirmation)
    {
        try
        {
            kind.Authorize(plan, confirmation);
            return true;
        }
        catch (FailoverException)
        {
            return false;
        }
    }
}
