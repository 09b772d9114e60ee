using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Replicator.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep replica-settings [--config FILE] [--apply [--yes]] [-o text|json]</c>: in native mode, compares the native
/// replica's Regional settings (Lambda triggers, email, SMS, log delivery) with the primary's mapped to the replica's
/// Region, and with <c>--apply</c> writes them at the replica's endpoint (<see cref="NativeSettingsSync"/>). A dry run by
/// default. Exit codes: 0 in step (or brought in step), 1 differences left, 2 usage/config error, 3 aborted.
/// </summary>
internal static class ReplicaSettingsCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only.";
        var apply = new Option<bool>("--apply") { Description = "Write the replica's Regional settings (UpdateUserPool and SetLogDeliveryConfiguration at its endpoint). Without it, only shows what differs." };
        var yes = new Option<bool>("--yes", "-y") { Description = "With --apply: write without asking (required without a terminal)." };
        var output = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("replica-settings", "Native mode: compare the native replica's Regional settings (triggers, email, SMS, log delivery; WAF reported) with the primary's mapped to its Region, and with --apply write them.")
        {
            config, apply, yes, output, verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(apply), parse.GetValue(yes), parse.GetValue(output), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, bool apply, bool yes, bool json, bool verbose, CancellationToken cancellationToken)
    {
        var configuration = CliConfiguration.Load(file);
        if (configuration.GetSection(ReplicationOptions.Section).Get<ReplicationOptions>()?.IsNative != true)
        {
            throw new CliUsageException("replica-settings works in native mode only (Replication:Mode: native, with Replication:Standby naming the replica's Region); set it in the config file, or use 'idrep drift' for a standby pool of your own.");
        }

        await using var services = ToolHost.Build(configuration, verbose, s => s.AddNativeSettings(configuration));
        var sync = services.GetRequiredService<NativeSettingsSync>();
        var plan = await sync.PlanAsync(cancellationToken);
        if (!apply || plan.InSync)
        {
            Write(plan, null, json);
            if (!plan.InSync && !json)
            {
                Console.WriteLine("Dry run: nothing was changed. Run again with --apply to write these settings at the replica's endpoint.");
            }

            return plan.InSync ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        }

        ChangeConfirmation.RequireConsent("replica-settings --apply", yes, dryRun: false);
        if (!yes)
        {
            Write(plan, null, json: false);
            if (!ChangeConfirmation.Confirm("Write these Regional settings at the replica's endpoint?", yes))
            {
                await Console.Error.WriteLineAsync("Nothing was changed.");
                return IdrepCommand.Aborted;
            }
        }

        var outcome = await sync.ApplyAsync(cancellationToken);
        Write(outcome.Before, outcome.After, json);
        return outcome.After.InSync ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
    }

    private static void Write(ReplicaRegionalPlan plan, ReplicaRegionalPlan? after, bool json)
    {
        if (json)
        {
            var document = new JsonObject
            {
                ["inSync"] = (after ?? plan).InSync,
                ["findings"] = Findings(plan),
            };
            if (after is not null)
            {
                document["written"] = new JsonArray([.. plan.Differences.Select(d => (JsonNode?)d.Path)]);
                document["after"] = Findings(after);
            }

            Console.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        Console.WriteLine(plan.InSync ? "The replica's Regional settings are in step with the primary's." : $"The replica's Regional settings differ from the primary's in {plan.Differences.Length} place(s):");
        foreach (var finding in plan.Findings)
        {
            Console.WriteLine($"  {finding.Kind.ToString().ToLowerInvariant()} {finding.Path}: {finding.Detail}");
        }

        if (after is not null)
        {
            Console.WriteLine(after.InSync ? $"Wrote {plan.Differences.Length} setting(s); the replica is now in step." : $"Wrote; {after.Differences.Length} difference(s) left: {string.Join(", ", after.Differences.Select(d => d.Path))}.");
        }
    }

    private static JsonArray Findings(ReplicaRegionalPlan plan) => new([.. plan.Findings.Select(f => (JsonNode?)new JsonObject
    {
        ["kind"] = f.Kind.ToString(), ["path"] = f.Path, ["detail"] = f.Detail, ["drift"] = f.IsDrift,
    })]);
}
