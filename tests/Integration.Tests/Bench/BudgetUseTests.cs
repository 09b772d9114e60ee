using CsCheck;
using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Core.Quotas;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>Budget use is the busiest write category's share of its budget, second by second, over the write phase.</summary>
public sealed class BudgetUseTests
{
    private static double Budget(QuotaCategory category) => category == QuotaCategory.UserCreation ? 40 : 20;

    [Fact]
    public void Of_CategoriesAtBudgetOneAfterTheOther_UsesTheWholeBudget()
    {
        WriteSample[] samples =
        [
            Sample(0, 0),
            Sample(40, 0),
            Sample(40, 0),
            Sample(0, 20),
            Sample(0, 20),
            Sample(0, 0),
        ];

        var use = BudgetUse.Of(samples, Budget);

        Assert.Equal(4, use.WindowS);
        Assert.Equal(120, use.Writes);
        Assert.Equal(1.0, use.Use, 3);
        Assert.Equal(30, use.WritesPerS, 3);
        Assert.Equal(30, use.BudgetPerS, 3);
    }

    [Fact]
    public void Of_ConcurrentCategories_CountsTheBusiestOnly()
    {
        var use = BudgetUse.Of([Sample(20, 10), Sample(10, 5)], Budget);

        Assert.Equal(0.375, use.Use, 3);
        Assert.Equal(22.5, use.WritesPerS, 3);
        Assert.Equal(60, use.BudgetPerS, 3);
    }

    [Fact]
    public void Of_NoWrites_IsZero()
    {
        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0), BudgetUse.Of([Sample(0, 0)], Budget));
    }

    [Fact]
    public void Of_AnyWritesWithinBudget_UseIsAtMostOneAndIsWritesOverBudget()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 20]).Array[1, 30].Sample(seconds =>
        {
            var use = BudgetUse.Of([.. seconds.Select(s => Sample(s.Item1, s.Item2))], Budget);

            Assert.InRange(use.Use, 0, 1.0000001);
            if (use.Writes > 0)
            {
                Assert.Equal(use.Use, use.WritesPerS / use.BudgetPerS, tolerance: 1e-9);
            }
        });
    }

    private static WriteSample Sample(long creations, long updates) => new(1.0, new Dictionary<QuotaCategory, long>
    {
        [QuotaCategory.UserCreation] = creations,
        [QuotaCategory.UserUpdate] = updates,
    }.Where(w => w.Value > 0).ToDictionary());
}
