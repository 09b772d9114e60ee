using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Drift.Storage;
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
public static class ToolHost
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
    /// Runs a command body and maps failures to exit codes: 2 for service errors (with a message naming the problem),
    /// 3 when interrupted. Configuration and usage errors go on to <see cref="CliErrors"/> (exit code 2).
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted. Re-run the same command to resume: finished work is found in step and not redone.");
            return Commands.IdrepCommand.Aborted;
        }
        catch (Exception e) when (e is AwsServiceException or MirrorStoreException or ReportStoreException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Failed: {e.Message}");
            return Commands.IdrepCommand.UsageError;
        }
    }
}
