using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Demo;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep demo</c>: the main job on the embedded sandbox, end to end.</summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var users = new Option<int>("--users", "-n") { Description = "How many users to create in the primary pool.", DefaultValueFactory = _ => 50 };
        users.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--users must be between 1 and 100000.");
            }
        });
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var usernamePools = new Option<bool>("--username-pools") { Description = "Use pools that sign in by username instead of by email." };
        var command = new Command("demo", "Start the sandbox and the worker, create users in the primary, and show them arrive in the standby (no AWS account needed).")
        {
            users,
            json,
            verbose,
            usernamePools,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(users), parse.GetValue(json), parse.GetValue(verbose), parse.GetValue(usernamePools), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int users, bool json, bool verbose, bool usernamePools, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
        var runner = new DemoRunner(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
        DemoResult result;
        try
        {
            result = await runner.RunAsync(new DemoOptions(users, SignInByEmail: !usernamePools, Verbose: verbose), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Demo interrupted; everything it started has been stopped.");
            return IdrepCommand.Aborted;
        }

        if (!json)
        {
            var table = new Table().AddColumns("", "");
            table.AddRow("Users in primary", result.PrimaryUsers.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Users in standby", result.StandbyUsers.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Mismatches", result.Mismatches.ToString(CultureInfo.InvariantCulture));
            table.AddRow("Converged", result.Converged ? "[green]yes[/]" : "[red]no[/]");
            table.AddRow("Replication lag p50 / p99 / max", $"{result.LagP50Ms:0} / {result.LagP99Ms:0} / {result.LagMaxMs:0} ms");
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
                ["writeSeconds"] = Math.Round(result.WriteSeconds, 2),
                ["elapsedSeconds"] = Math.Round(result.ElapsedSeconds, 2),
            }.ToJsonString());
        }

        return result.Converged ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }
}
