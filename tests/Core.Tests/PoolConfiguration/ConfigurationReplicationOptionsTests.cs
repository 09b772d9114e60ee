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
