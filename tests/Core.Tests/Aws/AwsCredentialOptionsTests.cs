using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;

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
        var exception = Assert.Throws<ConfigurationException>(() => new AwsCredentialOptions { AccessKeyId = "AKIDEXAMPLE" }.Resolve());

        // Assert
        Assert.Equal(("Aws:SecretAccessKey", null), (exception.Key, exception.Value));
        Assert.Equal("Aws:SecretAccessKey is not set; it must be set when Aws:AccessKeyId is; set both, or neither to use the standard credential chain.", exception.Message);
    }

    [Fact]
    public void Resolve_UnknownProfile_NamesItAndTheCommandToCreateIt()
    {
        // Arrange
        var profile = "idrep-test-profile-" + Guid.NewGuid().ToString("N");

        // Act
        var exception = Assert.Throws<ConfigurationException>(() => new AwsCredentialOptions { Profile = profile }.Resolve());

        // Assert
        Assert.Equal(("Aws:Profile", profile), (exception.Key, exception.Value));
        Assert.StartsWith($"Aws:Profile is '{profile}'; it must be a profile of the shared config or credentials file", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"aws configure --profile {profile}", exception.Message, StringComparison.Ordinal);
    }
}
