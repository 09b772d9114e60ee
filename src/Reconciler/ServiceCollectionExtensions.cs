using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Direction;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ReconcilerServiceCollectionExtensions
{
    /// <summary>Registers the apply engine, the feed poller and the reconciler's hosted service (plus the core services).</summary>
    public static IServiceCollection AddReconciler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.AddOptions<ReconcilerOptions>().Bind(configuration.GetSection(ReconcilerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconcilerOptions>, ListValidator<ReconcilerOptions>>(
            _ => new ListValidator<ReconcilerOptions>(o => o.Validate())));

        services.TryAddSingleton(sp =>
        {
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            return new ApplyEngine(
                sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby),
                sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Standby),
                sp.GetRequiredService<IReplicaStateStore>(),
                new ApplySettings(replication.Standby.Region, replication.ExcludeAttributes, replication.PrimarySubAttribute),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ApplyEngine>>());
        });
        services.TryAddSingleton(sp => new FeedPoller(
            sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Standby),
            sp.GetRequiredService<IReplicaStateStore>(),
            sp.GetRequiredService<ApplyEngine>(),
            sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FeedPoller>>(),
            entry => sp.GetRequiredService<ReplicationRoute>().Accepts(entry)));

        // The reverse direction, for after a failover: the configured primary is then the pool replication writes,
        // with its own apply state (kept in its Region's replica of the mirror table).
        services.TryAddKeyedSingleton<IReplicaStateStore>(PoolRoles.Primary, (sp, _) => new DynamoDbReplicaStateStore(
            sp.GetRequiredService<MirrorClients>().For(sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Primary.Region),
            sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        services.TryAddKeyedSingleton(PoolRoles.Primary, (sp, _) =>
        {
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            return new ApplyEngine(
                sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary),
                sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary),
                sp.GetRequiredKeyedService<IReplicaStateStore>(PoolRoles.Primary),
                new ApplySettings(replication.Primary.Region, replication.ExcludeAttributes),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ApplyEngine>>());
        });
        services.TryAddKeyedSingleton(PoolRoles.Primary, (sp, _) => new FeedPoller(
            sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary),
            sp.GetRequiredKeyedService<IReplicaStateStore>(PoolRoles.Primary),
            sp.GetRequiredKeyedService<ApplyEngine>(PoolRoles.Primary),
            sp.GetRequiredService<IOptions<ReconcilerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FeedPoller>>(),
            entry => sp.GetRequiredService<ReplicationRoute>().Accepts(entry)));
        services.TryAddSingleton(sp =>
        {
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            var buckets = sp.GetRequiredService<IOptions<MirrorOptions>>().Value.FeedBuckets;
            return new ReplicationRoute(
                sp.GetRequiredService<ReplicationDirection>(),
                [
                    new ReplicationLeg(replication.Standby.UserPoolId, replication.Standby.Region, sp.GetRequiredService<FeedPoller>(), sp.GetRequiredService<IReplicaStateStore>(), buckets),
                    new ReplicationLeg(replication.Primary.UserPoolId, replication.Primary.Region, sp.GetRequiredKeyedService<FeedPoller>(PoolRoles.Primary), sp.GetRequiredKeyedService<IReplicaStateStore>(PoolRoles.Primary), buckets),
                ],
                sp.GetRequiredService<ILogger<ReplicationRoute>>());
        });
        services.TryAddSingleton<ReconcilerStartup>();
        services.TryAddSingleton<ReconcilerHealth>();
        services.AddHostedService<ReconcilerService>();
        return services;
    }
}
