using Amazon.Runtime;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Configuration;

/// <summary>The one registration call, on a real container built from in-memory configuration.</summary>
public sealed class AddReplicationCoreTests
{
    private static readonly Dictionary<string, string?> ValidSettings = new()
    {
        ["Replication:Primary:Region"] = "us-east-1",
        ["Replication:Primary:UserPoolId"] = "us-east-1_Primary1",
        ["Replication:Standby:Region"] = "us-west-2",
        ["Replication:Standby:UserPoolId"] = "us-west-2_Standby1",
        ["Replication:Standby:ServiceUrl"] = "http://127.0.0.1:9229/",
        ["Mirror:TableName"] = "mirror-under-test",
        ["Mirror:FeedBuckets"] = "8",
        ["Mirror:Endpoints:us-east-1"] = "http://127.0.0.1:8000",
        ["Aws:AccessKeyId"] = "AKIDEXAMPLE",
        ["Aws:SecretAccessKey"] = "secret",
    };

    [Fact]
    public void AddReplicationCore_ValidConfiguration_PassesStartValidationAndResolvesBothPools()
    {
        // Arrange
        using var provider = Build(ValidSettings);

        // Act
        provider.GetRequiredService<IStartupValidator>().Validate();
        var primaryClient = provider.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary);
        var standbyClient = provider.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Standby);

        // Assert
        Assert.Equal(("us-east-1", null), (primaryClient.Endpoint.Region, primaryClient.Endpoint.ServiceUrl));
        Assert.Equal(("us-west-2", new Uri("http://127.0.0.1:9229/")), (standbyClient.Endpoint.Region, standbyClient.Endpoint.ServiceUrl));
        Assert.Equal("us-east-1_Primary1", provider.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary).PoolId);
        Assert.Equal("us-west-2_Standby1", provider.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby).PoolId);
        Assert.Equal(8, provider.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary).FeedBuckets);
        Assert.IsType<DynamoDbMirrorStore>(provider.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Standby));
        Assert.IsType<DynamoDbReplicaStateStore>(provider.GetRequiredService<IReplicaStateStore>());
        Assert.IsType<DynamoDbCaptureHintQueue>(provider.GetRequiredService<ICaptureHintQueue>());
        Assert.Equal("AKIDEXAMPLE", provider.GetRequiredService<AWSCredentials>().GetCredentials().AccessKey);
    }

    [Fact]
    public void AddReplicationCore_QuotaSections_PrimaryGetsHalfStandbyMostAndOverridesApply()
    {
        // Arrange
        using var provider = Build(new Dictionary<string, string?>(ValidSettings)
        {
            ["Quotas:Standby:Rates:UserCreation"] = "200",
        });

        // Act
        var primary = provider.GetRequiredKeyedService<QuotaGovernor>(PoolRoles.Primary);
        var standby = provider.GetRequiredKeyedService<QuotaGovernor>(PoolRoles.Standby);

        // Assert
        Assert.NotSame(primary, standby);
        Assert.Equal(60, primary.BucketFor(QuotaCategory.UserRead).Ceiling, 9);
        Assert.Equal(96, standby.BucketFor(QuotaCategory.UserRead).Ceiling, 9);
        Assert.Equal(25, primary.BucketFor(QuotaCategory.UserCreation).Ceiling, 9);
        Assert.Equal(200, standby.BucketFor(QuotaCategory.UserCreation).Ceiling, 9);
    }

    [Fact]
    public void AddReplicationCore_RateOverrideKeyInLowerCase_AppliesLikeTheDocumentedName()
    {
        // Arrange: QuotaOptions.Rates is documented as case-insensitive (it is created with OrdinalIgnoreCase).
        using var provider = Build(new Dictionary<string, string?>(ValidSettings)
        {
            ["Quotas:Primary:Rates:usercreation"] = "200",
        });

        // Act
        var options = provider.GetRequiredService<IOptionsMonitor<QuotaOptions>>().Get(PoolRoles.Primary);

        // Assert
        Assert.Equal(200, options.BudgetFor(QuotaCategory.UserCreation));
    }

    [Fact]
    public void AddReplicationCore_TimeProviderAlreadyRegistered_KeepsIt()
    {
        // Arrange
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(fake);

        // Act
        services.AddReplicationCore(Configuration(ValidSettings));
        using var provider = services.BuildServiceProvider();

        // Assert
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddReplicationCore_EmptyConfiguration_FailsStartValidationNamingReplicationKeys()
    {
        // Arrange
        using var provider = Build([]);

        // Act
        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        // Assert
        Assert.Equal(typeof(ReplicationOptions), exception.OptionsType);
        Assert.Contains(exception.Failures, f => f.StartsWith("Replication:Primary:Region is ''", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Replication:Standby:UserPoolId is ''", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReplicationOptions>>().Value);
    }

    [Theory]
    [InlineData("Quotas:Primary:MaxRetries", "99", "Quotas:Primary:MaxRetries is 99")]
    [InlineData("Quotas:Standby:Share", "0", "Quotas:Standby:Share is 0")]
    [InlineData("Quotas:Standby:Rates:UserCreate", "5", "Quotas:Standby:Rates:UserCreate is not a Cognito quota category")]
    [InlineData("Mirror:FeedBuckets", "0", "Mirror:FeedBuckets is 0")]
    [InlineData("Mirror:TableName", "x", "Mirror:TableName is 'x'")]
    public void AddReplicationCore_OneBadSetting_FailsStartValidationNamingIt(string key, string value, string expectedStart)
    {
        // Arrange
        using var provider = Build(new Dictionary<string, string?>(ValidSettings) { [key] = value });

        // Act
        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        // Assert
        Assert.Contains(exception.Failures, f => f.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void AddReplicationCore_AccessKeyWithoutSecret_CredentialsSayToSetBoth()
    {
        // Arrange
        using var provider = Build(new Dictionary<string, string?>(ValidSettings) { ["Aws:SecretAccessKey"] = null });

        // Act
        var exception = Assert.Throws<ConfigurationException>(() => provider.GetRequiredService<AWSCredentials>());

        // Assert
        Assert.Equal("Aws:SecretAccessKey", exception.Key);
        Assert.Contains("set both, or neither", exception.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddReplicationCore(Configuration(settings)).BuildServiceProvider();

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
