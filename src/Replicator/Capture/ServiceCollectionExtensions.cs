using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class CaptureServiceCollectionExtensions
{
    /// <summary>
    /// Registers capture that runs in the worker: completion of capture hints (reads of the primary pool). The
    /// primary pool id and case sensitivity default to those under Replication.
    /// </summary>
    public static IServiceCollection AddCapture(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReplicationCore(configuration);
        services.AddOptions<CaptureOptions>()
            .Bind(configuration.GetSection(CaptureOptions.Section))
            .PostConfigure<IOptions<ReplicationOptions>>((capture, replication) =>
            {
                if (string.IsNullOrEmpty(capture.PrimaryPoolId))
                {
                    capture.PrimaryPoolId = replication.Value.Primary.UserPoolId;
                }

                capture.UsernamesCaseSensitive |= replication.Value.UsernamesCaseSensitive;
                capture.PrimarySubAttribute = replication.Value.PrimarySubAttribute;
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CaptureOptions>, ListValidator<CaptureOptions>>(
            _ => new ListValidator<CaptureOptions>(o => o.Validate())));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<CaptureOptions>>().Value);
        services.TryAddSingleton(sp => new SourceReader(
            sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary),
            sp.GetRequiredService<CaptureOptions>().UsernamesCaseSensitive,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new HintCompletion(
            sp.GetRequiredService<ICaptureHintQueue>(),
            sp.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary),
            sp.GetRequiredService<SourceReader>(),
            sp.GetRequiredService<CaptureOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HintCompletion>>(),
            // After a failover the standby is the source: its hints are read from it (the mirror store checks the epoch).
            new Dictionary<string, SourceReader>(StringComparer.Ordinal)
            {
                [sp.GetRequiredService<IOptions<ReplicationOptions>>().Value.Standby.UserPoolId] = new SourceReader(
                    sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby),
                    sp.GetRequiredService<CaptureOptions>().UsernamesCaseSensitive,
                    sp.GetRequiredService<TimeProvider>()),
            }));
        services.AddHostedService<HintCompletionService>();
        return services;
    }
}
