using System.CommandLine;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep triggers install</c>: makes the Replicator function a pool's Lambda triggers, changing nothing else about
/// the pool. A dry run unless <c>--apply</c>.
/// </summary>
internal static class TriggersCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        var pool = new Option<string>("--pool") { Description = "Which pool of the config file: primary or standby.", DefaultValueFactory = _ => PoolRoles.Primary };
        pool.AcceptOnlyFromAmong(PoolRoles.Primary, PoolRoles.Standby);
        var function = new Option<string>("--function-arn") { Description = "The Replicator function's ARN in the pool's Region (a CDK stack output).", Required = true };
        var triggers = new Option<string[]>("--trigger")
        {
            Description = $"The triggers to install (repeatable): {string.Join(", ", UserPoolTriggers.Slots)}. Default: {string.Join(", ", UserPoolTriggers.PrimaryDefaults)} for the primary; and PreTokenGeneration (the primary_sub claim) for the standby.",
            AllowMultipleArgumentsPerToken = true,
        };
        var replace = new Option<bool>("--replace") { Description = "Take trigger slots another function holds (that function stops being called)." };
        var apply = new Option<bool>("--apply") { Description = "Change the pool. Without it this is a dry run that shows the exact LambdaConfig change." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the change only (the default)." };
        var json = CommonOptions.Output();
        var install = new Command("install", "Install the Replicator as a pool's Lambda triggers (read-modify-write: every other pool setting is kept as it is).")
        {
            config, pool, function, triggers, replace, apply, dryRun, json,
        };
        install.Validators.Add(r =>
        {
            if (r.GetValue(apply) && r.GetValue(dryRun))
            {
                r.AddError("--apply and --dry-run contradict each other; pass one.");
            }

            foreach (var slot in (r.GetValue(triggers) ?? []).Where(t => !UserPoolTriggers.Slots.Contains(t)))
            {
                r.AddError($"'{slot}' is not a trigger the Replicator handles; use one of {string.Join(", ", UserPoolTriggers.Slots)}.");
            }
        });
        install.SetAction((parse, cancellationToken) => InstallAsync(
            parse.GetRequiredValue(config),
            parse.GetValue(pool)!,
            parse.GetRequiredValue(function),
            parse.GetValue(triggers),
            parse.GetValue(replace),
            parse.GetValue(apply),
            parse.GetValue(json),
            cancellationToken));
        return new Command("triggers", "The Cognito triggers that feed replication.") { install };
    }

    private static async Task<int> InstallAsync(FileInfo file, string role, string functionArn, string[]? triggers, bool replace, bool apply, bool json, CancellationToken cancellationToken)
    {
        // A slot taken by another function ends --apply with TriggerConflictException: exit 1 (CliErrors).
        await using var services = CliServices.Build(CliConfiguration.Load(file));
        var replication = services.GetRequiredService<IOptions<ReplicationOptions>>().Value;
        var poolId = role == PoolRoles.Primary ? replication.Primary.UserPoolId : replication.Standby.UserPoolId;
        var installer = new UserPoolTriggers(services.GetRequiredKeyedService<CognitoIdentityProviderClient>(role));
        var chosen = triggers is { Length: > 0 } ? triggers : role == PoolRoles.Primary ? UserPoolTriggers.PrimaryDefaults : UserPoolTriggers.StandbyDefaults;
        var desired = chosen.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => functionArn, StringComparer.Ordinal);
        var plan = apply
            ? await installer.InstallAsync(poolId, desired, replace, cancellationToken)
            : await installer.PlanAsync(poolId, desired, replace, cancellationToken);
        Report(plan, apply, json);
        return plan.Conflicts.Count > 0 ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
    }

    private static void Report(TriggerPlan plan, bool applied, bool json)
    {
        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["userPoolId"] = plan.UserPoolId,
                ["applied"] = applied && plan.HasChanges && plan.Conflicts.Count == 0,
                ["changes"] = new JsonArray([.. plan.Triggers.Where(t => t.Changes).Select(t => (JsonNode)new JsonObject { ["trigger"] = t.Trigger, ["from"] = t.Current, ["to"] = t.Desired })]),
                ["conflicts"] = new JsonArray([.. plan.Conflicts.Select(t => (JsonNode)new JsonObject { ["trigger"] = t.Trigger, ["heldBy"] = t.Current })]),
            }.ToJsonString());
            return;
        }

        var table = new Table().AddColumn(new TableColumn("LambdaConfig").NoWrap()).AddColumns("now", applied ? "set to" : "would be set to");
        foreach (var trigger in plan.Triggers)
        {
            table.AddRow(trigger.Trigger, Markup.Escape(trigger.Current ?? "(none)"), trigger.Changes ? $"[green]{Markup.Escape(trigger.Desired ?? "(none)")}[/]" : "(unchanged)");
        }

        AnsiConsole.Write(table);
        foreach (var conflict in plan.Conflicts)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{conflict.Trigger}[/] is held by another function ({conflict.Current}); left as it is (pass --replace to take it).");
        }

        AnsiConsole.WriteLine(!plan.HasChanges
            ? "Nothing to change."
            : applied ? "Done: only these LambdaConfig entries changed; every other pool setting was written back as it was." : "Dry run: nothing was changed. Run again with --apply to make this change.");
    }
}
