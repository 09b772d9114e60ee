using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
    };

    [Theory]
    [MemberData(nameof(IntervalsOutOfRange))]
    public void Registration_IntervalOutOfRange_FailsStartValidationQuotingTheValueAndRange(string registration, string key, string value, string expected)
    {
        using var provider = Build(registration, new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(expected, Assert.Single(error.Failures));
    }

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
            _ => throw new ArgumentOutOfRangeException(nameof(registration), registration, "not a registration call of the reconciler"),
        };
        return services.BuildServiceProvider();
    }
}
