using System.Globalization;
using CsCheck;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Core.Tests.Configuration;

/// <summary>
/// The settings schema finds, before binding, every value binding would throw on and every key binding would ignore,
/// naming the key, the value and the accepted form.
/// </summary>
public sealed class SettingsSchemaTests
{
    private static readonly SettingsSchema Schema = new(
        [
            (AwsCredentialOptions.Section, typeof(AwsCredentialOptions)),
            (ReplicationOptions.Section, typeof(ReplicationOptions)),
            (MirrorOptions.Section, typeof(MirrorOptions)),
            ($"{QuotaOptions.Section}:Primary", typeof(QuotaOptions)),
            ($"{QuotaOptions.Section}:Standby", typeof(QuotaOptions)),
        ],
        leftToOthers: ["Aws:Region", "Sandbox"]);

    [Theory]
    [InlineData("Mirror:FeedBuckets", "abc", "Mirror:FeedBuckets is 'abc'; it must be a whole number.")]
    [InlineData("Mirror:FeedBuckets", "8.5", "Mirror:FeedBuckets is '8.5'; it must be a whole number.")]
    [InlineData("Mirror:TombstoneRetention", "soon", "Mirror:TombstoneRetention is 'soon'; it must be a duration like 00:00:05.")]
    [InlineData("Quotas:Standby:MaxRetries", "abc", "Quotas:Standby:MaxRetries is 'abc'; it must be a whole number.")]
    [InlineData("Quotas:Primary:Share", "half", "Quotas:Primary:Share is 'half'; it must be a number such as 0.5.")]
    [InlineData("Quotas:Primary:Rates:UserCreation", "fast", "Quotas:Primary:Rates:UserCreation is 'fast'; it must be a number such as 0.5.")]
    [InlineData("Replication:UsernamesCaseSensitive", "yes", "Replication:UsernamesCaseSensitive is 'yes'; it must be true or false.")]
    public void Check_ValueOfTheWrongForm_NamesTheKeyTheValueAndTheForm(string key, string value, string message)
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration((key, value))));

        // Assert
        Assert.Equal(message, problem.Message);
        Assert.Equal((key, value), (problem.Key, problem.Value));
    }

    [Theory]
    [InlineData("Mirror:FeedBucket", "Mirror:FeedBucket is not a setting of idrep; did you mean Mirror:FeedBuckets?")]
    [InlineData("Replication:Primary:Regoin", "Replication:Primary:Regoin is not a setting of idrep; did you mean Replication:Primary:Region?")]
    [InlineData("Quotas:Standby:MaxRetry", "Quotas:Standby:MaxRetry is not a setting of idrep; did you mean Quotas:Standby:MaxRetries?")]
    [InlineData("Quotas:Secondary:Share", "Quotas:Secondary is not a setting of idrep; use one of Primary, Standby.")]
    [InlineData("Mirror:Colour", "Mirror:Colour is not a setting of idrep; use one of TableName, FeedBuckets, TombstoneRetention, Endpoints.")]
    public void Check_UnknownKeyInOneOfTheToolsSections_NamesItWithTheNearestSettingOrTheSettingsThereAre(string key, string message)
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration((key, "1"))));

        // Assert
        Assert.Equal(message, problem.Message);
        Assert.Null(problem.Value);
    }

    [Fact]
    public void Check_TopLevelSectionNearAToolSection_SaysWhichOneWasMeant()
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration(("Replicaton:Primary:Region", "us-east-1"))));

        // Assert
        Assert.Equal("Replicaton is not a section of idrep; did you mean Replication?", problem.Message);
    }

    [Fact]
    public void Check_SectionsOfOtherComponents_LeftAlone()
    {
        // Arrange
        var configuration = Configuration(("Logging:LogLevel:Default", "Debug"), ("AllowedHosts", "*"), ("Aws:Region", "us-east-1"), ("$schema", "x"));

        // Act / Assert
        Assert.Empty(Schema.Check(configuration));
    }

    [Fact]
    public void Check_EverySectionIsOurs_SectionsLeftToOthersStillLeftAlone()
    {
        // Act / Assert
        Assert.Empty(Schema.Check(Configuration(("Sandbox:PrimaryAppClientId", "abc")), everySectionIsOurs: true));
    }

    [Fact]
    public void Check_EverySectionIsOurs_AnyUnknownSectionIsAProblem()
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration(("Logging:LogLevel:Default", "Debug")), everySectionIsOurs: true));

        // Assert
        Assert.Equal("Logging is not a section of idrep; use one of Aws, Replication, Mirror, Quotas.", problem.Message);
    }

    [Fact]
    public void Check_ValidSettingsInAnyLetterCase_NoProblems()
    {
        // Arrange
        var configuration = Configuration(
            ("Replication:Primary:Region", "us-east-1"),
            ("replication:primary:userpoolid", "us-east-1_Abc"),
            ("Replication:UsernamesCaseSensitive", "True"),
            ("Replication:ExcludeAttributes:0", "custom:x"),
            ("Mirror:FeedBuckets", "16"),
            ("Mirror:TombstoneRetention", "30.00:00:00"),
            ("Mirror:Endpoints:us-east-1", "http://127.0.0.1:8000"),
            ("Quotas:Standby:Rates:UserCreation", "200"),
            ("Quotas:Standby:AttemptTimeout", "00:00:15"),
            ("Aws:AccessKeyId", "local"));

        // Act / Assert
        Assert.Empty(Schema.Check(configuration));
    }

    [Fact]
    public void Check_ListGivenAsOneValue_SaysHowToWriteAList()
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration(("Replication:ExcludeAttributes", "custom:x"))));

        // Assert
        Assert.StartsWith("Replication:ExcludeAttributes is 'custom:x'; it must be a list", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SectionGivenAsOneValue_ListsItsSettings()
    {
        // Act
        var problem = Assert.Single(Schema.Check(Configuration(("Replication:Primary", "us-east-1_Abc"))));

        // Assert
        Assert.Equal("Replication:Primary is 'us-east-1_Abc'; it must be a section with the settings Region, UserPoolId, ServiceUrl.", problem.Message);
    }

    [Fact]
    public void Check_SeveralMistakes_ListsEveryOne()
    {
        // Arrange
        var configuration = Configuration(("Mirror:FeedBuckets", "abc"), ("Mirror:TabelName", "t"), ("Replication:UsernamesCaseSensitive", "maybe"));

        // Act
        var problems = Schema.Check(configuration);

        // Assert
        Assert.Equal(["Mirror:FeedBuckets", "Mirror:TabelName", "Replication:UsernamesCaseSensitive"], problems.Select(p => p.Key));
    }

    /// <summary>
    /// The schema and the binder agree on every text: what the schema accepts binds, and what it refuses would make
    /// binding throw. So no configuration that passes the check can fail at binding with a stack trace.
    /// </summary>
    [Fact]
    public void Check_AnyText_AcceptedExactlyWhenTheBinderCanBindIt()
    {
        var numbers = Gen.OneOf(
            Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)));
        var tricky = Gen.OneOf<string>(
            "", " ", "true", "False", " true ", "yes", "1", "0", "-1", "+5", " 12 ", "1,000", "1e3", "0x10", "NaN", "Infinity", "-0",
            "00:00:05", "1.02:03:04", "-00:00:01", "5", "00:00:60", "25:00:00", "abc", "8.5", "٣", "1_000");
        var texts = Gen.OneOf(numbers, tricky, Gen.String[0, 12]);
        var settings = Gen.OneOf<string>("Mirror:FeedBuckets", "Mirror:TombstoneRetention", "Replication:UsernamesCaseSensitive", "Quotas:Primary:Share");

        Gen.Select(settings, texts).Sample((key, text) =>
        {
            var configuration = Configuration((key, text));
            var accepted = Schema.Check(configuration).Count == 0;
            Assert.Equal(accepted, Binds(configuration, key));
        }, iter: 20_000);
    }

    private static bool Binds(IConfiguration configuration, string key)
    {
        try
        {
            _ = key.Split(':')[0] switch
            {
                "Mirror" => (object?)configuration.GetSection("Mirror").Get<MirrorOptions>(),
                "Replication" => configuration.GetSection("Replication").Get<ReplicationOptions>(),
                _ => configuration.GetSection("Quotas:Primary").Get<QuotaOptions>(),
            };
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
