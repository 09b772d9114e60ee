using System.Globalization;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// Plan, then apply, as terraform does: a command that changes the target pool (<c>drift --repair</c>, <c>sync</c>)
/// prints the exact changes first — counts and the first items — and asks on a terminal; without a terminal it needs
/// <c>--yes</c>, and <c>--dry-run</c> prints the plan and changes nothing.
/// </summary>
internal static class ChangeConfirmation
{
    /// <summary>How many planned items are listed by name (the counts cover all of them).</summary>
    public const int FirstItems = 10;

    /// <summary>Whether a person can answer: standard input and output are both a terminal.</summary>
    public static bool Interactive => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>
    /// Refuses, before anything is read or changed, a run that would change the target but can neither ask nor was
    /// told <c>--yes</c> (a usage error, exit 2).
    /// </summary>
    public static void RequireConsent(string command, bool yes, bool dryRun)
    {
        if (!yes && !dryRun && !Interactive)
        {
            throw new CliUsageException(
                $"{command} changes the target pool and asks first, but there is no terminal to ask on; nothing was changed. "
                + $"Pass --yes to apply without asking, or --dry-run to print the plan only.");
        }
    }

    /// <summary>Asks "Apply? (yes/no)" unless <paramref name="yes"/>; true to go on.</summary>
    public static bool Confirm(string question, bool yes)
    {
        if (yes)
        {
            return true;
        }

        Console.Write($"{question} Only 'yes' is accepted: ");
        var answer = Console.ReadLine();
        return string.Equals(answer?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The plan of a repair: what <c>drift --repair</c> would change, by kind, then the first items.</summary>
    public static IEnumerable<string> RepairPlan(DriftReport report)
    {
        var target = $"{report.Target.Region}/{report.Target.UserPoolId}";
        var counts = DriftFormats.CountsByKind(report).Where(c => c.Count > 0).Select(c => Count(c.Count, $"{Verb(c.Kind).One} ({DriftFormats.Name(c.Kind)})", $"{Verb(c.Kind).Many} ({DriftFormats.Name(c.Kind)})")).ToList();
        if (report.Summary.Parked > 0)
        {
            counts.Add(Count(report.Summary.Parked, "parked entity retried", "parked entities retried"));
        }

        if (report.Summary.ConfigDifferences > 0)
        {
            counts.Add(Count(report.Summary.ConfigDifferences, "configuration difference applied first", "configuration differences applied first"));
        }

        yield return $"Plan: --repair changes the target pool {target}: {(counts.Count == 0 ? "nothing to change" : string.Join(", ", counts))}.";
        foreach (var item in report.Differences.Take(FirstItems))
        {
            yield return $"  {DriftFormats.Name(item.Kind),-16} {item.Subject}: {item.Detail}";
        }

        if (report.Differences.Length > FirstItems)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  … and {report.Differences.Length - FirstItems} more (the full list: idrep drift without --repair).");
        }
    }

    /// <summary>Whether a repair of <paramref name="report"/> would change anything.</summary>
    public static bool HasChanges(DriftReport report) => !report.Summary.InSync || report.Summary.Parked > 0;

    /// <summary>"1 user created", "3 users created".</summary>
    public static string Count(int count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");

    private static (string One, string Many) Verb(DriftKind kind) => kind switch
    {
        DriftKind.UserMissing => ("user created", "users created"),
        DriftKind.UserExtra => ("user deleted", "users deleted"),
        DriftKind.Attributes => ("user's attributes updated", "users' attributes updated"),
        DriftKind.Enabled => ("user enabled or disabled", "users enabled or disabled"),
        DriftKind.Status => ("user's status set", "users' statuses set"),
        DriftKind.Memberships => ("user's memberships updated", "users' memberships updated"),
        DriftKind.GroupMissing => ("group created", "groups created"),
        DriftKind.GroupExtra => ("group deleted", "groups deleted"),
        DriftKind.GroupProperties => ("group updated", "groups updated"),
        _ => ("difference fixed", "differences fixed"),
    };
}
