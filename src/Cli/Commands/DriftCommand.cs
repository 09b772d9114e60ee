using System.CommandLine;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep drift --config FILE [--format text|json|md|html] [--out PATH] [--repair] [--fail-on N] [--show-values]</c>.
/// Exit codes: 0 in sync (at most N differences), 1 more than N differences, 2 error.
/// </summary>
public static class DriftCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        var format = new Option<DriftFormat>("--format", "-f") { Description = "text (default), json, md (for a pull request or ticket) or html (one self-contained page).", DefaultValueFactory = _ => DriftFormat.Text };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the report to this file instead of standard output." };
        var repair = new Option<bool>("--repair") { Description = "Fix every difference through the apply engine (including deleting standby users and groups the primary does not have), then compare again." };
        var failOn = new Option<int>("--fail-on") { Description = "Exit with 1 when there are more than this many differences (after repair, with --repair).", DefaultValueFactory = _ => 0 };
        failOn.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--fail-on must be 0 or more.");
            }
        });
        var showValues = new Option<bool>("--show-values") { Description = "Show attribute values and usernames that look like emails or phone numbers (personal data: keep the report private)." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("drift", "Compare the primary and the standby pools user by user (and the mirror table), report every difference, and optionally repair them.")
        {
            config,
            format,
            output,
            repair,
            failOn,
            showValues,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(
                parse.GetRequiredValue(config),
                parse.GetValue(format),
                parse.GetValue(output),
                new DriftRequest(parse.GetValue(showValues), parse.GetValue(repair)),
                parse.GetValue(failOn),
                parse.GetValue(verbose),
                cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, DriftFormat format, FileInfo? output, DriftRequest request, int failOn, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var report = await services.GetRequiredService<DriftReporter>().RunAsync(request, cancellationToken);
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

        var remaining = report.Repair?.RemainingDifferences ?? report.Summary.Differences;
        return remaining > failOn ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
    }
}
