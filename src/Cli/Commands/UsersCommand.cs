using System.CommandLine;
using System.Globalization;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Recoverability;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep users recovery-plan [--config FILE] [-o text|json|csv] [--show-values] [--output-file F]</c>: the list an
/// operator acts on after a failover — per source user how it gets back in on the target and what to do, as a short
/// hash of its identity key (usernames, emails and phone numbers only with <c>--show-values</c>). Reads only.
/// Exit codes: 0 written, 2 error.
/// </summary>
internal static class UsersCommand
{
    public static Command Build()
    {
        var command = new Command("users", "Per-user views of the replicated pools.");
        command.Subcommands.Add(RecoveryPlan());
        return command;
    }

    private static Command RecoveryPlan()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only.";
        var format = TypedOptions.OneOf("--output", "text (default), json, or csv (one row per user, for a spreadsheet or a mail merge).", RecoveryPlanFormat.Text, "-o");
        var file = new Option<FileInfo?>("--output-file") { Description = "Write the plan to this file instead of standard output." };
        var showValues = new Option<bool>("--show-values") { Description = "Add each user's username, email and phone number (personal data: keep the file private)." };
        var verbose = CommonOptions.Verbose();
        var command = new Command(
            "recovery-plan",
            "Who can sign in after a failover to the target pool, and what to do for everyone else: sign in at once (federated), forgot password, re-enrol TOTP, an administrator's reset, sign up again. Reads the source's users, the target's identity providers and the source's TOTP enrolments; changes nothing.")
        {
            config,
            format,
            file,
            showValues,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(format), parse.GetValue(file), parse.GetValue(showValues), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? configFile, RecoveryPlanFormat format, FileInfo? output, bool showValues, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(configFile), verbose);
        var planner = new RecoveryPlanService(
            services.GetRequiredService<SyncScope>(),
            services.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary),
            services.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Standby));
        var plan = await planner.BuildAsync(showValues, cancellationToken);
        var rendered = RecoveryPlanFormats.Render(plan, format);
        if (output is null)
        {
            Console.Write(rendered);
        }
        else
        {
            await File.WriteAllTextAsync(output.FullName, rendered, cancellationToken);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Recovery plan for {plan.Users.Length} user(s) written to {output.FullName}."));
        }

        return IdrepCommand.Ok;
    }
}
