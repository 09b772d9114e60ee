using Amazon.Runtime;
using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Tests.Aws;

public sealed class AwsCredentialOptionsTests
{
    [Fact]
    public void Resolve_StaticKeys_BasicCredentials()
    {
        // Act
        var credentials = new AwsCredentialOptions { AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = "secret" }.Resolve();

        // Assert
        Assert.IsType<BasicAWSCredentials>(credentials);
        var immutable = credentials.GetCredentials();
        Assert.Equal(("AKIDEXAMPLE", "secret", false), (immutable.AccessKey, immutable.SecretKey, immutable.UseToken));
    }

    [Fact]
    public void Resolve_StaticKeysWithSessionToken_SessionCredentials()
    {
        // Act
        var credentials = new AwsCredentialOptions { AccessKeyId = "ASIAEXAMPLE", SecretAccessKey = "secret", SessionToken = "token" }.Resolve();

        // Assert
        Assert.Equal("token", credentials.GetCredentials().Token);
    }

    [Fact]
    public void Resolve_AccessKeyWithoutSecret_SaysToSetBothOrNeither()
    {
        // Act
        var exception = Assert.Throws<InvalidOperationException>(() => new AwsCredentialOptions { AccessKeyId = "AKIDEXAMPLE" }.Resolve());

        // Assert
        Assert.Equal("Aws:AccessKeyId is set but Aws:SecretAccessKey is not; set both, or neither to use the standard credential chain.", exception.Message);
    }

    [Fact]
    public void Resolve_UnknownProfile_NamesItAndTheCommandToCreateIt()
    {
        // Arrange
        var profile = "idrep-test-profile-" + Guid.NewGuid().ToString("N");

        // Act
        var exception = Assert.Throws<InvalidOperationException>(() => new AwsCredentialOptions { Profile = profile }.Resolve());

        // Assert
        Assert.Contains($"AWS profile '{profile}' (Aws:Profile) was not found", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"aws configure --profile {profile}", exception.Message, StringComparison.Ordinal);
    }
}
