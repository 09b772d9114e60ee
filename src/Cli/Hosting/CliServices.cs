using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>The core services (pools, mirror, credentials) for one-shot commands, settings checked first.</summary>
internal static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddReplicationCore(configuration);
        var provider = services.BuildServiceProvider();
        WorkerHost.ValidateSettings(provider);
        return provider;
    }
}
