using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>Drift settings: a bad bucket, prefix, Region or endpoint is named with the rule it breaks.</summary>
public sealed class DriftOptionsTests
{
    [Theory]
    [InlineData("idrep-drift-reports")]
    [InlineData("my.company.reports")]
    [InlineData("abc")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Validate_ValidBucketName_Passes(string bucket) =>
        Assert.Empty(new DriftOptions { OutputBucket = bucket }.Validate());

    [Theory]
    [InlineData("ab", "3 to 63 characters")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234", "3 to 63 characters")]
    [InlineData("My-Reports", "lowercase letters")]
    [InlineData("reports_2025", "lowercase letters")]
    [InlineData("-reports", "begins and ends with a letter or digit")]
    [InlineData("reports.", "begins and ends with a letter or digit")]
    [InlineData("my..reports", "no two adjacent dots")]
    [InlineData("my.-reports", "no dot next to a hyphen")]
    [InlineData("192.168.5.4", "IP address")]
    [InlineData("xn--reports", "reserved by S3")]
    [InlineData("reports-s3alias", "reserved by S3")]
    public void Validate_InvalidBucketName_NamesTheSettingAndTheRule(string bucket, string rule)
    {
        var error = Assert.Single(new DriftOptions { OutputBucket = bucket }.Validate());

        Assert.StartsWith($"Drift:OutputBucket is '{bucket}'", error, StringComparison.Ordinal);
        Assert.Contains(rule, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(65_537)]
    public void Validate_CompactMemoryBudgetOutOfRange_NamesTheSettingAndTheRange(int budget)
    {
        var error = Assert.Single(new DriftOptions { CompactMemoryBudgetMb = budget }.Validate());

        Assert.StartsWith($"Drift:CompactMemoryBudgetMb is {budget}; it must be from 1 to 65536", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65_536)]
    public void Validate_CompactMemoryBudgetInRange_Passes(int budget) =>
        Assert.Empty(new DriftOptions { CompactMemoryBudgetMb = budget }.Validate());

    [Fact]
    public void Validate_PrefixStartingWithSlash_NamesTheSetting() =>
        Assert.StartsWith("Drift:OutputPrefix is '/reports/'", Assert.Single(new DriftOptions { OutputBucket = "reports", OutputPrefix = "/reports/" }.Validate()), StringComparison.Ordinal);

    [Fact]
    public void Validate_BadRegionAndEndpoint_NamesBoth()
    {
        var errors = new DriftOptions { OutputBucket = "reports", OutputBucketRegion = "uswest2", S3ServiceUrl = "localhost:4568" }.Validate().ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Drift:OutputBucketRegion is 'uswest2'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Drift:S3ServiceUrl is 'localhost:4568'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("drift-reports/", "drift-reports/")]
    [InlineData("team/idrep", "team/idrep/")]
    [InlineData("", "")]
    public void KeyPrefix_AnyPrefix_EndsWithASlashUnlessEmpty(string prefix, string expected) =>
        Assert.Equal(expected, new DriftOptions { OutputPrefix = prefix }.KeyPrefix);
}
