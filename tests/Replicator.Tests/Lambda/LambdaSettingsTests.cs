using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>
/// The function's environment is checked at start: a value of the wrong form or an unknown IDREP_ variable fails
/// the init (Lambda shows the message) instead of a FormatException, or a setting silently taken as false.
/// </summary>
public sealed class LambdaSettingsTests
{
    [Theory]
    [InlineData("IDREP_FEED_BUCKETS", "abc", "IDREP_FEED_BUCKETS is 'abc'; it must be a whole number.")]
    [InlineData("IDREP_TRIGGER_BUDGET_MS", "1.5s", "IDREP_TRIGGER_BUDGET_MS is '1.5s'; it must be a whole number.")]
    [InlineData("IDREP_QUOTA_SHARE", "a tenth", "IDREP_QUOTA_SHARE is 'a tenth'; it must be a number such as 0.5.")]
    [InlineData("IDREP_USERNAMES_CASE_SENSITIVE", "yes", "IDREP_USERNAMES_CASE_SENSITIVE is 'yes'; it must be true or false.")]
    [InlineData("IDREP_LOG_LEVEL", "verbose", "IDREP_LOG_LEVEL is 'verbose'; it must be one of Trace, Debug, Information, Warning, Error, Critical, None.")]
    public void FromEnvironment_ValueOfTheWrongForm_FailsNamingTheVariableTheValueAndTheForm(string name, string value, string message)
    {
        // Arrange
        var environment = Valid();
        environment[name] = value;

        // Act
        var error = Assert.Throws<ConfigurationException>(() => Create(environment));

        // Assert
        var problem = Assert.Single(error.Problems);
        Assert.Equal(message, problem.Message);
        Assert.Equal((name, value), (problem.Key, problem.Value));
    }

    [Fact]
    public void FromEnvironment_UnknownIdrepVariable_FailsWithTheNearestName()
    {
        // Arrange
        var environment = Valid();
        environment["IDREP_FEED_BUCKET"] = "8";

        // Act
        var error = Assert.Throws<ConfigurationException>(() => Create(environment));

        // Assert
        Assert.Equal("IDREP_FEED_BUCKET is not a setting of idrep; did you mean IDREP_FEED_BUCKETS?", Assert.Single(error.Problems).Message);
    }

    [Fact]
    public void FromEnvironment_SeveralMistakes_NamesEveryOne()
    {
        // Arrange
        var environment = Valid();
        environment.Remove("IDREP_TABLE_NAME");
        environment["IDREP_FEED_BUCKETS"] = "many";
        environment["IDREP_STANDBY_POOL"] = "us-west-2_Standby01";

        // Act
        var error = Assert.Throws<ConfigurationException>(() => Create(environment));

        // Assert
        Assert.Equal(["IDREP_STANDBY_POOL", "IDREP_TABLE_NAME", "IDREP_FEED_BUCKETS"], error.Problems.Select(p => p.Key));
        Assert.Equal("IDREP_STANDBY_POOL is not a setting of idrep; did you mean IDREP_STANDBY_POOL_ID?", error.Problems[0].Message);
        Assert.Equal("IDREP_TABLE_NAME is not set; it must be the mirror table's name (the CDK stack sets it; see docs/configuration.md).", error.Problems[1].Message);
    }

    [Fact]
    public void Read_OnlyTheRequiredVariables_TakesTheSameDefaultsAsTheWorker()
    {
        // Arrange: what the function and the worker default to must agree (a feed bucket count that differs breaks the feed).
        var environment = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["IDREP_TABLE_NAME"] = "mirror",
            ["IDREP_PRIMARY_POOL_ID"] = "us-east-1_Primary01",
        };

        // Act
        var settings = LambdaSettings.Read(name => environment.GetValueOrDefault(name), environment.Keys);

        // Assert
        Assert.Equal(new MirrorOptions().FeedBuckets, settings.Mirror.FeedBuckets);
        Assert.Equal(new ReplicationOptions().PrimarySubAttribute, settings.Capture.PrimarySubAttribute);
        Assert.Equal(new CaptureOptions().PrimarySubClaim, settings.Capture.PrimarySubClaim);
    }

    private static ReplicatorFunction Create(Dictionary<string, string?> environment) =>
        ReplicatorFunction.FromEnvironment(name => environment.GetValueOrDefault(name), NullLoggerFactory.Instance, TimeProvider.System, environment.Keys);

    private static Dictionary<string, string?> Valid() => new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["IDREP_TABLE_NAME"] = "mirror",
        ["IDREP_PRIMARY_POOL_ID"] = "us-east-1_Primary01",
        ["IDREP_FEED_BUCKETS"] = "8",
        ["IDREP_USERNAMES_CASE_SENSITIVE"] = "false",
        ["IDREP_TRIGGER_BUDGET_MS"] = "1500",
        ["IDREP_QUOTA_SHARE"] = "0.1",
        ["IDREP_LOG_LEVEL"] = "Information",
    };
}
