using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Cli.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep demo</c>: the main job on the embedded sandbox, end to end.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var users = TypedOptions.WholeNumber("--users", "How many users to create in the primary pool.", 50, 1, 100_000, "-n");
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var usernamePools = new Option<bool>("--username-pools") { Description = "Use pools that sign in by username instead of by email." };
        var noChanges = new Option<bool>("--no-changes") { Description = "Only create users; skip the edits, disables, deletes and group changes." };
        var cloudTrailDelay = TypedOptions.Duration(
            "--cloudtrail-delay",
            "How long the sandbox takes to deliver a CloudTrail event to the Replicator (on AWS: typically seconds). Default 00:00:00.",
            TimeSpan.Zero);
        var command = new Command("demo", "Start the sandbox and the worker, create users in the primary, change them every way an application can, and show every change arrive in the standby (no AWS account needed).")
        {
            users,
            json,
            verbose,
            usernamePools,
            noChanges,
            cloudTrailDelay,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(
            () => RunAsync(
                new DemoOptions(
                    parse.GetValue(users),
                    SignInByEmail: !parse.GetValue(usernamePools),
                    Verbose: parse.GetValue(verbose),
                    Changes: !parse.GetValue(noChanges),
                    CloudTrailDelay: parse.GetValue(cloudTrailDelay)),
                parse.GetValue(json),
                cancellationToken),
            "Demo interrupted; everything it started has been stopped.",
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DemoOptions options, bool json, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Warning));
        var runner = new DemoRunner(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
        var result = await runner.RunAsync(options, cancellationToken);

        if (!json)
        {
            var table = new Table().AddColumns("", "").HideHeaders();
            table.AddRow("Users in primary", result.PrimaryUsers.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Users in standby", result.StandbyUsers.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Mismatches", result.Mismatches.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Converged", result.Converged ? "[green]yes[/]" : "[red]no[/]");
            table.AddRow("New users: lag p50 / p99 / max", $"{result.LagP50Ms:0} / {result.LagP99Ms:0} / {result.LagMaxMs:0} ms");
            foreach (var (kind, stats) in result.Changes.Where(c => c.Key != ChangeKinds.Create))
            {
                table.AddRow($"{kind} ×{stats.Count}: lag p50 / p99", $"{stats.LagP50Ms:0} / {stats.LagP99Ms:0} ms{(stats.Converged < stats.Count ? $" ({stats.Count - stats.Converged} not converged)" : string.Empty)}");
            }
            table.AddRow("Primary writes took", $"{result.WriteSeconds:0.0} s");
            table.AddRow("Whole demo took", $"{result.ElapsedSeconds:0.0} s");
            AnsiConsole.Write(table);
            foreach (var detail in result.MismatchDetails.Take(20))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]mismatch[/] {detail}");
            }
        }
        else
        {
            Console.WriteLine(new JsonObject
            {
                ["primaryUsers"] = result.PrimaryUsers,
                ["standbyUsers"] = result.StandbyUsers,
                ["mismatches"] = result.Mismatches,
                ["converged"] = result.Converged,
                ["lagP50Ms"] = Math.Round(result.LagP50Ms),
                ["lagP99Ms"] = Math.Round(result.LagP99Ms),
                ["lagMaxMs"] = Math.Round(result.LagMaxMs),
                ["eventLagP99Ms"] = Math.Round(result.EventLagP99Ms),
                ["changes"] = new JsonObject([.. result.Changes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create<string, JsonNode?>(c.Key, new JsonObject
                {
                    ["count"] = c.Value.Count,
                    ["converged"] = c.Value.Converged,
                    ["lagP50Ms"] = Math.Round(c.Value.LagP50Ms),
                    ["lagP99Ms"] = Math.Round(c.Value.LagP99Ms),
                }))]),
                ["writeSeconds"] = Math.Round(result.WriteSeconds, 2),
                ["elapsedSeconds"] = Math.Round(result.ElapsedSeconds, 2),
            }.ToJsonString());
        }

        return result.Converged ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }
}
