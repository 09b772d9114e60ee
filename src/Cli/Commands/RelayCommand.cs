using System.CommandLine;
using IdentityReplicator.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep relay [--config FILE] [--port N] [--host ADDRESS]</c>: serves the token relay (<c>POST /oauth2/token</c>,
/// <c>GET /health/live</c>) until stopped; prints one JSON line with its endpoint when it listens. Exit code 2 when the
/// relay's settings are wrong (the message names the key), 3 when stopped.
/// </summary>
internal static class RelayCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only (a container's task definition).";
        var port = TypedOptions.WholeNumber("--port", "The port to listen on (0: a free one).", 8081, 0, 65535);
        var host = new Option<string>("--host") { Description = "The address to listen on: 127.0.0.1 (default), or 0.0.0.0 in a container behind a load balancer.", DefaultValueFactory = _ => "127.0.0.1" };
        var verbose = CommonOptions.Verbose();
        var command = new Command("relay", "Serve the M2M token relay: callers keep the primary's client id and secret, the relay follows a failover.")
        {
            config,
            port,
            host,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => RelayHost.RunAsync(
            CliConfiguration.Load(parse.GetValue(config)),
            parse.GetValue(host)!,
            parse.GetValue(port),
            parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information,
            cancellationToken));
        return command;
    }
}
