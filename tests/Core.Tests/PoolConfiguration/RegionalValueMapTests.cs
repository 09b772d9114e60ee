using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

/// <summary>Replication:RegionalValues: what each Regional value becomes in the target Region.</summary>
public sealed class RegionalValueMapTests
{
    private static readonly RegionalValueMap Map = new(
        "eu-west-1",
        "eu-central-1",
        new Dictionary<string, string> { ["arn:aws:ses:eu-west-1:111122223333:identity/example.com"] = "arn:aws:ses:eu-central-1:111122223333:identity/mail.example.com", ["ext-1"] = "ext-2" });

    [Theory]
    [InlineData("arn:aws:lambda:eu-west-1:111122223333:function:pre-signup", "arn:aws:lambda:eu-central-1:111122223333:function:pre-signup")]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("arn:aws:iam::111122223333:role/cognito-sns", "arn:aws:iam::111122223333:role/cognito-sns")]
    [InlineData("arn:aws:ses:eu-west-1:111122223333:identity/example.com", "arn:aws:ses:eu-central-1:111122223333:identity/mail.example.com")]
    [InlineData("ext-1", "ext-2")]
    [InlineData("eu-west-1", "eu-central-1")]
    public void Map_KnownValue_IsItsTargetValue(string source, string expected)
    {
        // Act
        var mapping = Map.Map(source);

        // Assert
        Assert.True(mapping.IsMapped);
        Assert.Equal(expected, mapping.Value);
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:111122223333:function:elsewhere")]
    [InlineData("my-configuration-set")]
    [InlineData("arn:aws:lambda:broken")]
    public void Map_UnknownValue_IsUnmapped(string source) =>
        Assert.False(Map.Map(source).IsMapped);

    [Fact]
    public void Map_SubstitutionOff_SourceRegionArnIsUnmapped()
    {
        // Arrange
        var map = new RegionalValueMap("eu-west-1", "eu-central-1", substituteArnRegion: false);

        // Act / Assert
        Assert.False(map.Map("arn:aws:lambda:eu-west-1:111122223333:function:f").IsMapped);
    }

    [Fact]
    public void Reversed_ExplicitEntry_MapsBack()
    {
        // Act
        var back = Map.Reversed();

        // Assert
        Assert.Equal("ext-1", back.Map("ext-2").Value);
        Assert.Equal("arn:aws:lambda:eu-west-1:1:function:f", back.Map("arn:aws:lambda:eu-central-1:1:function:f").Value);
    }

    [Theory]
    [InlineData("LambdaConfig/PreSignUp", true)]
    [InlineData("LambdaConfig/PreTokenGenerationConfig/LambdaArn", true)]
    [InlineData("LambdaConfig/KMSKeyID", true)]
    [InlineData("SmsConfiguration/ExternalId", true)]
    [InlineData("EmailConfiguration/From", false)]
    [InlineData("Policies/PasswordPolicy/MinimumLength", false)]
    [InlineData("LambdaConfigX", false)]
    public void IsRegional_PoolPath_IsWhatRegionalSettingsSay(string path, bool expected) =>
        Assert.Equal(expected, RegionalSettings.IsRegional(RegionalSettings.Pool, path));
}
