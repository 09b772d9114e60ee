using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class NativeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the companion of a Cognito native replica (<c>Replication:Mode</c> <c>native</c>): the canary, its
    /// monitor, and the hosted service that runs it. The primary is written through the primary pool's client; the
    /// replica is read through the standby's (the same pool id at the secondary Region's endpoint).
    /// </summary>
    public static IServiceCollection AddNativeCompanion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.TryAddSingleton(sp =>
        {
            var native = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Native;
            return new NativeLagMonitor(sp.GetRequiredService<TimeProvider>(), native.StaleAfter, native.CanaryInterval);
        });
        services.TryAddSingleton(sp =>
        {
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            var client = sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary);
            return new NativeCanary(
                sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary),
                sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby),
                (attributes, cancellationToken) => client.AddCustomAttributesRawAsync(replication.Primary.UserPoolId, attributes, cancellationToken),
                replication.Native,
                sp.GetRequiredService<NativeLagMonitor>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<NativeCanary>>());
        });
        services.AddNativeSettings(configuration);
        services.AddHostedService(sp => new NativeSettingsService(
            sp.GetRequiredService<NativeSettingsSync>(),
            sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Native,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NativeSettingsService>>()));
        services.AddHostedService(sp => new NativeCanaryService(
            sp.GetRequiredService<NativeCanary>(),
            sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Native,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NativeCanaryService>>()));
        return services;
        }

    /// <summary>
    /// Registers <see cref="NativeSettingsSync"/>: the primary's Regional settings mapped to the replica's Region by
    /// <c>Replication:RegionalValues</c> and <c>Replication:SubstituteArnRegion</c>, read through the primary pool's client
    /// and written through the standby's (the same pool id at the secondary Region's endpoint).
    /// </summary>
    public static IServiceCollection AddNativeSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.TryAddSingleton(sp =>
        {
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            var mapping = configuration.GetSection(ConfigurationReplicationOptions.Section).Get<ConfigurationReplicationOptions>() ?? new ConfigurationReplicationOptions();
            var problems = mapping.Validate().ToList();
            if (problems.Count > 0)
            {
                throw new ConfigurationException([.. problems.Select(ConfigurationProblem.Rule)]);
            }

            return new NativeSettingsSync(
                sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary),
                sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Standby),
                replication.Primary.UserPoolId,
                mapping.MapFor(replication.Primary.Region, replication.Standby.Region),
                sp.GetRequiredService<ILogger<NativeSettingsSync>>());
        });
        return services;
    }
}
