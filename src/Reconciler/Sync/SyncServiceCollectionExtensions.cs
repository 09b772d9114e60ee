using Amazon.Runtime;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Recoverability;
using IdentityReplicator.Reconciler.Drift.Storage;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers full sync and drift reports (and the apply engines they work through). The reconciler's options are
    /// checked too: one config file serves every command.
    /// </summary>
    public static IServiceCollection AddSyncAndDrift(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplyEngines(configuration);
        services.AddReconcilerOptions(configuration);
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, ListValidator<SyncOptions>>(
            _ => new ListValidator<SyncOptions>(o => o.Validate())));
        services.AddOptions<DriftOptions>().Bind(configuration.GetSection(DriftOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DriftOptions>, ListValidator<DriftOptions>>(
            _ => new ListValidator<DriftOptions>(o => o.Validate())));

        services.TryAddSingleton(sp =>
        {
            // Both pools as either end: the control item decides per run which is read and which written.
            PoolEnd End(string role) => new(
                sp.GetRequiredKeyedService<IUserDirectory>(role),
                ReconcilerServiceCollectionExtensions.Pool(sp, role).Region,
                sp.GetRequiredKeyedService<IMirrorStore>(role),
                sp.GetRequiredKeyedService<IMirrorCatalog>(role),
                sp.GetRequiredKeyedService<IReplicaStateStore>(role),
                sp.GetRequiredKeyedService<ApplyEngine>(role));
            return new SyncScope(
                sp.GetRequiredService<ReplicationControlReader>(),
                End(PoolRoles.Primary),
                End(PoolRoles.Standby),
                sp.GetRequiredService<IOptions<ReplicationOptions>>().Value,
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new Converger());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SyncOptions>>().Value);
        services.TryAddSingleton(sp => new FullSync(
            sp.GetRequiredService<SyncScope>(),
            sp.GetRequiredService<Converger>(),
            sp.GetRequiredService<SyncOptions>(),
            sp.GetRequiredService<ILogger<FullSync>>(),
            new CompactReadOptions(sp.GetRequiredService<IOptions<DriftOptions>>().Value.CompactMemoryBudgetMb * 1024L * 1024L, Concurrency: sp.GetRequiredService<SyncOptions>().Concurrency)));
        services.AddConfigurationReplication(configuration);
        services.TryAddSingleton(sp => new ConfigurationDrift(
            [sp.GetRequiredKeyedService<ConfigurationApplier>(PoolRoles.Standby), sp.GetRequiredKeyedService<ConfigurationApplier>(PoolRoles.Primary)]));
        services.TryAddSingleton(sp => new DriftReporter(
            sp.GetRequiredService<SyncScope>(),
            sp.GetRequiredService<Converger>(),
            sp.GetRequiredService<SyncOptions>(),
            sp.GetRequiredService<ILogger<DriftReporter>>(),
            sp.GetRequiredService<IOptions<DriftOptions>>().Value.CompareConfiguration ? sp.GetRequiredService<ConfigurationDrift>() : null,
            new CompactReadOptions(sp.GetRequiredService<IOptions<DriftOptions>>().Value.CompactMemoryBudgetMb * 1024L * 1024L, Concurrency: sp.GetRequiredService<SyncOptions>().Concurrency),
            RecoveryFacts(sp),
            sp.GetService<INativeReplicaInspector>()));
        services.TryAddSingleton<IDriftReporter>(sp => sp.GetRequiredService<DriftReporter>());
        services.TryAddSingleton<IReportStore>(sp => ReportStoreFactory.Create(
            sp.GetRequiredService<IOptions<DriftOptions>>().Value,
            sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Standby.Region,
            sp.GetRequiredService<AWSCredentials>));
        services.TryAddSingleton<DriftReportService>();
        services.TryAddSingleton(sp =>
        {
            var region = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Standby.Region;
            var options = sp.GetRequiredService<IOptions<EventBridgeOptions>>().Value;
            return new DriftEvents(EventBridgeClient.Create(options.EndpointFor(region), sp.GetRequiredService<AWSCredentials>()), options.BusName);
        });
        return services;
    }

    /// <summary>The facts the drift report's recoverability block reads: recovery-plan's, without TOTP when <c>Drift:ReadTotpEnrolment</c> is false.</summary>
    private static Func<string, string, IRecoveryFactsReader?> RecoveryFacts(IServiceProvider sp)
    {
        var facts = CognitoRecoveryFacts.Between(
            sp.GetRequiredService<IOptions<ReplicationOptions>>().Value,
            sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary),
            sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Standby));
        return sp.GetRequiredService<IOptions<DriftOptions>>().Value.ReadTotpEnrolment
            ? facts
            : (source, target) => new WithoutTotpEnrolment(facts(source, target));
    }

    /// <summary>Runs drift reports on the <c>Drift:Schedule</c> in the worker (nothing when it is unset).</summary>
    public static IServiceCollection AddScheduledDriftReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSyncAndDrift(configuration);
        services.AddHostedService(sp => sp.GetRequiredService<DriftReportService>());
        return services;
    }
}
