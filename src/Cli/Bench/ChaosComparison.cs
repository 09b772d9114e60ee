using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Cli.Bench;

/// <summary>A user the standby does not hold as it should, and what happened to it in the primary.</summary>
internal sealed record ChaosFinding(string Username, ChaosVerdict Verdict, string Detail, string Story);

/// <summary>Users lost and wrong in the standby; users whose primary state differs from the ledger (a fault of the benchmark, not of replication).</summary>
internal sealed record ChaosTally(IReadOnlyList<ChaosFinding> Findings, IReadOnlyList<string> PrimaryNotAsIntended)
{
    public int Lost => Findings.Count(f => f.Verdict == ChaosVerdict.Lost);

    public int Wrong => Findings.Count(f => f.Verdict == ChaosVerdict.Wrong);
}

/// <summary>
/// Compares the standby user by user with the ledger (what the benchmark intended) and, when given, with the primary.
/// A user is counted once: lost when missing or holding an earlier intended state, wrong when it holds a state never
/// intended or differs from the primary although it matches the ledger.
/// </summary>
internal static class ChaosComparison
{
    public static ChaosTally Tally(ChaosLedger ledger, PoolState standby, PoolState? primary, Func<string, bool> isReplicatedAttribute)
    {
        var standbyUsers = ByUsername(standby);
        var primaryUsers = primary is null ? new Dictionary<string, DirectoryUser>(StringComparer.Ordinal) : ByUsername(primary);
        var findings = new List<ChaosFinding>();
        var primaryNotAsIntended = new List<string>();
        foreach (var username in ledger.Usernames.Union(standbyUsers.Keys).Union(primaryUsers.Keys).Order(StringComparer.Ordinal))
        {
            var counterpart = standbyUsers.GetValueOrDefault(username);
            var groups = counterpart is null ? [] : standby.GroupsOf(counterpart);
            var verdict = ledger.Judge(username, counterpart, groups, isReplicatedAttribute);
            var intended = ledger.Current(username);
            var detail = Describe(intended is null ? null : UserComparison.Compare(intended.AsUser(), intended.Groups, counterpart, groups, isReplicatedAttribute), counterpart);
            if (primary is not null)
            {
                var source = primaryUsers.GetValueOrDefault(username);
                var sourceGroups = source is null ? [] : primary.GroupsOf(source);
                if (ledger.Judge(username, source, sourceGroups, isReplicatedAttribute) != ChaosVerdict.InStep)
                {
                    primaryNotAsIntended.Add(username);
                }

                var fromPrimary = source is null ? null : UserComparison.Compare(source, sourceGroups, counterpart, groups, isReplicatedAttribute);
                if (verdict == ChaosVerdict.InStep && (source is null ? counterpart is not null : fromPrimary!.Count > 0))
                {
                    verdict = ChaosVerdict.Wrong;
                    detail = "as intended, but not as the primary has it: " + Describe(fromPrimary, counterpart);
                }
            }

            if (verdict != ChaosVerdict.InStep)
            {
                findings.Add(new ChaosFinding(username, verdict, detail, ledger.Story(username)));
            }
        }

        return new ChaosTally(findings, primaryNotAsIntended);
    }

    private static Dictionary<string, DirectoryUser> ByUsername(PoolState pool) =>
        pool.UsersByEmail.Values.ToDictionary(u => u.Username, StringComparer.Ordinal);

    private static string Describe(IReadOnlyList<string>? differences, DirectoryUser? standby) => (differences, standby) switch
    {
        (null, null) => "absent, as intended",
        (null, _) => "present, but should be absent",
        _ => string.Join(", ", differences),
    };
}
