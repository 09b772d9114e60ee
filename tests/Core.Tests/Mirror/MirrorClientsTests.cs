using Amazon;
using Amazon.Runtime;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Core.Tests.Mirror;

public sealed class MirrorClientsTests
{
    [Fact]
    public void ConfigFor_RegionWithEndpointOverride_UsesTheUrlAndSignsForTheRegion()
    {
        // Arrange
        var options = new MirrorOptions();
        options.Endpoints["us-east-1"] = "http://127.0.0.1:8000";

        // Act
        var config = MirrorClients.ConfigFor("us-east-1", options);

        // Assert
        Assert.StartsWith("http://127.0.0.1:8000", config.ServiceURL, StringComparison.Ordinal);
        Assert.Equal("us-east-1", config.AuthenticationRegion);
        Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
    }

    [Fact]
    public void ConfigFor_RegionWithoutOverride_UsesTheRegionalEndpoint()
    {
        // Arrange
        var options = new MirrorOptions();
        options.Endpoints["us-east-1"] = "http://127.0.0.1:8000";

        // Act
        var config = MirrorClients.ConfigFor("us-west-2", options, TimeSpan.FromSeconds(3), maxErrorRetry: 1);

        // Assert
        Assert.Equal(RegionEndpoint.USWest2, config.RegionEndpoint);
        Assert.Null(config.ServiceURL);
        Assert.Equal((TimeSpan.FromSeconds(3), 1), (config.Timeout, config.MaxErrorRetry));
    }

    [Fact]
    public void For_SameRegionTwice_ReusesOneClientPerRegion()
    {
        // Arrange
        using var clients = new MirrorClients(new MirrorOptions(), new BasicAWSCredentials("a", "b"));

        // Act
        var first = clients.For("eu-west-1");
        var again = clients.For("eu-west-1");
        var other = clients.For("eu-central-1");

        // Assert
        Assert.Same(first, again);
        Assert.NotSame(first, other);
    }
}
