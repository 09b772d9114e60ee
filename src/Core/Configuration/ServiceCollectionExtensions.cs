using Amazon.Runtime;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.SecretsManager;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (validated on start), credentials, the two pools (keyed <see cref="PoolRoles.Primary"/> and
    /// <see cref="PoolRoles.Standby"/>: rate-limited Cognito clients and <see cref="IUserDirectory"/>s), and the mirror
    /// table (snapshots in the primary's Region, replica state in the standby's).
    /// </summary>
    public static IServiceCollection AddReplicationCore(this IServiceCollection services, IConfiguration configuration)
    {
        // Capture and the reconciler both call this; binding twice would duplicate list settings.
        if (services.Any(d => d.ServiceType == typeof(CoreServicesMarker)))
        {
            return services;
        }

        services.AddSingleton<CoreServicesMarker>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<AwsCredentialOptions>().Bind(configuration.GetSection(AwsCredentialOptions.Section));
        services.AddOptions<ReplicationOptions>().Bind(configuration.GetSection(ReplicationOptions.Section)).ValidateOnStart();
        services.AddOptions<ConfigurationReplicationOptions>().Bind(configuration.GetSection(ConfigurationReplicationOptions.Section)).ValidateOnStart();
        services.AddOptions<MirrorOptions>().Bind(configuration.GetSection(MirrorOptions.Section)).ValidateOnStart();
        // The application shares the primary's quotas; while a pool is the standby, nobody but replication calls it.
        services.AddOptions<QuotaOptions>(PoolRoles.Primary).Configure(o => o.Share = QuotaOptions.PrimaryShare)
            .Bind(configuration.GetSection($"{QuotaOptions.Section}:Primary")).ValidateOnStart();
        services.AddOptions<QuotaOptions>(PoolRoles.Standby).Configure(o => o.Share = QuotaOptions.StandbyShare)
            .Bind(configuration.GetSection($"{QuotaOptions.Section}:Standby")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicationOptions>, ListValidator<ReplicationOptions>>(
            _ => new ListValidator<ReplicationOptions>(o => o.Validate())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfigurationReplicationOptions>, ListValidator<ConfigurationReplicationOptions>>(
            _ => new ListValidator<ConfigurationReplicationOptions>(o => o.Validate())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MirrorOptions>, ListValidator<MirrorOptions>>(
            _ => new ListValidator<MirrorOptions>(o => o.Validate())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuotaOptions>, ListValidator<QuotaOptions>>(
            _ => new ListValidator<QuotaOptions>((name, o) => o.Validate($"{QuotaOptions.Section}:{(name == PoolRoles.Primary ? "Primary" : "Standby")}"))));

        services.TryAddSingleton<AWSCredentials>(sp => sp.GetRequiredService<IOptions<AwsCredentialOptions>>().Value.Resolve());
        services.TryAddSingleton(sp => new MirrorClients(sp.GetRequiredService<IOptions<MirrorOptions>>().Value, sp.GetRequiredService<AWSCredentials>()));

        // Which pool is the source right now: the control item a failover writes, else the configured roles.
        services.TryAddSingleton<IReplicationControlStore>(sp =>
            new DynamoDbReplicationControlStore(Mirror(sp, PoolRoles.Standby), sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        services.TryAddSingleton(sp => new ReplicationControlReader(
            sp.GetRequiredService<IReplicationControlStore>(),
            ReplicationControl.FromConfiguration(sp.GetRequiredService<IOptions<ReplicationOptions>>().Value),
            sp.GetRequiredService<TimeProvider>()));

        foreach (var role in new[] { PoolRoles.Primary, PoolRoles.Standby })
        {
            services.TryAddKeyedSingleton(role, (sp, _) =>
                new QuotaGovernor(sp.GetRequiredService<IOptionsMonitor<QuotaOptions>>().Get(role), sp.GetRequiredService<TimeProvider>(), role));
            services.TryAddKeyedSingleton(role, (sp, _) =>
                CognitoIdentityProviderClient.Create(Pool(sp, role).Endpoint, sp.GetRequiredService<AWSCredentials>(), sp.GetRequiredKeyedService<QuotaGovernor>(role)));
            services.TryAddKeyedSingleton<IUserDirectory>(role, (sp, _) =>
                new CognitoUserDirectory(sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(role), Pool(sp, role).UserPoolId));
            services.TryAddKeyedSingleton<IMirrorStore>(role, (sp, _) =>
                new DynamoDbMirrorStore(Mirror(sp, role), sp.GetRequiredService<IOptions<MirrorOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ReplicationControlReader>()));
            services.TryAddKeyedSingleton<IMirrorCatalog>(role, (sp, key) => (IMirrorCatalog)sp.GetRequiredKeyedService<IMirrorStore>(key));
        }

        services.AddOptions<EventBridgeOptions>().Bind(configuration.GetSection(EventBridgeOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventBridgeOptions>, ListValidator<EventBridgeOptions>>(
            _ => new ListValidator<EventBridgeOptions>(o => o.Validate())));

        services.AddOptions<SecretsManagerOptions>().Bind(configuration.GetSection(SecretsManagerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretsManagerOptions>, ListValidator<SecretsManagerOptions>>(
            _ => new ListValidator<SecretsManagerOptions>(o => o.Validate())));

        services.TryAddSingleton<IReplicaStateStore>(sp =>
            new DynamoDbReplicaStateStore(Mirror(sp, PoolRoles.Standby), sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        services.TryAddSingleton<ISweepRequests>(sp =>
            new DynamoDbSweepRequests(Mirror(sp, PoolRoles.Primary), sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        services.TryAddSingleton<ICaptureHintQueue>(sp =>
            new DynamoDbCaptureHintQueue(Mirror(sp, PoolRoles.Primary), sp.GetRequiredService<IOptions<MirrorOptions>>().Value));
        return services;
    }

    private static PoolOptions Pool(IServiceProvider services, string role)
    {
        var options = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        return role == PoolRoles.Primary ? options.Primary : options.Standby;
    }

    private static Amazon.DynamoDBv2.IAmazonDynamoDB Mirror(IServiceProvider services, string role) =>
        services.GetRequiredService<MirrorClients>().For(Pool(services, role).Region);
}

internal sealed class CoreServicesMarker;

/// <summary>Adapts a "list of error messages" validation method to <see cref="IValidateOptions{TOptions}"/>.</summary>
public sealed class ListValidator<TOptions>(Func<string?, TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ListValidator(Func<TOptions, IEnumerable<string>> validate)
        : this((_, options) => validate(options))
    {
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = validate(name, options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
