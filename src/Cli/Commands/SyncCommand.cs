using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep sync [--config FILE] [--dry-run] [--yes] [--prune]</c>: fill or converge the standby from the primary. Without
/// <c>--config</c>, settings come from <c>IDREP_</c> environment variables only. Plans first: on a terminal it prints what
/// it would change and asks; without one it needs <c>--yes</c> (<see cref="ChangeConfirmation"/>).
/// </summary>
internal static class SyncCommand
{
    public static Command Build()
    {
        var config = CommonOptions.Config();
        config.Required = false;
        config.Description += " Without it, settings come from IDREP_ environment variables only (e.g. IDREP_Replication__Primary__UserPoolId).";
        var dryRun = new Option<bool>("--dry-run") { Description = "Read both pools and list what a sync would change and delete, without changing anything." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking (required without a terminal; the plan is not printed first)." };
        var prune = new Option<bool>("--prune") { Description = "Also delete target users and groups the source does not have (listed, not deleted, without it)." };
        var json = CommonOptions.Output();
        var verbose = CommonOptions.Verbose();
        var command = new Command("sync", "Copy the whole source pool into the target (the primary into the standby until a failover): users, attributes, enabled state, status, groups and memberships, at the pace Cognito's quotas allow. Safe to re-run; resumes after an interruption.")
        {
            config,
            dryRun,
            yes,
            prune,
            json,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => ToolHost.RunAsync(
            () => RunAsync(parse.GetValue(config), new SyncRequest(parse.GetValue(dryRun), parse.GetValue(prune)), parse.GetValue(yes), parse.GetValue(json), parse.GetValue(verbose), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo? file, SyncRequest request, bool yes, bool json, bool verbose, CancellationToken cancellationToken)
    {
        await using var services = ToolHost.Build(CliConfiguration.Load(file), verbose);
        var sync = services.GetRequiredService<FullSync>();
        var governors = new[] { PoolRoles.Primary, PoolRoles.Standby }.Select(r => services.GetRequiredKeyedService<QuotaGovernor>(r)).ToArray();
        Task<SyncResult> RunSyncAsync(SyncRequest run)
        {
            var progress = new SyncProgress();
            return ProgressDisplay.RunAsync(
                progress,
                () => governors.Sum(g => g.Counters.Values.Sum(c => c.Throttles)),
                sync.RunAsync(run, progress, cancellationToken),
                TimeProvider.System);
        }

        if (!request.DryRun && !yes)
        {
            // Plan first: refused before reading anything when nobody can be asked; then the plan, then the question.
            ChangeConfirmation.RequireConsent("sync", yes, dryRun: false);
            var planned = await RunSyncAsync(request with { DryRun = true });
            PrintPlan(planned, request.Prune);
            if (!HasChanges(planned, request.Prune))
            {
                Console.WriteLine("Nothing to change.");
                return IdrepCommand.Ok;
            }

            if (!ChangeConfirmation.Confirm("Apply this sync to the target pool?", yes))
            {
                await Console.Error.WriteLineAsync("Nothing was changed.");
                return IdrepCommand.Aborted;
            }
        }

        var result = await RunSyncAsync(request);

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
        else if (result.Plan is not null)
        {
            PrintPlan(result, request.Prune);
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

    /// <summary>What a sync would change: counts by kind, and the deletes by name.</summary>
    private static void PrintPlan(SyncResult result, bool prune)
    {
        var s = result.Plan?.Summary ?? new DriftSummary();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Dry run: {result.SourceUsers} source users ({s.UsersNotReplicated} not replicated), {result.SourceGroups} groups."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Would create {s.UsersMissing} users and {s.GroupsMissing} groups; update {s.AttributeDifferences} users' attributes, {s.EnabledDifferences} enabled flags, {s.StatusDifferences} statuses, {s.MembershipDifferences} users' memberships and {s.GroupDifferences} groups."));
        PrintDeletes(result, prune, dryRun: true);
        Console.WriteLine("Details: 'idrep drift --config FILE'.");
    }

    private static bool HasChanges(SyncResult plan, bool prune) =>
        plan.Plan is not { } report
        || report.Summary.Differences - report.Summary.UsersExtra - report.Summary.GroupsExtra > 0
        || report.Summary.ConfigDifferences > 0
        || (prune && plan.PendingDeletes.Count > 0);

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
