using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Sweep;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SweepServiceCollectionExtensions
{
    /// <summary>Registers the scheduled sweep of the source pool (section <c>Sweep</c>; every 15 minutes by default).</summary>
    public static IServiceCollection AddSourceSweep(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.AddOptions<SweepOptions>().Bind(configuration.GetSection(SweepOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SweepOptions>, ListValidator<SweepOptions>>(
            _ => new ListValidator<SweepOptions>(o => o.Validate())));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SweepOptions>>().Value);
        services.TryAddSingleton(sp => new SourceSweep(
            sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary),
            sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary),
            sp.GetRequiredKeyedService<IMirrorCatalog>(PoolRoles.Primary),
            sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.UsernamesCaseSensitive,
            sp.GetRequiredService<SweepOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SourceSweep>>(),
            // After a failover the standby is the source: the sweep follows the control item and reads it instead.
            sp.GetRequiredService<ReplicationControlReader>(),
            [
                new SweepSource(
                    sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby),
                    sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Standby),
                    sp.GetRequiredKeyedService<IMirrorCatalog>(PoolRoles.Standby)),
            ]));
        services.AddHostedService(sp =>
        {
            // Event capture asks for a sweep of the pool it captures: the standby after a failover.
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            return new SourceSweepService(
                sp.GetRequiredService<SourceSweep>(),
                sp.GetRequiredService<ISweepRequests>(),
                new[] { replication.Primary.UserPoolId, replication.Standby.UserPoolId }.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList(),
                sp.GetRequiredService<SweepOptions>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SourceSweepService>>());
        });
        return services;
    }
}
