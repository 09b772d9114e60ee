using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Reconciler.Apply;
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
            sp.GetRequiredService<ILogger<FeedPoller>>()));
        services.TryAddSingleton<ReconcilerStartup>();
        services.TryAddSingleton<ReconcilerHealth>();
        services.AddHostedService<ReconcilerService>();
        return services;
    }
}
