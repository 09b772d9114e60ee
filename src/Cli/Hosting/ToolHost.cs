using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// The services of a one-shot command (sync, drift): the pools, the mirror and the apply engine, with every
/// setting checked first. Logs go to standard error (warnings only unless verbose), so reports on standard output
/// stay clean.
/// </summary>
internal static class ToolHost
{
    public static ServiceProvider Build(IConfiguration configuration, bool verbose, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true);
            b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
            b.AddFilter("Microsoft", LogLevel.Warning);
            b.AddFilter("System.Net.Http", LogLevel.Warning);
        });
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        configure?.Invoke(services);
        services.AddSyncAndDrift(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            WorkerHost.ValidateSettings(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }

    /// <summary>
    /// Runs a command body; <see cref="CliErrors"/> maps whatever stops it (a service error: "Failed: …", exit 2;
    /// interrupted: how to resume, exit 3).
    /// </summary>
    public static Task<int> RunAsync(Func<Task<int>> body, CancellationToken cancellationToken) =>
        CliErrors.RunAsync(body, "Interrupted. Re-run the same command to resume: finished work is found in step and not redone.", cancellationToken);
}
