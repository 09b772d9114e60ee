using System.Collections;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Drift.Compact;

/// <summary>
/// What a compact read found: the counts of the users it settled (in step, or not replicated), and the users it could
/// not settle — to be read again and compared by <see cref="DriftDetector"/>: source users whose fingerprints differ from
/// their counterpart's, that have none, that are parked, or whose counterpart is ambiguous; target users no source user
/// pairs with; mirror snapshots of users the source no longer has.
/// </summary>
internal sealed record CompactFocus(
    int SourceUsers,
    int TargetUsers,
    int Compared,
    int NotReplicated,
    int MirrorBehind,
    int MirrorAbsent,
    IReadOnlyList<string> SourceUsernames,
    IReadOnlyList<string> TargetUsernames,
    IReadOnlyList<string> GoneKeys);

/// <summary>
/// Pairs the compact rows of a <see cref="CompactListing"/> by ordered walks, never holding more than the rows of one key:
/// first the source's users, memberships and mirror items by identity key (memberships folded into fingerprints, the
/// mirror state decided, the name to look the counterpart up by chosen: the applied target username, else the creation
/// name); then the target's users and memberships by username (folded the same way; each user entered under its
/// username and, in alias pools, its aliases); then both by name. A source user is settled only when its counterpart
/// is found exactly as <see cref="DriftDetector.Counterpart"/> would find it and the fingerprints are equal; every
/// other case is left to the re-read, so the report is what the full comparison would say.
/// </summary>
internal static class CompactPairing
{
    public static CompactFocus Pair(CompactListing listing, PoolDescription targetPool, ISet<string> parkedUsernames, SpillFolder folder, long budgetBytes)
    {
        var share = Math.Max(1, budgetBytes / 2);
        using var probes = new SpillSorter<ProbeRow>(CompactCodecs.Probe, CompactCodecs.ProbeOrder, share, folder);
        using var entries = new SpillSorter<EntryRow>(CompactCodecs.Entry, CompactCodecs.EntryOrder, share, folder);
        var reread = new List<string>();
        var gone = new List<string>();
        int sourceUsers = 0, notReplicated = 0, targetUsers = 0;

        // The source's walk and the target's are independent until the probes meet the entries: on two cores they run
        // side by side (the pairing is CPU and sequential I/O only, after the quota-bound listing).
        RunBoth(WalkSource, () => targetUsers = EnterTarget(listing, targetPool, entries));

        void WalkSource()
        {
            var noGroups = CompactCodecs.Digest(ContentHash.OfNames([]));
            var users = new Runs<SourceRow>(listing.SourceUsers.Sorted(), r => r.Key);
            var members = new Runs<MemberRow>(listing.SourceMembers.Sorted(), r => r.Key);
            var mirror = new Runs<MirrorRow>(listing.Mirror.Sorted(), r => r.Key);
            while (Runs.Min(users.Key, members.Key, mirror.Key) is { } key)
            {
                var rows = users.Take(key);
                var groups = Groups(members.Take(key));
                var items = mirror.Take(key);
                var snapshot = items.FirstOrDefault(r => r.Snapshot);
                var applied = items.FirstOrDefault(r => !r.Snapshot)?.AppliedTarget;
                if (rows.Count == 0)
                {
                    if (snapshot is { Deleted: false })
                    {
                        gone.Add(key);
                    }

                    continue;
                }

                var groupsHash = groups.Count == 0 ? noGroups : ContentDigest.NamesHashDigest(groups);
                foreach (var row in rows)
                {
                    sourceUsers++;
                    var fingerprint = row.Profile is { } profile ? UserFingerprint.Fold(profile, groups) : (UInt128?)null;
                    var state = snapshot is null || snapshot.Deleted || snapshot.ProfileHash is null ? MirrorState.Absent
                        : snapshot.ProfileHash == row.ProfileHash && snapshot.GroupsHash == groupsHash ? MirrorState.Current
                        : MirrorState.Behind;
                    var parked = parkedUsernames.Contains(row.Username);
                    if ((applied ?? row.CreationName) is not { } name)
                    {
                        // No name to find a counterpart by: a replicated user is missing, one not replicated is settled.
                        if (fingerprint is null && !parked)
                        {
                            notReplicated++;
                        }
                        else
                        {
                            reread.Add(row.Username);
                        }

                        continue;
                    }

                    probes.Add(new ProbeRow(CompactCodecs.SortName(name), name, applied is not null, row.Username, fingerprint, state, parked));
                }
            }

            listing.SourceUsers.Dispose();
            listing.SourceMembers.Dispose();
            listing.Mirror.Dispose();
        }

        var matched = new BitArray(targetUsers);
        int compared = 0, behind = 0, absent = 0;
        var probeRuns = new Runs<ProbeRow>(probes.Sorted(), p => p.SortName);
        var entryRuns = new Runs<EntryRow>(entries.Sorted(), e => e.SortName);
        while (Runs.Min(probeRuns.Key, entryRuns.Key) is { } key)
        {
            var candidates = entryRuns.Take(key);
            foreach (var probe in probeRuns.Take(key))
            {
                var (found, ambiguous) = Resolve(probe, candidates, targetPool);
                if (found is not null)
                {
                    matched[found.Seq] = true;
                }

                if (probe.Reread || ambiguous || (found is null && probe.Mapped))
                {
                    // Parked, or the counterpart may be one the full rules find another way: compare it in full.
                    reread.Add(probe.Username);
                }
                else if (probe.Fingerprint is null)
                {
                    notReplicated++;
                }
                else if (found is not null && found.Fingerprint == probe.Fingerprint)
                {
                    compared++;
                    behind += probe.Mirror == MirrorState.Behind ? 1 : 0;
                    absent += probe.Mirror == MirrorState.Absent ? 1 : 0;
                }
                else
                {
                    reread.Add(probe.Username);
                }
            }
        }

        var unmatched = entries.Sorted().Where(e => e.Rank == 0 && !matched[e.Seq]).Select(e => e.Name).ToList();
        return new CompactFocus(sourceUsers, targetUsers, compared, notReplicated, behind, absent, reread, unmatched, gone);
    }

    /// <summary>Runs two independent walks at once; an exception of either is thrown as it was (not wrapped).</summary>
    /// <summary>A user's groups from its membership rows, distinct and in ordinal order (most users have none or one).</summary>
    private static List<string> Groups(List<MemberRow> rows)
    {
        var groups = new List<string>(rows.Count);
        foreach (var row in rows)
        {
            groups.Add(row.Group);
        }

        if (groups.Count > 1)
        {
            groups.Sort(StringComparer.Ordinal);
            groups = [.. groups.Distinct(StringComparer.Ordinal)];
        }

        return groups;
    }

    private static void RunBoth(Action first, Action second)
    {
        try
        {
            Parallel.Invoke(first, second);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary><see cref="Enter"/>, then the target's listing rows are let go.</summary>
    private static int EnterTarget(CompactListing listing, PoolDescription targetPool, SpillSorter<EntryRow> entries)
    {
        var entered = Enter(listing, targetPool, entries);
        listing.TargetUsers.Dispose();
        listing.TargetMembers.Dispose();
        return entered;
    }

    /// <summary>Folds the target's memberships into its users' fingerprints and enters each user under the names it is found by.</summary>
    private static int Enter(CompactListing listing, PoolDescription targetPool, SpillSorter<EntryRow> entries)
    {
        var emailRank = Rank("email");
        var phoneRank = Rank("phone_number");
        var seq = 0;
        var users = new Runs<TargetRow>(listing.TargetUsers.Sorted(), r => r.Username);
        var members = new Runs<MemberRow>(listing.TargetMembers.Sorted(), r => r.Key);
        while (Runs.Min(users.Key, members.Key) is { } key)
        {
            var rows = users.Take(key);
            var groups = members.Take(key).Select(m => m.Group);
            foreach (var row in rows)
            {
                var fingerprint = UserFingerprint.Fold(row.Profile, groups);
                entries.Add(new EntryRow(CompactCodecs.SortName(row.Username), row.Username, 0, seq, fingerprint));
                if (row.Email is { } email && emailRank > 0)
                {
                    entries.Add(new EntryRow(CompactCodecs.SortName(email), email, emailRank, seq, fingerprint));
                }

                if (row.Phone is { } phone && phoneRank > 0)
                {
                    entries.Add(new EntryRow(CompactCodecs.SortName(phone), phone, phoneRank, seq, fingerprint));
                }

                seq++;
            }
        }

        return seq;

        byte Rank(string alias) => targetPool.UsernameAttributes.ToList().IndexOf(alias) is var i and >= 0 ? (byte)(i + 1) : (byte)0;
    }

    /// <summary>
    /// The target user <see cref="PoolInventory.FindByUsername"/> (a mapped name) or <see cref="PoolInventory.Find"/>
    /// (a creation name) would return, among the users entered under names equal to the probe's but for case; ambiguous
    /// when several users share the alias it is found by (the full comparison's pick would depend on listing order).
    /// </summary>
    private static (EntryRow? Found, bool Ambiguous) Resolve(ProbeRow probe, List<EntryRow> candidates, PoolDescription targetPool)
    {
        var usernames = targetPool.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        if (candidates.FirstOrDefault(e => e.Rank == 0 && usernames.Equals(e.Name, probe.Name)) is { } byUsername)
        {
            return (byUsername, false);
        }

        if (probe.Mapped)
        {
            return (null, false);
        }

        for (byte rank = 1; rank <= targetPool.UsernameAttributes.Count; rank++)
        {
            var alias = targetPool.UsernameAttributes[rank - 1] == "email" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            var found = candidates.Where(e => e.Rank == rank && alias.Equals(e.Name, probe.Name)).DistinctBy(e => e.Seq).Take(2).ToList();
            if (found.Count > 0)
            {
                return (found[0], found.Count > 1);
            }
        }

        return (null, false);
    }
}

/// <summary>Consecutive rows of a sorted sequence with the same key, taken key by key in an ordered walk over several sequences.</summary>
internal sealed class Runs<T>(IEnumerable<T> sorted, Func<T, string> keyOf)
{
    private readonly IEnumerator<T> _rows = sorted.GetEnumerator();
    private bool _started;
    private bool _more;

    /// <summary>The key of the next run; <c>null</c> at the end.</summary>
    public string? Key
    {
        get
        {
            if (!_started)
            {
                _started = true;
                _more = _rows.MoveNext();
            }

            return _more ? keyOf(_rows.Current) : null;
        }
    }

    /// <summary>The rows with this key (empty when the next run has another key).</summary>
    public List<T> Take(string key)
    {
        var rows = new List<T>();
        while (Key is { } next && string.Equals(next, key, StringComparison.Ordinal))
        {
            rows.Add(_rows.Current);
            _more = _rows.MoveNext();
        }

        return rows;
    }
}

internal static class Runs
{
    /// <summary>The least of the keys (ordinal), <c>null</c> when every walk has ended.</summary>
    public static string? Min(params string?[] keys)
    {
        string? min = null;
        foreach (var key in keys)
        {
            if (key is not null && (min is null || string.CompareOrdinal(key, min) < 0))
            {
                min = key;
            }
        }

        return min;
    }
}
