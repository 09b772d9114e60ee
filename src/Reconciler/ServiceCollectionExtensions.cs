using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Direction;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The reconciler's registrations, one per concern, each safe to call again: <see cref="AddApplyEngines"/> (what writes
/// a pool), <see cref="AddChangeFeed"/> (what follows the mirror table's feed) and <see cref="AddReconciler"/> (the
/// worker's hosted service). Every service exists once per configured pool, keyed by its role (<see cref="PoolRoles"/>),
/// since either may be the target; the unkeyed ones are the standby's.
/// </summary>
public static class ReconcilerServiceCollectionExtensions
{
    private static readonly string[] Roles = [PoolRoles.Standby, PoolRoles.Primary];

    /// <summary>
    /// Registers the apply engine of each pool (plus the core services and the <c>Reconciler</c> options, whose
    /// <c>ApplyLease</c> they use), each with its pool's apply state — the standby's in the standby's Region, the
    /// configured primary's in the primary's. Full sync, drift repair and the change feed all apply through them, so
    /// all are fenced by the same apply leases.
    /// </summary>
    public static IServiceCollection AddApplyEngines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.AddConfigurationReplication(configuration);
        services.AddReconcilerOptions(configuration);
        services.TryAddKeyedSingleton(PoolRoles.Standby, (sp, _) => sp.GetRequiredService<IReplicaStateStore>());
        services.TryAddKeyedSingleton<IReplicaStateStore>(PoolRoles.Primary, (sp, _) => new DynamoDbReplicaStateStore(
            sp.GetRequiredService<MirrorClients>().For(Pool(sp, PoolRoles.Primary).Region),
            sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        foreach (var role in Roles)
        {
            services.TryAddKeyedSingleton(role, (sp, _) =>
            {
                var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
                var engine = new ApplyEngine(
                    sp.GetRequiredKeyedService<IUserDirectory>(role),
                    sp.GetRequiredKeyedService<IMirrorStore>(role),
                    sp.GetRequiredKeyedService<IReplicaStateStore>(role),
                    new ApplySettings(Pool(sp, role).Region, replication.ExcludeAttributes, replication.PrimarySubAttribute)
                    {
                        ApplyLease = sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value.ApplyLease,
                    },
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<ApplyEngine>>());

                // Users wait for configuration: a custom attribute the target lacks is added from the source first.
                var schema = sp.GetRequiredKeyedService<ConfigurationApplier>(role);
                engine.WaitForSchema(schema.ApplySchemaAsync);
                return engine;
            });
        }

        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Standby));
        return services;
    }

    /// <summary>
    /// Registers the change feed's poller of each pool (plus the apply engines), the route that picks the active one by
    /// the replication control item, and the <c>Reconciler</c> options, checked at start.
    /// </summary>
    public static IServiceCollection AddChangeFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplyEngines(configuration);
        services.AddReconcilerOptions(configuration);
        foreach (var role in Roles)
        {
            services.TryAddKeyedSingleton(role, (sp, _) => new ConfigurationFeed(
                sp.GetRequiredKeyedService<ConfigurationApplier>(role),
                sp.GetRequiredKeyedService<IReplicaStateStore>(role),
                Pool(sp, role).Region,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ConfigurationFeed>>(),
                leaseDuration: sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value.ApplyLease));
            services.TryAddKeyedSingleton(role, (sp, _) => new FeedPoller(
                sp.GetRequiredKeyedService<IMirrorStore>(role),
                sp.GetRequiredKeyedService<IReplicaStateStore>(role),
                sp.GetRequiredKeyedService<ApplyEngine>(role),
                sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<FeedPoller>>(),
                entry => sp.GetRequiredService<TargetLegs>().Accepts(entry),
                sp.GetRequiredKeyedService<ConfigurationFeed>(role)));
        }

        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<FeedPoller>(PoolRoles.Standby));
        services.TryAddSingleton(sp =>
        {
            var buckets = sp.GetRequiredService<IOptions<MirrorOptions>>().Value.FeedBuckets;
            TargetLeg Leg(string role) => new(
                Pool(sp, role).UserPoolId,
                Pool(sp, role).Region,
                sp.GetRequiredKeyedService<FeedPoller>(role),
                sp.GetRequiredKeyedService<IReplicaStateStore>(role),
                buckets);
            return new TargetLegs(sp.GetRequiredService<ReplicationControlReader>(), [.. Roles.Select(Leg)], sp.GetRequiredService<ILogger<TargetLegs>>());
        });
        return services;
    }

    /// <summary>Registers the worker's reconciler: the change feed and the hosted service that follows it, with its health.</summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddChangeFeed(configuration);
        services.TryAddSingleton<ReconcilerStartup>();
        services.TryAddSingleton<ReconcilerHealth>();
        services.AddHostedService<ReconcilerService>();
        services.TryAddSingleton(sp => new ConfigurationSweep(
            [.. Roles.Select(role => sp.GetRequiredKeyedService<ConfigurationFeed>(role))],
            sp.GetRequiredService<ReplicationControlReader>()));
        services.AddHostedService<ConfigurationSweepService>();
        return services;
    }

    /// <summary>
    /// Binds the <c>Reconciler</c> options, checked at start. Sync and drift register them too: one config file serves
    /// every command, and each checks all of it.
    /// </summary>
    internal static IServiceCollection AddReconcilerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound once, however many registrations ask for them.
        if (services.Any(d => d.ServiceType == typeof(ReconcilerOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<ReconcilerOptionsMarker>();
        services.AddOptions<ReconcilerOptions>().Bind(configuration.GetSection(ReconcilerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconcilerOptions>, ListValidator<ReconcilerOptions>>(
            _ => new ListValidator<ReconcilerOptions>(o => o.Validate())));
        return services;
    }

    /// <summary>The configured pool of a role.</summary>
    internal static PoolOptions Pool(IServiceProvider services, string role)
    {
        var replication = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        return role == PoolRoles.Primary ? replication.Primary : replication.Standby;
    }

    private sealed class ReconcilerOptionsMarker;
}
