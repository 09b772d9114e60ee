using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Bench;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep bench sync|drift</c>: throughput and footprint on the sandbox, with Cognito's quotas enforced.</summary>
public static class BenchCommand
{
    public static Command Build() => new("bench", "Benchmarks on the local sandbox with Cognito's quotas enforced (see docs/performance.md).")
    {
        BuildSync(),
        BuildDrift(),
    };

    private static Command BuildSync()
    {
        var users = Users(2000);
        var groups = Groups();
        var scale = TypedOptions.PositiveNumber("--scale", "Multiply Cognito's default quotas by this (default: so that the run's ceiling is about a minute, at least 1).");
        var skipBaseline = new Option<bool>("--no-baseline") { Description = "Skip the one-call-at-a-time baseline." };
        var json = CommonOptions.Json();
        var command = new Command("sync", "Full sync of N users into an empty standby: wall time against the quota-bound ceiling and against a one-call-at-a-time baseline.")
        {
            users, groups, scale, skipBaseline, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            var bench = new SyncBenchmark(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
            SyncBenchResult result;
            try
            {
                result = await bench.RunAsync(new SyncBenchOptions(parse.GetValue(users), parse.GetValue(groups), parse.GetValue(scale), SkipBaseline: parse.GetValue(skipBaseline)), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return IdrepCommand.Aborted;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["users"] = result.Users,
                    ["elapsedS"] = Math.Round(result.ElapsedS, 2),
                    ["ceilingS"] = Math.Round(result.CeilingS, 2),
                    ["efficiency"] = Math.Round(result.Efficiency, 3),
                    ["baselineS"] = Math.Round(result.BaselineS, 2),
                    ["speedup"] = Math.Round(result.Speedup, 2),
                }.ToJsonString());
            }
            else
            {
                var table = new Table().AddColumns("", "");
                table.AddRow("Users", result.Users.ToString(CultureInfo.InvariantCulture));
                table.AddRow("Quota scale", result.Scale.ToString("0.##", CultureInfo.InvariantCulture));
                table.AddRow("Full sync", $"{result.ElapsedS:0.0} s ({result.Throttles} throttled calls)");
                table.AddRow("Quota-bound ceiling", $"{result.CeilingS:0.0} s");
                table.AddRow("Efficiency", result.Efficiency.ToString("0.000", CultureInfo.InvariantCulture));
                table.AddRow("Baseline (one call at a time)", $"{result.BaselineS:0.0} s ({result.BaselineThrottles} throttled calls)");
                table.AddRow("Speedup", $"{result.Speedup:0.00}× (concurrency across categories allows {result.SpeedupBound:0.00}×)");
                table.AddRow("Converged", result.Converged ? "[green]yes[/]" : "[red]no[/]");
                AnsiConsole.Write(table);
                var loads = new Table().AddColumns("pool", "category", "calls", "budget /s", "seconds");
                foreach (var load in result.Loads)
                {
                    loads.AddRow(load.Pool, load.Category.ToString(), load.Calls.ToString(CultureInfo.InvariantCulture), load.Budget.ToString("0.#", CultureInfo.InvariantCulture), load.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(loads);
            }

            return result.Converged ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        });
        return command;
    }

    private static Command BuildDrift()
    {
        var users = Users(2000);
        var groups = Groups();
        var json = CommonOptions.Json();
        var command = new Command("drift", "Time and peak memory of 'idrep drift' over two pools of N users in step, listing 60 users per call at Cognito's default quotas.")
        {
            users, groups, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            var bench = new DriftBenchmark(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
            DriftBenchResult result;
            try
            {
                result = await bench.RunAsync(parse.GetValue(users), parse.GetValue(groups), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return IdrepCommand.Aborted;
            }

            var line = new JsonObject
            {
                ["users"] = result.Users,
                ["elapsedS"] = Math.Round(result.ElapsedS, 2),
                ["peakMemoryMB"] = Math.Round(result.PeakMemoryMb, 1),
                ["differences"] = result.Differences,
                ["userListCalls"] = result.ListUsersCalls,
                ["ceilingS"] = Math.Round(result.CeilingS, 2),
            }.ToJsonString();
            Console.WriteLine(parse.GetValue(json) ? line : $"Drift report over {result.Users} users: {result.ElapsedS:0.0} s (primary UserList ceiling {result.CeilingS:0.0} s), peak memory {result.PeakMemoryMb:0} MB, {result.ListUsersCalls} UserList calls, {result.Differences} differences.");
            return result.Differences == 0 ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        });
        return command;
    }

    private static Option<int> Users(int defaultValue) => TypedOptions.WholeNumber("--users", "Users in the primary.", defaultValue, 1, 100_000, "-n");

    private static Option<int> Groups() => TypedOptions.WholeNumber("--groups", "Groups in the primary; user i is in group i mod G.", 20, 0, 10_000, "-g");
}
