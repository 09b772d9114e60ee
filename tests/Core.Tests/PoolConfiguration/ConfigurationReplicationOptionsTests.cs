using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

public sealed class ConfigurationReplicationOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => Assert.Empty(new ConfigurationReplicationOptions().Validate());

    [Fact]
    public void Validate_BadValues_NamesEachSettingAndWhatItMustBe()
    {
        // Arrange
        var options = new ConfigurationReplicationOptions
        {
            RegionalValues = [new() { Source = "ext-1", Target = " " }],
            StandbyDomainPrefix = "-Bad_Prefix",
            SecretFingerprintKey = Convert.ToBase64String(new byte[16]),
        };

        // Act
        var errors = options.Validate().ToList();

        // Assert
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("Replication:RegionalValues", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Replication:StandbyDomainPrefix is '-Bad_Prefix'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("16 bytes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:30")]
    [InlineData("00:05:00")]
    [InlineData("1.00:00:00")]
    public void Validate_ConfigurationSweepIntervalOffOrInRange_IsValid(string interval) =>
        Assert.Empty(new ConfigurationReplicationOptions { ConfigurationSweepInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }.Validate());

    [Theory]
    [InlineData("00:00:10")]
    [InlineData("1.00:00:01")]
    [InlineData("-00:01:00")]
    public void Validate_ConfigurationSweepIntervalOutOfRange_NamesTheSettingAndTheRange(string interval)
    {
        var error = Assert.Single(new ConfigurationReplicationOptions { ConfigurationSweepInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) }.Validate());

        Assert.Contains($"Replication:ConfigurationSweepInterval is {interval}", error, StringComparison.Ordinal);
        Assert.Contains("00:00:30 to 1.00:00:00", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationSweepInterval_Default_IsFiveMinutes() =>
        Assert.Equal(TimeSpan.FromMinutes(5), new ConfigurationReplicationOptions().ConfigurationSweepInterval);

    [Fact]
    public void MapFor_ExplicitValue_IsUsed()
    {
        // Arrange
        var options = new ConfigurationReplicationOptions { RegionalValues = [new() { Source = "cs-west", Target = "cs-central" }] };

        // Act / Assert
        Assert.Equal("cs-central", options.MapFor("eu-west-1", "eu-central-1").Map("cs-west").Value);
    }

    [Fact]
    public void Fingerprinter_ConfiguredKey_IsStableAcrossInstances()
    {
        // Arrange
        var options = new ConfigurationReplicationOptions { SecretFingerprintKey = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)i)]) };

        // Act / Assert
        Assert.Equal(options.Fingerprinter().Of("x"), options.Fingerprinter().Of("x"));
    }
}
