using IdentityReplicator.Core.Aws;

namespace IdentityReplicator.Core.Tests.Aws;

public sealed class AwsEndpointTests
{
    [Theory]
    [InlineData("us-east-1", "https://cognito-idp.us-east-1.amazonaws.com/")]
    [InlineData("eu-central-2", "https://cognito-idp.eu-central-2.amazonaws.com/")]
    [InlineData("cn-north-1", "https://cognito-idp.cn-north-1.amazonaws.com.cn/")]
    public void ResolveUri_NoOverride_IsTheRegionalPublicEndpoint(string region, string expected)
    {
        // Act
        var uri = new AwsEndpoint(region).ResolveUri("cognito-idp");

        // Assert
        Assert.Equal(new Uri(expected), uri);
    }

    [Fact]
    public void ResolveUri_ServiceUrlOverride_IsUsedAsIs()
    {
        // Arrange
        var endpoint = new AwsEndpoint("us-east-1", new Uri("http://127.0.0.1:9229/"));

        // Act / Assert
        Assert.Equal(new Uri("http://127.0.0.1:9229/"), endpoint.ResolveUri("cognito-idp"));
        Assert.Equal("us-east-1 (http://127.0.0.1:9229/)", endpoint.ToString());
    }
}
