using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.PoolConfiguration;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Core.Tests.Configuration;

/// <summary>Two options types bound to one section (<c>Replication</c>): the settings check knows the keys of both.</summary>
public sealed class SharedSectionSettingsTests
{
    private static readonly SettingsSchema Schema = new(
        [
            (ReplicationOptions.Section, typeof(ReplicationOptions)),
            (ConfigurationReplicationOptions.Section, typeof(ConfigurationReplicationOptions)),
        ]);

    [Theory]
    [InlineData("Replication:RegionalValues:0:Source", "arn:aws:lambda:eu-west-1:1:function:f")]
    [InlineData("Replication:RegionalValues:0:Target", "arn:aws:lambda:eu-central-1:1:function:f")]
    [InlineData("Replication:SubstituteArnRegion", "false")]
    [InlineData("Replication:StandbyDomainPrefix", "login-standby")]
    [InlineData("Replication:SecretFingerprintKey", "AAAA")]
    [InlineData("Replication:Primary:Region", "eu-west-1")]
    public void Check_KeyOfEitherTypeSharingTheSection_IsKnown(string key, string value)
    {
        // Act
        var problems = Schema.Check(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build());

        // Assert
        Assert.Empty(problems);
    }

    [Fact]
    public void Bind_RegionalValueThatIsAnArn_MapsIt()
    {
        // Arrange: ARNs hold ':', the configuration key delimiter, so they are values, never keys.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Replication:RegionalValues:0:Source", "arn:aws:sns:eu-west-1:111122223333:sms"),
            new("Replication:RegionalValues:0:Target", "arn:aws:sns:eu-central-1:111122223333:sms-central"),
        ]).Build();
        var options = new ConfigurationReplicationOptions();

        // Act
        configuration.GetSection(ConfigurationReplicationOptions.Section).Bind(options);

        // Assert
        Assert.Equal("arn:aws:sns:eu-central-1:111122223333:sms-central", options.MapFor("eu-west-1", "eu-central-1").Map("arn:aws:sns:eu-west-1:111122223333:sms").Value);
    }

    [Fact]
    public void Check_WrongFormInTheSecondType_NamesIt()
    {
        // Act
        var problem = Assert.Single(Schema.Check(new ConfigurationBuilder().AddInMemoryCollection([new("Replication:SubstituteArnRegion", "maybe")]).Build()));

        // Assert
        Assert.Equal("Replication:SubstituteArnRegion is 'maybe'; it must be true or false.", problem.Message);
    }
}
