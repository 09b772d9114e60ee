using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Core.Tests.Configuration;

/// <summary>Each validation message names the setting by its configuration key, quotes the value and says what is allowed.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void ReplicationValidate_TwoDistinctPools_NoErrors()
    {
        // Act / Assert
        Assert.Empty(ValidReplication().Validate());
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("ap-southeast-2")]
    [InlineData("il-central-1")]
    [InlineData("cn-northwest-1")]
    public void ReplicationValidate_RealRegionNames_Accepted(string region)
    {
        // Arrange
        var options = ValidReplication();
        options.Primary.Region = region;

        // Act / Assert
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("useast1")]
    [InlineData("US-EAST-1")]
    [InlineData("us-east")]
    public void ReplicationValidate_BadRegion_NamesTheKeyAndGivesAnExample(string region)
    {
        // Arrange
        var options = ValidReplication();
        options.Primary.Region = region;

        // Act
        var error = Assert.Single(options.Validate());

        // Assert
        Assert.Equal($"Replication:Primary:Region is '{region}'; it must be an AWS Region name such as 'us-east-1'.", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("us-west-2")]
    [InlineData("us-west-2_")]
    [InlineData("pool id")]
    public void ReplicationValidate_BadUserPoolId_NamesTheKeyAndTheShape(string poolId)
    {
        // Arrange
        var options = ValidReplication();
        options.Standby.UserPoolId = poolId;

        // Act
        var error = Assert.Single(options.Validate());

        // Assert
        Assert.StartsWith($"Replication:Standby:UserPoolId is '{poolId}'; it must be a user pool id such as 'us-east-1_AbC123xyz'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    public void ReplicationValidate_BadServiceUrl_NamesTheKey(string url)
    {
        // Arrange
        var options = ValidReplication();
        options.Standby.ServiceUrl = url;

        // Act
        var error = Assert.Single(options.Validate());

        // Assert
        Assert.Equal($"Replication:Standby:ServiceUrl is '{url}'; it must be an absolute http(s) URL, or empty for the public endpoint.", error);
    }

    [Fact]
    public void ReplicationValidate_SamePoolTwice_SaysTheStandbyMustDiffer()
    {
        // Arrange
        var options = ValidReplication();
        options.Standby.Region = options.Primary.Region;
        options.Standby.UserPoolId = options.Primary.UserPoolId;

        // Act
        var error = Assert.Single(options.Validate());

        // Assert
        Assert.StartsWith("Replication:Primary and Replication:Standby name the same pool (us-east-1_Primary1 in us-east-1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicationValidate_Unconfigured_ReportsEveryMissingSetting()
    {
        // Act
        var errors = new ReplicationOptions().Validate().ToList();

        // Assert
        Assert.Contains(errors, e => e.StartsWith("Replication:Primary:Region", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Replication:Primary:UserPoolId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Replication:Standby:Region", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Replication:Standby:UserPoolId", StringComparison.Ordinal));
    }

    [Fact]
    public void MirrorValidate_Defaults_NoErrors()
    {
        // Act / Assert
        Assert.Empty(new MirrorOptions().Validate());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public void MirrorValidate_BadTableName_NamesTheKeyAndTheAllowedCharacters(string name)
    {
        // Act
        var error = Assert.Single(new MirrorOptions { TableName = name }.Validate());

        // Assert
        Assert.Equal($"Mirror:TableName is '{name}'; it must be 3-255 characters of letters, digits, '_', '-' and '.'.", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void MirrorValidate_FeedBucketsOutOfRange_NamesTheKeyAndTheRange(int buckets)
    {
        // Act / Assert
        Assert.Equal([$"Mirror:FeedBuckets is {buckets}; it must be between 1 and 64."], new MirrorOptions { FeedBuckets = buckets }.Validate());
    }

    [Fact]
    public void MirrorValidate_ShortTombstoneRetention_NamesTheKeyAndTheMinimum()
    {
        // Act
        var error = Assert.Single(new MirrorOptions { TombstoneRetention = TimeSpan.FromMinutes(30) }.Validate());

        // Assert
        Assert.StartsWith("Mirror:TombstoneRetention is 00:30:00; keep tombstones at least 01:00:00", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8000")]
    [InlineData("tcp://127.0.0.1:8000")]
    [InlineData("")]
    public void MirrorValidate_BadEndpoint_NamesTheRegionKey(string url)
    {
        // Arrange
        var options = new MirrorOptions();
        options.Endpoints["us-east-1"] = url;

        // Act
        var error = Assert.Single(options.Validate());

        // Assert
        Assert.StartsWith($"Mirror:Endpoints:us-east-1 is '{url}'; it must be an absolute http(s) URL", error, StringComparison.Ordinal);
    }

    private static ReplicationOptions ValidReplication() => new()
    {
        Primary = new PoolOptions { Region = "us-east-1", UserPoolId = "us-east-1_Primary1" },
        Standby = new PoolOptions { Region = "us-west-2", UserPoolId = "us-west-2_Standby1" },
    };
}
