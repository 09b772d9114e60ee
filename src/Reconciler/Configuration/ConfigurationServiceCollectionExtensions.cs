using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Reconciler.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configuration replication's registration: each pool's configuration, the client mappings, and an applier per target role.</summary>
internal static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Registers, per pool role (<see cref="PoolRoles"/>), the pool's <see cref="IPoolConfigurationDirectory"/> (Secrets
    /// Manager in its Region for published secrets: <c>SecretsManager:Endpoints</c>, else the public endpoint for a pool
    /// on Cognito's), the <see cref="IClientMappingStore"/> in its
    /// Region, and the <see cref="ConfigurationApplier"/> that writes it from the other pool. Unkeyed: the standby's.
    /// </summary>
    public static IServiceCollection AddConfigurationReplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        foreach (var role in new[] { PoolRoles.Primary, PoolRoles.Standby })
        {
            services.TryAddKeyedSingleton<IPoolConfigurationDirectory>(role, (sp, _) =>
            {
                var pool = ReconcilerServiceCollectionExtensions.Pool(sp, role);
                var endpoint = sp.GetRequiredService<IOptions<SecretsManagerOptions>>().Value.ConfiguredEndpointFor(pool.Region)
                    ?? (pool.ServiceUrl is { Length: > 0 } ? null : new AwsEndpoint(pool.Region));
                var secrets = endpoint is null ? null : SecretsManagerClient.Create(endpoint, sp.GetRequiredService<AWSCredentials>());
                return new CognitoPoolConfigurationDirectory(sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(role), pool.UserPoolId, pool.Region, secrets);
            });
            services.TryAddKeyedSingleton<IClientMappingStore>(role, (sp, _) => new DynamoDbClientMappingStore(
                sp.GetRequiredService<MirrorClients>().For(ReconcilerServiceCollectionExtensions.Pool(sp, role).Region),
                sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
            services.TryAddKeyedSingleton<IClientRefusalStore>(role, (sp, _) => new DynamoDbClientRefusalStore(
                sp.GetRequiredService<MirrorClients>().For(ReconcilerServiceCollectionExtensions.Pool(sp, role).Region),
                sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
            services.TryAddKeyedSingleton(role, (sp, _) => new ConfigurationApplier(
                sp.GetRequiredKeyedService<IPoolConfigurationDirectory>(role == PoolRoles.Standby ? PoolRoles.Primary : PoolRoles.Standby),
                sp.GetRequiredKeyedService<IPoolConfigurationDirectory>(role),
                sp.GetRequiredKeyedService<IClientMappingStore>(role),
                sp.GetRequiredService<IOptions<ConfigurationReplicationOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ConfigurationApplier>>(),
                sp.GetRequiredKeyedService<IClientRefusalStore>(role),
                sp.GetRequiredService<IRotatedSecretStore>()));
        }

        // One store for both pools' records (a global table): the standby Region's copy.
        services.TryAddSingleton<IRotatedSecretStore>(sp => new DynamoDbRotatedSecretStore(
            sp.GetRequiredService<MirrorClients>().For(ReconcilerServiceCollectionExtensions.Pool(sp, PoolRoles.Standby).Region),
            sp.GetRequiredService<IOptions<MirrorOptions>>().Value));

        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ConfigurationApplier>(PoolRoles.Standby));
        return services;
    }
}
