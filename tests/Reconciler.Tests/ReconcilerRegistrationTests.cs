using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler.Tests;

/// <summary>The reconciler's registration calls, on a real container built from in-memory configuration.</summary>
public sealed class ReconcilerRegistrationTests
{
    private static readonly Dictionary<string, string?> ValidSettings = new()
    {
        ["Replication:Primary:Region"] = "us-east-1",
        ["Replication:Primary:UserPoolId"] = "us-east-1_Primary1",
        ["Replication:Standby:Region"] = "us-west-2",
        ["Replication:Standby:UserPoolId"] = "us-west-2_Standby1",
        ["Mirror:TableName"] = "mirror-under-test",
        ["Mirror:Endpoints:us-east-1"] = "http://127.0.0.1:8000",
        ["Mirror:Endpoints:us-west-2"] = "http://127.0.0.1:8001",
        ["Aws:AccessKeyId"] = "AKIDEXAMPLE",
        ["Aws:SecretAccessKey"] = "secret",
    };

    /// <summary>One config file serves every command, so sync and drift check the reconciler's settings as well.</summary>
    public static TheoryData<string, string, string, string> IntervalsOutOfRange => new()
    {
        { nameof(ReconcilerServiceCollectionExtensions.AddReconciler), "Reconciler:LookBackInterval", "-00:00:01", "Reconciler:LookBackInterval is -00:00:01; it must be between 00:00:00 and 01:00:00." },
        { nameof(ReconcilerServiceCollectionExtensions.AddReconciler), "Reconciler:CheckpointInterval", "00:10:00", "Reconciler:CheckpointInterval is 00:10:00; it must be between 00:00:00 and 00:05:00." },
        { nameof(SyncServiceCollectionExtensions.AddSyncAndDrift), "Reconciler:LookBackInterval", "-00:00:01", "Reconciler:LookBackInterval is -00:00:01; it must be between 00:00:00 and 01:00:00." },
        { nameof(SyncServiceCollectionExtensions.AddSyncAndDrift), "Reconciler:CheckpointInterval", "00:10:00", "Reconciler:CheckpointInterval is 00:10:00; it must be between 00:00:00 and 00:05:00." },
        { nameof(ReconcilerServiceCollectionExtensions.AddReconciler), "Reconciler:ApplyLease", "00:00:02", ApplyLeaseOutOfRange("00:00:02") },
        { nameof(SyncServiceCollectionExtensions.AddSyncAndDrift), "Reconciler:ApplyLease", "02:00:00", ApplyLeaseOutOfRange("02:00:00") },
        { nameof(ReconcilerServiceCollectionExtensions.AddApplyEngines), "Reconciler:ApplyLease", "00:00:00", ApplyLeaseOutOfRange("00:00:00") },
    };

    /// <summary>
    /// Sync, drift repair and the worker are fenced by the same apply leases: every engine, whichever registration
    /// made it, holds each lease for the configured time.
    /// </summary>
    [Theory]
    [InlineData(nameof(ReconcilerServiceCollectionExtensions.AddReconciler))]
    [InlineData(nameof(SyncServiceCollectionExtensions.AddSyncAndDrift))]
    [InlineData(nameof(ReconcilerServiceCollectionExtensions.AddApplyEngines))]
    public void Registration_ConfiguredApplyLease_IsEveryEnginesLease(string registration)
    {
        using var provider = Build(registration, new() { ["Reconciler:ApplyLease"] = "00:02:30" });

        var engines = new[] { provider.GetRequiredService<ApplyEngine>(), provider.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Primary) };

        Assert.All(engines, e => Assert.Equal(TimeSpan.FromSeconds(150), e.ApplyLeaseDuration));
        Assert.NotEqual(engines[0].LeaseHolder, engines[1].LeaseHolder);
    }

    [Theory]
    [MemberData(nameof(IntervalsOutOfRange))]
    public void Registration_IntervalOutOfRange_FailsStartValidationQuotingTheValueAndRange(string registration, string key, string value, string expected)
    {
        using var provider = Build(registration, new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(expected, Assert.Single(error.Failures));
    }

    [Fact]
    public void AddReconciler_EachPool_HasItsOwnApplyEngineAndFeedPollerAndTheUnkeyedOnesAreTheStandbys()
    {
        using var provider = Build(nameof(ReconcilerServiceCollectionExtensions.AddReconciler));

        var standby = provider.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Standby);
        var primary = provider.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Primary);

        Assert.Same(standby, provider.GetRequiredService<ApplyEngine>());
        Assert.Equal(("us-west-2", "us-east-1"), (standby.Region, primary.Region));
        Assert.Same(provider.GetRequiredKeyedService<FeedPoller>(PoolRoles.Standby), provider.GetRequiredService<FeedPoller>());
        Assert.NotSame(provider.GetRequiredKeyedService<FeedPoller>(PoolRoles.Primary), provider.GetRequiredService<FeedPoller>());
    }

    /// <summary>
    /// After a failover the configured primary is written, with the same identity attribute: a non-default
    /// Replication:PrimarySubAttribute (or an empty one, which turns it off) holds for both directions.
    /// </summary>
    [Theory]
    [InlineData(nameof(ReconcilerServiceCollectionExtensions.AddReconciler))]
    [InlineData(nameof(SyncServiceCollectionExtensions.AddSyncAndDrift))]
    public void Registration_ConfiguredPrimarySubAttribute_IsTheIdentityAttributeInBothDirections(string registration)
    {
        using var provider = Build(registration, new() { ["Replication:PrimarySubAttribute"] = "custom:origin_sub" });

        var engines = new[] { ("standby", provider.GetRequiredService<ApplyEngine>()), ("primary", provider.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Primary)) };

        Assert.All(engines, e => Assert.False(e.Item2.IsReplicated("custom:origin_sub"), $"the {e.Item1} engine writes the identity attribute as user data"));
        Assert.All(engines, e => Assert.True(e.Item2.IsReplicated("custom:primary_sub"), $"the {e.Item1} engine ignores custom:primary_sub although it is not the identity attribute"));
    }

    [Fact]
    public void AddSyncAndDrift_WithoutAddReconciler_RegistersNeitherTheWorkersServiceNorTheFeed()
    {
        using var provider = Build(nameof(SyncServiceCollectionExtensions.AddSyncAndDrift));

        Assert.Empty(provider.GetServices<IHostedService>());
        Assert.Null(provider.GetService<FeedPoller>());
        Assert.NotNull(provider.GetService<ApplyEngine>());
    }

    [Fact]
    public void WorkerRegistrations_AllCalledTogether_RegisterEachServiceAndBindingOnce()
    {
        // What the worker host calls: the reconciler, and scheduled drift reports (which bring sync and drift).
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(ValidSettings).Build();

        services.AddReconciler(configuration).AddScheduledDriftReports(configuration).AddReconciler(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(ApplyEngine) && !d.IsKeyedService);
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(ApplyEngine) && d.IsKeyedService));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(FeedPoller) && d.IsKeyedService));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ReconcilerService));
        Assert.Single(services, d => d.ServiceType == typeof(IConfigureOptions<ReconcilerOptions>));
    }

    private static string ApplyLeaseOutOfRange(string value) =>
        $"Reconciler:ApplyLease is {value}; it must be between 00:00:03 and 00:10:00 (renewed every fifth of it while an application runs, so at least a few DynamoDB round trips; a worker in another slot that dies holding it makes others wait this long for that entity).";

    private static ServiceProvider Build(string registration, Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(ValidSettings);
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        _ = registration switch
        {
            nameof(ReconcilerServiceCollectionExtensions.AddReconciler) => services.AddReconciler(configuration),
            nameof(SyncServiceCollectionExtensions.AddSyncAndDrift) => services.AddSyncAndDrift(configuration),
            nameof(ReconcilerServiceCollectionExtensions.AddApplyEngines) => services.AddApplyEngines(configuration),
            _ => throw new ArgumentOutOfRangeException(nameof(registration), registration, "not a registration call of the reconciler"),
        };
        return services.BuildServiceProvider();
    }
}
