using System.CommandLine;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep drift [--config FILE] [-o|--output text|json|md|html] [--out PATH] [--repair [--dry-run] [--yes]] [--fail-on N] [--show-values]</c>,
/// and <c>idrep drift --publish [--config FILE] [--repair] [--fail-on N]</c> (one scheduled report, stored and counted).
/// Without <c>--config</c>, settings come from <c>IDREP_</c> environment variables only.
/// Exit codes: 0 in sync (at most N differences), 1 more than N differences, 2 error.
/// </summary>
internal static class DriftCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only (e.g. IDREP_Replication__Primary__UserPoolId).";
        var format = TypedOptions.OneOf("--output", "text (default), json, md (for a pull request or ticket) or html (one self-contained page).", DriftFormat.Text, "-o");

        // The former spelling, kept hidden for one release so scripts written for it keep working.
        var legacyFormat = TypedOptions.OneOf("--format", "The same as --output (kept for one release).", DriftFormat.Text, "-f");
        legacyFormat.Hidden = true;
        var output = new Option<FileInfo?>("--out") { Description = "Write the report to this file instead of standard output." };
        var repair = new Option<bool>("--repair") { Description = "Fix every difference through the apply engine (including deleting target users and groups the source does not have), then compare again. Shows the plan and asks first." };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --repair: print the plan (what a repair would change) and change nothing." };
        var yes = new Option<bool>("--yes", "-y") { Description = "With --repair: apply without asking (required without a terminal; the plan is not printed first)." };
        var failOn = TypedOptions.WholeNumber("--fail-on", "Exit with 1 when there are more than this many differences (after repair, with --repair).", 0, 0, int.MaxValue);
        var showValues = new Option<bool>("--show-values") { Description = "Show attribute values and usernames that look like emails or phone numbers (personal data: keep the report private)." };
        var publish = new Option<bool>("--publish")
        {
            Description = "Run one scheduled report, as a scheduled task does: store the JSON and HTML where Drift:OutputDirectory or Drift:OutputBucket say, "
                + "publish the summary event (Drift:PublishEvents), and write the drift metrics as CloudWatch EMF when Worker:CloudWatchNamespace is set. "
                + "Repairs when Drift:Repair or --repair says so.",
        };
        var verbose = CommonOptions.Verbose();
        var command = new Command("drift", "Compare the source and the target pool (the primary and the standby until a failover) user by user (and the mirror table), report every difference, and optionally repair them.")
        {
            config,
            format,
            legacyFormat,
            output,
            repair,
            dryRun,
            yes,
            failOn,
            showValues,
            publish,
            verbose,
        };
        command.Validators.Add(r =>
        {
            var formatGiven = r.GetResult(format) is { Implicit: false } || r.GetResult(legacyFormat) is { Implicit: false };
            if (r.GetValue(publish) && (formatGiven || r.GetResult(output) is not null || r.GetValue(showValues)))
            {
                r.AddError("--publish stores the report (JSON and HTML, without personal data) where Drift:OutputDirectory or Drift:OutputBucket say; --output, --out and --show-values do not go with it.");
            }

            if (r.GetValue(dryRun) && (!r.GetValue(repair) || r.GetValue(publish) || r.GetValue(yes)))
            {
                r.AddError("--dry-run goes with --repair alone (not with --publish or --yes): it prints what a repair would change and changes nothing.");
            }

            if (r.GetResult(format) is { Implicit: false } && r.GetResult(legacyFormat) is { Implicit: false })
            {
                r.AddError("--format is the old spelling of --output; pass one.");
            }
        });
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => parse.GetValue(publish)
                ? PublishAsync(parse.GetValue(config), parse.GetValue(repair), parse.GetValue(failOn), parse.GetValue(verbose), cancellationToken)
                : RunAsync(
                    parse.GetValue(config),
                    parse.GetResult(legacyFormat) is { Implicit: false } ? parse.GetValue(legacyFormat) : parse.GetValue(format),
                    parse.GetValue(output),
                    new DriftRequest(parse.GetValue(showValues), parse.GetValue(repair)),
                    new RepairConsent(parse.GetValue(yes), parse.GetValue(dryRun)),
                    parse.GetValue(failOn),
                    parse.GetValue(verbose),
                    cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, DriftFormat format, FileInfo? output, DriftRequest request, RepairConsent consent, int failOn, bool verbose, CancellationToken cancellationToken)
    {
        var configuration = CliConfiguration.Load(file);
        RefuseNativeRepair(configuration, request.Repair);
        await using var services = ToolHost.Build(configuration, verbose, NativeDriftInspector.RegistrationFor(configuration));
        var reporter = services.GetRequiredService<DriftReporter>();
        if (request.Repair && !consent.Yes)
        {
            // Plan first: refused before reading anything when nobody can be asked; then the plan, then the question.
            ChangeConfirmation.RequireConsent("drift --repair", consent.Yes, consent.DryRun);
            var plan = await ReportAsync(reporter, request with { Repair = false }, cancellationToken);
            var planOut = consent.DryRun && format == DriftFormat.Text && output is null ? Console.Out : Console.Error;
            foreach (var line in ChangeConfirmation.RepairPlan(plan))
            {
                await planOut.WriteLineAsync(line);
            }

            if (consent.DryRun || !ChangeConfirmation.HasChanges(plan))
            {
                await planOut.WriteLineAsync(consent.DryRun ? "Dry run: nothing was changed. Run again without --dry-run to repair." : "Nothing to repair.");
                if (format != DriftFormat.Text || output is not null)
                {
                    await WriteAsync(plan, format, output, cancellationToken);
                }

                return DriftReportService.RemainingDifferences(plan) > failOn ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
            }

            if (!ChangeConfirmation.Confirm("Repair the target pool as planned?", consent.Yes))
            {
                await Console.Error.WriteLineAsync("Nothing was changed.");
                return IdrepCommand.Aborted;
            }
        }

        var report = await ReportAsync(reporter, request, cancellationToken);
        await WriteAsync(report, format, output, cancellationToken);
        return DriftReportService.RemainingDifferences(report) > failOn ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
    }

    /// <summary>A report, with its progress on standard error while it runs when that is a terminal.</summary>
    private static Task<DriftReport> ReportAsync(DriftReporter reporter, DriftRequest request, CancellationToken cancellationToken)
    {
        if (!ListingProgressDisplay.Shown)
        {
            return reporter.RunAsync(request, cancellationToken);
        }

        var progress = new ListingProgress();
        return ListingProgressDisplay.RunAsync("drift", progress, reporter.RunAsync(request with { Progress = progress }, cancellationToken), TimeProvider.System);
    }

    private static async Task WriteAsync(DriftReport report, DriftFormat format, FileInfo? output, CancellationToken cancellationToken)
    {
        var rendered = DriftFormats.Render(report, format);
        if (output is null)
        {
            Console.Write(rendered);
        }
        else
        {
            await File.WriteAllTextAsync(output.FullName, rendered, cancellationToken);
            await Console.Error.WriteLineAsync($"{DriftFormats.Headline(report)} Report written to {output.FullName}.");
        }
    }

    /// <summary>What the operator said about a repair: <c>--yes</c> (apply without asking), <c>--dry-run</c> (plan only).</summary>
    private sealed record RepairConsent(bool Yes, bool DryRun);

    /// <summary>
    /// One scheduled report (<see cref="DriftReportService.PublishAsync"/>). Standard output carries only the EMF metrics
    /// line (flushed once on exit, whatever the outcome); the summary goes to standard error.
    /// </summary>
    /// <summary>In native mode the replica takes no user writes (Cognito copies the primary into it): a repair could only fail there.</summary>
    private static void RefuseNativeRepair(IConfiguration configuration, bool repair)
    {
        if (repair && configuration.GetSection(ReplicationOptions.Section).Get<ReplicationOptions>()?.IsNative == true)
        {
            throw new CliUsageException(
                "drift --repair (or Drift:Repair) cannot run in native mode (Replication:Mode is 'native'): Cognito's native replica refuses user writes and copies the primary itself. "
                + "Run 'idrep drift' without --repair to see what differs; a difference that stays is Cognito's to fix (or fix the user in the primary, which Cognito then copies).");
        }
    }

    private static async Task<int> PublishAsync(FileInfo? file, bool repair, int failOn, bool verbose, CancellationToken cancellationToken)
    {
        var configuration = CliConfiguration.Load(file);
        if (repair)
        {
            configuration = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection([new($"{DriftOptions.Section}:{nameof(DriftOptions.Repair)}", "true")])
                .Build();
        }

        var drift = configuration.GetSection(DriftOptions.Section).Get<DriftOptions>() ?? new DriftOptions();
        RefuseNativeRepair(configuration, drift.Repair);
        if (string.IsNullOrWhiteSpace(drift.OutputDirectory) && string.IsNullOrWhiteSpace(drift.OutputBucket))
        {
            throw new CliUsageException(
                "drift --publish stores the report, but neither Drift:OutputDirectory (a folder) nor Drift:OutputBucket (an S3 bucket) is set. "
                + "Set one (as environment variables: IDREP_Drift__OutputBucket=<bucket> or IDREP_Drift__OutputDirectory=<folder>), "
                + "or run 'idrep drift' without --publish to print the report instead.");
        }

        var worker = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var problems = worker.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException([.. problems.Select(ConfigurationProblem.Rule)]);
        }

        using var metrics = EmfMetricsExporter.CreateIfEnabled(worker.CloudWatchNamespace, CloudWatchMetricNames.WorkerService, Console.Out, TimeProvider.System);
        try
        {
            await using var services = ToolHost.Build(configuration, verbose, NativeDriftInspector.RegistrationFor(configuration));
            var published = await services.GetRequiredService<DriftReportService>().PublishAsync(cancellationToken);
            await Console.Error.WriteLineAsync($"{DriftFormats.Headline(published.Report)} Report stored at {string.Join(", ", published.Locations)}.");
            return published.RemainingDifferences > failOn ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
        }
        finally
        {
            // A scheduled task lives shorter than a metrics interval: whatever it recorded goes out now.
            metrics?.Flush();
        }
    }
}
