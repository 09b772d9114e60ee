using System.CommandLine;
using IdentityReplicator.Cli.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep worker --config FILE</c>: runs replication against the pools the file names, until stopped; exit code 3
/// when stopped by Ctrl+C or SIGTERM, as every interrupted idrep command.
/// </summary>
internal static class WorkerCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only (a container's task definition).";
        var verbose = CommonOptions.Verbose();
        var logFormat = new Option<string?>("--log-format") { Description = "text (default) or json (one JSON object per line, for CloudWatch Logs); overrides Worker:LogFormat." };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var healthUrl = new Option<string?>("--health-url") { Description = "Serve /health/live and /health/ready here, e.g. http://127.0.0.1:8080; overrides Worker:HealthUrl." };
        var command = new Command("worker", "Run the reconciler and capture-hint completion against the pools in the config file (real AWS or the sandbox) until stopped.")
        {
            config,
            verbose,
            logFormat,
            healthUrl,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(config),
            parse.GetValue(verbose),
            new Dictionary<string, string?>
            {
                [$"{WorkerOptions.Section}:LogFormat"] = parse.GetValue(logFormat),
                [$"{WorkerOptions.Section}:HealthUrl"] = parse.GetValue(healthUrl),
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, bool verbose, Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddConfiguration(CliConfiguration.Load(file))
                .AddInMemoryCollection(overrides.Where(o => o.Value is not null))
                .Build();
            using var host = WorkerHost.Build(configuration, verbose ? LogLevel.Debug : LogLevel.Information);
            await host.StartAsync(cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return cancellationToken.IsCancellationRequested ? IdrepCommand.Aborted : IdrepCommand.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return IdrepCommand.Aborted;
        }
    }
}

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "The config file: pools, Regions, mirror table (see docs/configuration.md; 'idrep sandbox up' writes one).",
        Required = true,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log more (debug level)." };

    /// <summary><c>-o, --output text|json</c> (and the hidden <c>--json</c>): see <see cref="MachineOutput"/>.</summary>
    public static MachineOutput Output() => new();

    /// <summary>The former name of <see cref="Output"/>; commands get <c>-o, --output</c> through it too.</summary>
    public static MachineOutput Json() => Output();
}
