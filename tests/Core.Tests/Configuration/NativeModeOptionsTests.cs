using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Core.Tests.Configuration;

/// <summary><c>Replication:Mode</c> and the native replica's companion settings, checked at start.</summary>
public sealed class NativeModeOptionsTests
{
    [Fact]
    public void Validate_ModeMisspelled_NamesTheFieldAndTheAcceptedValues()
    {
        var options = Replicated();
        options.Mode = "nativ";

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("Replication:Mode is 'nativ'", error, StringComparison.Ordinal);
        Assert.Contains("'replicator'", error, StringComparison.Ordinal);
        Assert.Contains("'native'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultMode_IsTheReplicatorAndValid()
    {
        var options = Replicated();

        Assert.Equal(ReplicationModes.Replicator, options.Mode);
        Assert.False(options.IsNative);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_NativeModeSamePoolIdInTheSecondaryRegion_IsValid()
    {
        var options = Native();

        Assert.True(options.IsNative);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_NativeModeWithAnotherPoolAsStandby_SaysTheStandbyMustBeTheSamePoolId()
    {
        var options = Replicated();
        options.Mode = ReplicationModes.Native;

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("Replication:Standby is us-west-2_Standby1 in us-west-2; in native mode it must be the primary's pool id (us-east-1_Primary1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NativeModeCanaryWrittenMoreOftenThanRead_NamesTheInterval()
    {
        var options = Native();
        options.Native.CanaryPollInterval = TimeSpan.FromSeconds(10);
        options.Native.CanaryInterval = TimeSpan.FromSeconds(5);

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("Replication:Native:CanaryInterval is 00:00:05", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NativeModeCanaryAttributeNotCustom_NamesTheAttribute()
    {
        var options = Native();
        options.Native.CanaryAttribute = "nickname";

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("Replication:Native:CanaryAttribute is 'nickname'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReplicatorModeWithBadCanarySettings_IgnoresThem()
    {
        var options = Replicated();
        options.Native.CanaryAttribute = "nickname";

        Assert.Empty(options.Validate());
    }

    private static ReplicationOptions Replicated() => new()
    {
        Primary = new PoolOptions { Region = "us-east-1", UserPoolId = "us-east-1_Primary1" },
        Standby = new PoolOptions { Region = "us-west-2", UserPoolId = "us-west-2_Standby1" },
    };

    private static ReplicationOptions Native() => new()
    {
        Mode = ReplicationModes.Native,
        Primary = new PoolOptions { Region = "us-east-1", UserPoolId = "us-east-1_Primary1" },
        Standby = new PoolOptions { Region = "us-west-2", UserPoolId = "us-east-1_Primary1" },
    };
}
