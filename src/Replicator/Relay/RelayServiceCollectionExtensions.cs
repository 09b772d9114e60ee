using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Relay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class RelayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the token relay (<see cref="TokenRelay"/>): its options (validated on start against the pools), the
    /// mirror table of <see cref="RelayOptions.MirrorRegion"/> for the control item and the client mapping, and an
    /// HttpClient for the token endpoints. Only <c>dynamodb:GetItem</c> and <c>dynamodb:Query</c> on the mirror table
    /// are needed (docs/permissions.md); no Cognito permission.
    /// </summary>
    public static IServiceCollection AddTokenRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ReplicationOptions>().Bind(configuration.GetSection(ReplicationOptions.Section));
        services.AddOptions<MirrorOptions>().Bind(configuration.GetSection(MirrorOptions.Section)).ValidateOnStart();
        services.AddOptions<AwsCredentialOptions>().Bind(configuration.GetSection(AwsCredentialOptions.Section));
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>());
        services.TryAddSingleton<Amazon.Runtime.AWSCredentials>(sp => sp.GetRequiredService<IOptions<AwsCredentialOptions>>().Value.Resolve());
        services.TryAddSingleton(sp => new MirrorClients(sp.GetRequiredService<IOptions<MirrorOptions>>().Value, sp.GetRequiredService<Amazon.Runtime.AWSCredentials>()));
        services.TryAddSingleton(sp =>
        {
            var pools = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            var relay = sp.GetRequiredService<IOptions<RelayOptions>>().Value;
            var mirror = sp.GetRequiredService<IOptions<MirrorOptions>>().Value;
            var dynamo = sp.GetRequiredService<MirrorClients>().For(string.IsNullOrEmpty(relay.MirrorRegion) ? pools.Standby.Region : relay.MirrorRegion);
            return new RelayRouter(
                new DynamoDbClientMappingStore(dynamo, mirror),
                new DynamoDbReplicationControlStore(dynamo, mirror),
                pools,
                relay,
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new TokenRelay(
            sp.GetRequiredService<RelayRouter>(),
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = sp.GetRequiredService<IOptions<RelayOptions>>().Value.ForwardTimeout,
            },
            sp.GetRequiredService<ILogger<TokenRelay>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
