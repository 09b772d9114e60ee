using IdentityReplicator.Core.Quotas;

namespace IdentityReplicator.Core.Tests.Quotas;

public sealed class QuotaOptionsTests
{
    [Theory]
    [InlineData(QuotaCategory.UserRead, 0.5, 60)]
    [InlineData(QuotaCategory.UserCreation, 0.5, 25)]
    [InlineData(QuotaCategory.UserRead, 0.8, 96)]
    [InlineData(QuotaCategory.UserPoolRead, 0.8, 12)]
    public void BudgetFor_NoRateOverride_IsTheShareOfTheDefaultQuota(QuotaCategory category, double share, double expected)
    {
        // Act / Assert
        Assert.Equal(expected, new QuotaOptions { Share = share }.BudgetFor(category), 9);
    }

    [Theory]
    [InlineData("UserCreation")]
    [InlineData("usercreation")]
    [InlineData("USERCREATION")]
    public void BudgetFor_RateOverrideInAnyCase_WinsOverTheShare(string key)
    {
        // Arrange
        var options = new QuotaOptions { Share = 0.5 };
        options.Rates[key] = 200;

        // Act / Assert
        Assert.Equal(200, options.BudgetFor(QuotaCategory.UserCreation));
        Assert.Equal(60, options.BudgetFor(QuotaCategory.UserRead));
    }

    [Fact]
    public void Validate_Defaults_HasNoErrors()
    {
        // Act / Assert
        Assert.Empty(new QuotaOptions().Validate("Quotas:Primary"));
    }

    [Theory]
    [InlineData(-1, "Quotas:Primary:MaxRetries is -1; it must be between 0 and 20.")]
    [InlineData(21, "Quotas:Primary:MaxRetries is 21; it must be between 0 and 20.")]
    public void Validate_MaxRetriesOutOfRange_NamesTheSettingAndTheRange(int maxRetries, string expected)
    {
        // Act / Assert
        Assert.Equal([expected], new QuotaOptions { MaxRetries = maxRetries }.Validate("Quotas:Primary"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(301)]
    public void Validate_AttemptTimeoutOutOfRange_NamesTheSettingAndTheLimit(int seconds)
    {
        // Act
        var error = Assert.Single(new QuotaOptions { AttemptTimeout = TimeSpan.FromSeconds(seconds) }.Validate("Quotas:Standby"));

        // Assert
        Assert.StartsWith("Quotas:Standby:AttemptTimeout is ", error, StringComparison.Ordinal);
        Assert.Contains("at most 00:05:00", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    public void Validate_ShareOutOfRange_NamesTheSettingAndTheRange(double share)
    {
        // Act
        var error = Assert.Single(new QuotaOptions { Share = share }.Validate("Quotas:Primary"));

        // Assert
        Assert.StartsWith("Quotas:Primary:Share is ", error, StringComparison.Ordinal);
        Assert.Contains("greater than 0 and at most 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownRateCategory_ListsTheAllowedCategories()
    {
        // Arrange
        var options = new QuotaOptions();
        options.Rates["UserCreate"] = 10;

        // Act
        var error = Assert.Single(options.Validate("Quotas:Standby"));

        // Assert
        Assert.StartsWith("Quotas:Standby:Rates:UserCreate is not a Cognito quota category", error, StringComparison.Ordinal);
        Assert.All(Enum.GetNames<QuotaCategory>(), name => Assert.Contains(name, error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(10_001)]
    public void Validate_RateOutOfRange_NamesTheCategoryAndTheRange(double rate)
    {
        // Arrange
        var options = new QuotaOptions();
        options.Rates["UserRead"] = rate;

        // Act
        var error = Assert.Single(options.Validate("Quotas:Primary"));

        // Assert
        Assert.StartsWith("Quotas:Primary:Rates:UserRead is ", error, StringComparison.Ordinal);
        Assert.Contains("10000 requests per second", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachOnce()
    {
        // Act
        var errors = new QuotaOptions { MaxRetries = 99, Share = 2 }.Validate("Quotas:Primary").ToList();

        // Assert
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("MaxRetries", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Share", StringComparison.Ordinal));
    }
}
