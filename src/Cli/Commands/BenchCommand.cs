using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Bench;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary><c>idrep bench sync|drift|chaos</c>: throughput, footprint and resilience on the sandbox, with Cognito's quotas enforced.</summary>
internal static partial class BenchCommand
{
    public static Command Build() => new("bench", "Benchmarks on the local sandbox with Cognito's quotas enforced (see docs/performance.md).")
    {
        BuildSync(),
        BuildDrift(),
        BuildSweep(),
        BuildChaos(),
        BuildRelay(),
    };

    private static Command BuildSync()
    {
        var users = Users(2000);
        var groups = Groups();
        var scale = TypedOptions.PositiveNumber("--scale", "Multiply Cognito's default quotas by this (default: so that the run's ceiling is about a minute, at least 1).");
        var skipBaseline = new Option<bool>("--no-baseline") { Description = "Skip the one-call-at-a-time baseline." };
        var json = CommonOptions.Output();
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
        var users = VirtualUsersOption();
        var groups = Groups();
        var json = CommonOptions.Output();
        var (isVirtual, differences, quotaScale, seed) = VirtualOptions();
        var command = new Command("drift", "Time and peak memory of 'idrep drift' over two pools of N users in step, listing 60 users per call at Cognito's default quotas.")
        {
            users, groups, json, isVirtual, differences, quotaScale, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (VirtualUsageProblem(parse, users, isVirtual, differences) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return IdrepCommand.UsageError;
            }

            if (parse.GetValue(isVirtual))
            {
                return await RunVirtualAsync(VirtualBenchKind.Drift, parse, users, groups, differences, quotaScale, seed, json, cancellationToken);
            }

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

    private static Command BuildChaos()
    {
        var users = Users(2000);
        var changes = TypedOptions.WholeNumber("--changes", "Changes after the users are created: edits, attribute deletes, disables, enables, deletes, re-creates, group adds and removes.", 2000, 0, 100_000);
        var throttle = TypedOptions.Fraction("--throttle", "Share of the standby's calls answered TooManyRequestsException at random.", 0.2, 0.9);
        var errors = TypedOptions.Fraction("--errors", "Share of the standby's calls answered InternalErrorException (HTTP 500) at random.", 0.01, 0.9);
        var kills = TypedOptions.WholeNumber("--kills", "How many times the worker process is SIGKILLed at a random moment and started again.", 3, 0, 100);
        var seed = TypedOptions.WholeNumber("--seed", "Seed of the workload, the faults, the kill moments and the hostile input, so a run can be repeated.", 1, 0, int.MaxValue);
        var hostile = TypedOptions.Fraction("--hostile", "Hostile deliveries injected during the writes, as a share of the application's writes: oversized and invalid identifiers, users and groups that never existed, malformed events, hints and trigger payloads.", 0.05, 1.0);
        var workers = TypedOptions.WholeNumber("--workers", "Worker processes run at once on the same configuration; the kills are spread over them.", 1, 1, 8);
        var json = CommonOptions.Output();
        var command = new Command("chaos", "Replication under attack: faults in front of the standby, the worker killed and restarted, stale CloudTrail events delivered late and twice, hostile input among the writes; then the standby is compared with the primary and with what was intended (see docs/reliability.md).")
        {
            users, changes, throttle, errors, kills, seed, hostile, workers, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Logs go to standard error with the progress, so that standard output holds the JSON line alone.
            using var loggers = new RefusalWarningsFilter(LoggerFactory.Create(b => b
                .AddSimpleConsole()
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(LogLevel.Warning)));
            var bench = new ChaosBenchmark(loggers, TimeProvider.System, line => Console.Error.WriteLine(line));
            ChaosBenchResult result;
            try
            {
                result = await bench.RunAsync(
                    new ChaosBenchOptions(parse.GetValue(users), parse.GetValue(changes), parse.GetValue(throttle), parse.GetValue(errors), parse.GetValue(kills), parse.GetValue(seed))
                    {
                        Hostile = parse.GetValue(hostile),
                        Workers = parse.GetValue(workers),
                    },
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return IdrepCommand.Aborted;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(result.ToJsonLine());
            }
            else
            {
                var table = new Table().AddColumns("", "");
                table.AddRow("Users, changes", $"{result.Options.Users}, {result.Options.Changes}");
                table.AddRow("Faults injected (throttled / 5xx)", $"{result.Faults.Throttled} / {result.Faults.ServerErrors} (quota proxy refused {result.ProxyThrottled})");
                table.AddRow("Worker SIGKILLs (crashes)", $"{result.Kills} over {result.Options.Workers} worker(s) ({result.WorkerCrashes})");
                table.AddRow("Stale events delivered twice", result.Replayed.ToString(CultureInfo.InvariantCulture));
                table.AddRow("Hostile deliveries (refused as bad input / broke a rule)", Verdict($"{result.Hostile.Delivered} ({result.Hostile.Rejected} / {result.Hostile.FailureCount})", result.Hostile.FailureCount == 0));
                table.AddRow("Lost / wrong", Verdict($"{result.Tally.Lost} / {result.Tally.Wrong}", result.Tally.Findings.Count == 0));
                table.AddRow("Drift differences / parked", Verdict($"{result.DriftDifferences} / {result.Parked}", result.DriftDifferences == 0));
                table.AddRow("Converged after the last kill", result.ConvergeAfterLastKillS is { } s ? $"{s:0.0} s" : "[red]no[/]");
                table.AddRow("Standby writes", $"{result.Budget.WritesPerS:0.0}/s of {result.Budget.BudgetPerS:0.0}/s (budget use {result.Budget.Use:0.00}) over {result.Budget.WindowS:0} s");
                table.AddRow("Whole run", $"{result.ElapsedS:0} s");
                AnsiConsole.Write(table);
            }

            return result.Passed ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        });
        return command;
    }

    private static string Verdict(string text, bool good) => good ? $"[green]{text}[/]" : $"[red]{text}[/]";

    private static Option<int> Users(int defaultValue) => TypedOptions.WholeNumber("--users", "Users in the primary.", defaultValue, 1, 100_000, "-n");

    private static Option<int> Groups() => TypedOptions.WholeNumber("--groups", "Groups in the primary; user i is in group i mod G.", 20, 0, 10_000, "-g");
}
