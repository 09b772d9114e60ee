using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep clients [--config FILE] [--json]</c>: every app client pair of the replication direction — name, both ids,
/// secret state (same, differs, missing, unreadable, none), what apply would do, and what the last apply was refused
/// (kept in the mirror, with Cognito's reason and the fix). Reads only; never shows a secret.
/// Exit codes: 0 every pair in step, 1 something pending or refused by the last apply, 2 error.
/// </summary>
internal static class ClientsCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only.";
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("clients", "List each app client pair of the two pools: name, both ids, whether their secrets are the same (never the secrets), and what replication would change.")
        {
            config,
            json,
            verbose,
        };
        command.Subcommands.Add(RotateSecretCommand.Build());
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), parse.GetValue(json), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, bool json, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var direction = await services.GetRequiredService<SyncScope>().DirectionAsync(cancellationToken);
        var applier = services.GetRequiredService<ConfigurationDrift>().For(direction.Target.PoolId)
            ?? throw new InvalidOperationException($"No configuration applier writes {direction.Target.PoolId}.");
        var pairs = ClientPairs.From(await applier.CompareAsync(cancellationToken), await applier.LastRefusalsAsync(cancellationToken));
        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["source"] = direction.Source.PoolId,
                ["target"] = direction.Target.PoolId,
                ["clients"] = new JsonArray([.. pairs.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name,
                    ["sourceClientId"] = p.SourceClientId,
                    ["targetClientId"] = p.TargetClientId,
                    ["secret"] = JsonNamingPolicy.CamelCase.ConvertName(p.Secret.ToString()),
                    ["pending"] = new JsonArray([.. p.Pending.Select(x => (JsonNode)x)]),
                    ["refused"] = new JsonArray([.. p.Refused.Select(r => (JsonNode)new JsonObject
                    {
                        ["subject"] = r.Subject,
                        ["operation"] = r.Operation,
                        ["code"] = r.Code,
                        ["reason"] = r.Reason,
                        ["fix"] = r.Fix,
                    })]),
                })]),
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{direction.Source.PoolId} → {direction.Target.PoolId}: {pairs.Length} client(s)"));
            foreach (var pair in pairs)
            {
                Console.WriteLine($"{pair.Name}  {pair.SourceClientId ?? "-"} → {pair.TargetClientId ?? "-"}  secret: {pair.Secret.ToString().ToLowerInvariant()}  {(pair.Pending.IsEmpty ? "in step" : string.Join("; ", pair.Pending))}");
                foreach (var refusal in pair.Refused)
                {
                    Console.WriteLine($"  refused by the last apply: {refusal.Operation} {refusal.Subject} ({refusal.Code}: {refusal.Reason}); fix: {refusal.Fix}");
                }
            }
        }

        return pairs.Any(p => !p.Pending.IsEmpty || !p.Refused.IsEmpty) ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
    }
}
