using CsCheck;
using Xunit.Abstractions;
using static IdentityReplicator.Core.Tests.Quotas.ThrottlingSimulation;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>
/// The bucket against simulated Cognitos on fake time (<see cref="ThrottlingSimulation"/>): throttles that do not
/// depend on our rate must not starve replication, and a true quota below the ceiling must still be found and kept.
/// The figures are printed, and docs/design/adaptive-rate.md quotes them.
/// </summary>
public sealed class AdaptiveRateSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Simulation_TwentyPercentRandomThrottles_KeepsAtLeastHalfTheCeiling()
    {
        // Arrange: the standby's UserCreation budget (50/s × 0.8), 20 % of calls throttled whatever the rate.
        var setup = new SimulationSetup(40);

        // Act
        var result = Run(setup, RandomThrottles(0.2, seed: 1));
        output.WriteLine(result.ToString());

        // Assert
        Assert.True(result.MeanRate >= 0.5 * setup.Ceiling, $"the rate fell to {result}");
        Assert.True(result.SendsPerSecond >= 0.5 * setup.Ceiling, $"calls fell to {result}");
    }

    [Fact]
    public void Simulation_AnyRandomThrottlesUpToAQuarter_KeepsAtLeastHalfTheCeiling()
    {
        var cases = Gen.Select(Gen.Double[10, 200], Gen.Double[0.05, 0.25], Gen.Int[4, 64], Gen.Int);
        cases.Sample(
            (ceiling, fraction, callers, seed) =>
            {
                // Arrange
                var setup = new SimulationSetup(ceiling) { Callers = callers, Duration = TimeSpan.FromSeconds(120) };

                // Act
                var result = Run(setup, RandomThrottles(fraction, seed));

                // Assert
                Assert.True(result.MeanRate >= 0.5 * ceiling, $"the rate fell to {result}");
            },
            iter: 12);
    }

    [Fact]
    public void Simulation_TrueQuotaAtHalfTheCeiling_ConvergesNearTheLimitWithoutOvershoot()
    {
        // Arrange: another application takes half of the quota, so only 20 of our 40 calls a second get through.
        const double limit = 20;
        var setup = new SimulationSetup(40);

        // Act
        var result = Run(setup, Quota(limit));
        output.WriteLine(result.ToString());

        // Assert: close to the limit on average, never far above it, and few calls wasted on throttles.
        Assert.InRange(result.SuccessesPerSecond, 0.8 * limit, limit * 1.01);
        Assert.InRange(result.MeanRate, 0.8 * limit, 1.2 * limit);
        Assert.True(result.MaxSendsInOneSecond <= 1.3 * limit, $"overshoot: {result}");
        Assert.True(result.ThrottledFraction <= 0.1, $"too many throttles: {result}");
    }

    [Fact]
    public void Simulation_TrueQuotaWithRandomThrottlesOnTop_StillFindsTheLimit()
    {
        // Arrange: both at once — 20 % random throttles, and a quota of 20/s behind them.
        const double limit = 20;
        var setup = new SimulationSetup(40);

        // Act
        var result = Run(setup, Both(RandomThrottles(0.2, seed: 7), Quota(limit)));
        output.WriteLine(result.ToString());

        // Assert: the quota lets at most `limit` calls through; we neither starve nor sit far above it.
        Assert.InRange(result.SuccessesPerSecond, 0.6 * limit, limit * 1.01);
        Assert.True(result.MeanRate <= 1.5 * limit, $"stays far above the quota: {result}");
    }

    [Fact]
    public void Simulation_QuotaEqualToTheCeiling_NeverThrottledAndAtFullRate()
    {
        // Arrange: what `idrep bench sync` does — budgets equal to the quotas the proxy enforces.
        var setup = new SimulationSetup(40);

        // Act
        var result = Run(setup, Quota(40));
        output.WriteLine(result.ToString());

        // Assert
        Assert.Equal(0, result.Throttles);
        Assert.Equal(40, result.MeanRate, 9);
        Assert.InRange(result.SendsPerSecond, 39.5, 40.5);
    }
}
