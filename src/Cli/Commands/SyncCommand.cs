using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep sync [--config FILE] [--dry-run] [--prune]</c>: fill or converge the standby from the primary. Without
/// <c>--config</c>, settings come from <c>IDREP_</c> environment variables only.
/// </summary>
internal static class SyncCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only (e.g. IDREP_Replication__Primary__UserPoolId).";
        var dryRun = new Option<bool>("--dry-run") { Description = "Read both pools and list what a sync would change and delete, without changing anything." };
        var prune = new Option<bool>("--prune") { Description = "Also delete target users and groups the source does not have (listed, not deleted, without it)." };
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("sync", "Copy the whole source pool into the target (the primary into the standby until a failover): users, attributes, enabled state, status, groups and memberships, at the pace Cognito's quotas allow. Safe to re-run; resumes after an interruption.")
        {
            config,
            dryRun,
            prune,
            json,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), new SyncRequest(parse.GetValue(dryRun), parse.GetValue(prune)), parse.GetValue(json), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, SyncRequest request, bool json, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var sync = services.GetRequiredService<FullSync>();
        var governors = new[] { PoolRoles.Primary, PoolRoles.Standby }.Select(r => services.GetRequiredKeyedService<QuotaGovernor>(r)).ToArray();
        var progress = new SyncProgress();
        var result = await ProgressDisplay.RunAsync(
            progress,
            () => governors.Sum(g => g.Counters.Values.Sum(c => c.Throttles)),
            sync.RunAsync(request, progress, cancellationToken),
            TimeProvider.System);

        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["dryRun"] = request.DryRun,
                ["primaryUsers"] = result.SourceUsers,
                ["primaryGroups"] = result.SourceGroups,
                ["applied"] = result.Applied,
                ["inSync"] = result.InSync,
                ["notReplicated"] = result.NotReplicated,
                ["parked"] = result.Parked,
                ["deferred"] = result.Deferred,
                ["failed"] = result.Failed,
                ["deleted"] = result.Deleted,
                ["pendingDeletes"] = result.PendingDeletes.Count,
                ["differences"] = result.Plan?.Summary.Differences,
                ["elapsedS"] = Math.Round(result.Elapsed.TotalSeconds, 2),
            }.ToJsonString());
        }
        else if (result.Plan is { } plan)
        {
            var s = plan.Summary;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Dry run: {result.SourceUsers} source users ({s.UsersNotReplicated} not replicated), {result.SourceGroups} groups."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Would create {s.UsersMissing} users and {s.GroupsMissing} groups; update {s.AttributeDifferences} users' attributes, {s.EnabledDifferences} enabled flags, {s.StatusDifferences} statuses, {s.MembershipDifferences} users' memberships and {s.GroupDifferences} groups."));
            PrintDeletes(result, request.Prune, dryRun: true);
            Console.WriteLine("Details: 'idrep drift --config FILE'.");
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Synced {result.SourceUsers} users and {result.SourceGroups} groups in {result.Elapsed.TotalSeconds:0.0} s: {result.Applied} changed, {result.InSync} already in step, {result.NotReplicated} not replicated, {result.Parked} parked, {result.Failed} failed, {result.Deleted} deleted."));
            PrintDeletes(result, request.Prune, dryRun: false);
            if (result.Parked > 0)
            {
                Console.WriteLine("Parked users are listed with their reason by 'idrep drift --config FILE'.");
            }

            if (result.Deferred > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Deferred} users or groups were being applied by a worker at that moment (it held their apply lease) and were left to it; 'idrep drift --config FILE' shows whether they arrived."));
            }
        }

        return result.Failed > 0 ? IdrepCommand.CheckFailed : IdrepCommand.Ok;
    }

    private static void PrintDeletes(SyncResult result, bool prune, bool dryRun)
    {
        if (result.PendingDeletes.Count == 0)
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(dryRun && prune ? "Would delete" : "Not in the primary (run with --prune to delete)")}: {result.PendingDeletes.Count}"));
        foreach (var subject in result.PendingDeletes)
        {
            Console.WriteLine("  " + subject);
        }
    }
}
