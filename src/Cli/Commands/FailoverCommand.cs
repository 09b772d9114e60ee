using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Reports;
using IdentityReplicator.Reconciler.Drift.Formats;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep failover plan|drill|execute|status|resume|failback</c>: the whole cut-over to the standby Region and back.
/// The commands parse and print; <see cref="FailoverOperations"/> and the <see cref="RunKinds"/> rules decide. Exit
/// codes: 0 ok, 1 a check or step failed, 2 usage, plan or confirmation error, 3 aborted.
/// </summary>
internal static class FailoverCommand
{
    private const string Interrupted = "Interrupted. Completed steps are in the journal; 'idrep failover resume --run <id>' carries on ('idrep failover status' shows the id).";

    public static Command Build()
    {
        var command = new Command("failover", "Fail over to the standby Region and back: plan and readiness, drills that measure themselves, execution with confirmation, status, resume, failback.");
        command.Subcommands.Add(PlanCommand());
        command.Subcommands.Add(RunCommand(RunKind.Drill, "Run the plan against a drill environment (the sandbox, a staging copy), with timing: fail over to the standby."));
        command.Subcommands.Add(RunCommand(RunKind.Execute, "Fail over to the standby for real. Requires --confirm with the plan's environment name."));
        command.Subcommands.Add(RunCommand(RunKind.Failback, "Return to the primary Region: the same steps in reverse. Requires --confirm unless the plan is a drill environment."));
        command.Subcommands.Add(ResumeCommand());
        command.Subcommands.Add(StatusCommand());
        return command;
    }

    private static Option<FileInfo> PlanOption() => new("--plan", "-p")
    {
        Description = "The failover plan (YAML or JSON; see docs/failover-plan.md; 'idrep sandbox up' writes one for the sandbox).",
        Required = true,
    };

    private static Option<DirectoryInfo?> ReportsOption() => new("--reports") { Description = "Where run reports go (default: failover-reports in the current folder, so they outlive a sandbox)." };

    private static Option<string[]> ForceOption() => new("--force")
    {
        Description = $"Run despite these failed preflight checks (comma-separated): {string.Join(", ", PreflightChecks.Names)}.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Command PlanCommand()
    {
        var plan = PlanOption();
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var to = new Option<string>("--to") { Description = "Plan a failover to 'standby' (default) or a failback to 'primary'.", DefaultValueFactory = _ => "standby" };
        to.AcceptOnlyFromAmong("standby", "primary");
        var command = new Command("plan", "Check readiness and show the exact steps; changes nothing.") { plan, json, verbose, to };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = await PlanReader.LoadAsync(parse.GetRequiredValue(plan).FullName, ct);
            using var loggers = Loggers(parse.GetValue(verbose));
            var preview = await Operations(loaded, loggers).PreviewAsync(parse.GetValue(to) == "primary" ? PoolRole.Primary : PoolRole.Standby, ct);
            var (recoverability, notRead) = await FailoverRecoverability.ReadAsync(loaded, preview.From, preview.To, TimeProvider.System, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["environment"] = loaded.Environment,
                    ["cognitoMode"] = loaded.Cognito.ModeName,
                    ["from"] = preview.From.Name(),
                    ["to"] = preview.To.Name(),
                    ["control"] = preview.Control?.ToString(),
                    ["ready"] = preview.Ready,
                    ["checks"] = new JsonArray([.. preview.Checks.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["passed"] = c.Passed, ["detail"] = c.Detail })]),
                    ["steps"] = new JsonArray([.. preview.Steps.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["after"] = new JsonArray([.. s.After.Select(a => (JsonNode)a)]), ["does"] = s.Does })]),
                    ["journeys"] = new JsonArray([.. preview.Journeys.Select(j => (JsonNode)new JsonObject { ["name"] = j.Name, ["checks"] = j.Checks })]),
                    ["recoverability"] = recoverability is null ? new JsonObject { ["notRead"] = notRead } : RecoveryPlanFormats.CountsJson(recoverability),
                }.ToJsonString());
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[bold]{loaded.Environment}[/]: {preview.From.Name()} ({loaded.Pools.For(preview.From).UserPoolId}) → {preview.To.Name()} ({loaded.Pools.For(preview.To).UserPoolId}); replication control: {preview.Control?.ToString() ?? "configured roles (no failover yet)"}");
                AnsiConsole.MarkupLineInterpolated($"cognito mode: {loaded.Cognito.ModeName}{(loaded.Cognito.IsNative ? $" (the standby is {loaded.Pools.Primary.UserPoolId}'s native replica in {loaded.Pools.Standby.Region}; fence, drain and reverse-replication are skipped)" : string.Empty)}");
                WriteChecks(preview.Checks);
                var table = new Table().AddColumn(new TableColumn("step").NoWrap()).AddColumns("after", "does");
                foreach (var step in preview.Steps)
                {
                    table.AddRow(Markup.Escape(step.Name), Markup.Escape(string.Join(", ", step.After)), Markup.Escape(step.Does));
                }

                AnsiConsole.Write(table);
                if (preview.Journeys.Count > 0)
                {
                    var journeys = new Table().AddColumn(new TableColumn("journey (verify)").NoWrap()).AddColumn("checks");
                    foreach (var journey in preview.Journeys)
                    {
                        journeys.AddRow(Markup.Escape(journey.Name), Markup.Escape(journey.Checks));
                    }

                    AnsiConsole.Write(journeys);
                }

                // Plain lines (not markup): counts people compare and scripts grep, never wrapped.
                Console.WriteLine($"Recoverability after the failover to {loaded.Pools.For(preview.To).UserPoolId} ('idrep users recovery-plan' lists the users):");
                foreach (var line in recoverability is null ? ["  " + notRead] : RecoveryPlanFormats.CountLines(recoverability))
                {
                    Console.WriteLine(line);
                }

                AnsiConsole.MarkupLine(preview.Ready ? "[green]Ready.[/] Nothing was changed." : "[red]Not ready[/] (see the failed checks). Nothing was changed.");
            }

            return preview.Ready ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        }, Interrupted, ct));
        return command;
    }

    private static Command RunCommand(RunKind kind, string description)
    {
        var plan = PlanOption();
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var reports = ReportsOption();
        var force = ForceOption();
        var confirmation = new Option<string?>("--confirm") { Description = "The plan's environment name, typed out: proof you mean it." };
        var command = new Command(kind.Name(), description) { plan, json, verbose, reports, force };
        if (kind.TakesConfirmation())
        {
            command.Options.Add(confirmation);
        }

        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = await PlanReader.LoadAsync(parse.GetRequiredValue(plan).FullName, ct);
            var forced = (parse.GetValue(force) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
            using var loggers = Loggers(parse.GetValue(verbose));
            var options = Options(forced, parse.GetValue(json)) with { Confirmation = kind.TakesConfirmation() ? parse.GetValue(confirmation) : null };
            var result = await Operations(loaded, loggers).StartAsync(kind, options, ct);
            return await ReportAsync(result, loaded, parse.GetValue(reports), parse.GetValue(json), ct);
        }, Interrupted, ct));
        return command;
    }

    private static Command ResumeCommand()
    {
        var plan = PlanOption();
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var reports = ReportsOption();
        var run = new Option<string>("--run") { Description = "The run to resume ('idrep failover status' lists them).", Required = true };
        var command = new Command("resume", "Resume a run that was killed, failed or interrupted: completed steps are not repeated.") { plan, run, json, verbose, reports };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = await PlanReader.LoadAsync(parse.GetRequiredValue(plan).FullName, ct);
            using var loggers = Loggers(parse.GetValue(verbose));
            var result = await Operations(loaded, loggers).ResumeAsync(parse.GetRequiredValue(run), Options(new HashSet<string>(), parse.GetValue(json)), ct);
            return await ReportAsync(result, loaded, parse.GetValue(reports), parse.GetValue(json), ct);
        }, Interrupted, ct));
        return command;
    }

    private static Command StatusCommand()
    {
        var plan = PlanOption();
        var json = CommonOptions.Output();
        var run = new Option<string?>("--run") { Description = "Show this run's steps (default: the replication control and the latest runs)." };
        var command = new Command("status", "Show which way replication runs (the control item and its epoch) and the runs in the journal.") { plan, run, json };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = await PlanReader.LoadAsync(parse.GetRequiredValue(plan).FullName, ct);
            var operations = new FailoverOperations(loaded, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var runId = parse.GetValue(run);
            if (runId is not null)
            {
                var result = await operations.GetRunAsync(runId, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(RunReport.ToJson(result, loaded).ToJsonString());
                }
                else
                {
                    WriteRun(result);
                }

                return IdrepCommand.Ok;
            }

            var (control, runs) = await operations.StatusAsync(10, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonObject
                {
                    ["control"] = control is null ? null : Control(control),
                    ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
                    {
                        ["runId"] = r.RunId,
                        ["kind"] = r.Kind,
                        ["to"] = r.To.Name(),
                        ["state"] = r.State.ToString(),
                        ["startedAt"] = r.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                        ["rtoSeconds"] = r.RtoSeconds,
                        ["rpoEstimateSeconds"] = r.RpoEstimateSeconds,
                    })]),
                }.ToJsonString());
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Replication control: {control?.ToString() ?? "none yet (configured roles: primary → standby, epoch 0)"}");
                var table = new Table().AddColumn(new TableColumn("run").NoWrap()).AddColumns("kind", "to", "state", "started (UTC)", "RTO", "RPO est.");
                foreach (var r in runs)
                {
                    table.AddRow(r.RunId, r.Kind, r.To.Name(), r.State.ToString(), r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Seconds(r.RtoSeconds), Seconds(r.RpoEstimateSeconds));
                }

                AnsiConsole.Write(table);
            }

            return IdrepCommand.Ok;
        }, Interrupted, ct));
        return command;
    }

    private static RunOptions Options(IReadOnlySet<string> forced, bool json) => new()
    {
        Force = forced,
        Progress = json ? _ => { } : new ProgressLines(Console.Error.WriteLine).Write,
    };

    private static async Task<int> ReportAsync(RunResult result, FailoverPlan plan, DirectoryInfo? reports, bool json, CancellationToken cancellationToken)
    {
        var folder = reports?.FullName ?? RunReport.DefaultFolder();
        var files = await RunReport.SaveAsync(result, plan, folder, cancellationToken);
        if (json)
        {
            Console.WriteLine(RunReport.ToJson(result, plan, files).ToJsonString());
        }
        else
        {
            if (result.Checks.Count > 0)
            {
                WriteChecks(result.Checks);
            }

            WriteRun(result);
            TerminalOutput.Line($"Report: {files.Html}");
        }

        return result.Succeeded ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }

    private static void WriteChecks(IReadOnlyList<CheckResult> checks)
    {
        var table = new Table().AddColumn(new TableColumn("check").NoWrap()).AddColumns("result", "detail");
        foreach (var check in checks)
        {
            table.AddRow(Markup.Escape(check.Name), check.Passed ? "[green]passed[/]" : check.Forced ? "[yellow]failed (forced)[/]" : "[red]failed[/]", Markup.Escape(check.Detail));
        }

        AnsiConsole.Write(table);
    }

    private static void WriteRun(RunResult result)
    {
        var table = new Table().AddColumn(new TableColumn("step").NoWrap()).AddColumns("result", "seconds", "detail");
        foreach (var step in result.Steps)
        {
            var state = step.State switch
            {
                StepState.Succeeded => step.AlreadyDone ? "[blue]already done[/]" : "[green]done[/]",
                StepState.Failed => "[red]failed[/]",
                StepState.Running => "[yellow]interrupted[/]",
                _ => "not run",
            };
            table.AddRow(Markup.Escape(step.Name), state, step.Seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—", Markup.Escape(step.Detail ?? string.Empty));
        }

        AnsiConsole.Write(table);
        var run = result.Run;
        TerminalOutput.Line($"Run {run.RunId} ({run.Kind}, {run.From.Name()} → {run.To.Name()}): {run.State}; RTO {Seconds(run.RtoSeconds)}, RPO estimate {Seconds(run.RpoEstimateSeconds)}");
        if (result.Failure is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{result.Failure}[/]");
        }
    }

    private static JsonObject Control(ReplicationControl control) => new()
    {
        ["epoch"] = control.Epoch,
        ["sourcePoolId"] = control.SourcePoolId,
        ["sourceRegion"] = control.SourceRegion,
        ["targetPoolId"] = control.TargetPoolId,
        ["targetRegion"] = control.TargetRegion,
        ["writable"] = control.Writable,
        ["runId"] = control.RunId,
    };

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "—";

    private static FailoverOperations Operations(FailoverPlan plan, ILoggerFactory loggers) =>
        new(plan, TimeProvider.System, loggers.CreateLogger("failover"));

    private static ILoggerFactory Loggers(bool verbose) =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning));
}
