using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Pools;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep sweep [--config FILE] [--json]</c>: one pass of the source sweep the worker runs on its schedule — read the
/// source pool whole and record in the mirror what capture missed. Exit codes: 0 done, 2 error.
/// </summary>
internal static class SweepCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("sweep", "One pass of the source sweep: list the source pool (users, groups, memberships) and record in the mirror table what capture missed, as the worker does on its schedule.")
        {
            config, json, verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(json), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, bool json, bool verbose, CancellationToken cancellationToken)
    {
        var configuration = CliConfiguration.Load(file);
        await using var services = ToolHost.Build(configuration, verbose, s => s.AddSourceSweep(configuration));
        var progress = new ListingProgress();
        var result = await ListingProgressDisplay.RunAsync("sweep", progress, SweepOnce.RunAsync(services, cancellationToken, ListingProgressDisplay.Shown ? progress : null), TimeProvider.System);
        Console.WriteLine(json
            ? new JsonObject
            {
                ["users"] = result.Users,
                ["groups"] = result.Groups,
                ["recorded"] = result.Recorded,
                ["tombstones"] = result.Tombstones,
                ["unchanged"] = result.Unchanged,
                ["elapsedS"] = Math.Round(result.ElapsedSeconds, 2),
            }.ToJsonString()
            : string.Create(CultureInfo.InvariantCulture, $"Swept {result.Users} users and {result.Groups} groups in {result.ElapsedSeconds:0.0} s: {result.Recorded} recorded, {result.Tombstones} tombstones, {result.Unchanged} unchanged."));
        return IdrepCommand.Ok;
    }
}
