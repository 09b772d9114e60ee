using System.Collections.Concurrent;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Cli.Demo;

/// <summary>The kinds of change the demo makes in the primary.</summary>
internal static class ChangeKinds
{
    public const string Create = "create";
    public const string AttributeEdit = "attributeEdit";
    public const string AttributeDelete = "attributeDelete";
    public const string Disable = "disable";
    public const string Enable = "enable";
    public const string Delete = "delete";
    public const string GroupCreate = "groupCreate";
    public const string GroupUpdate = "groupUpdate";
    public const string GroupDelete = "groupDelete";
    public const string MembershipAdd = "membershipAdd";
    public const string MembershipRemove = "membershipRemove";
}

/// <summary>One change made in the primary, waiting to be seen correct in the standby.</summary>
internal sealed record TrackedChange(string Kind, string Entity, bool IsGroup, long ReturnedAt);

/// <summary>Lag statistics of one kind of change.</summary>
internal sealed record KindStatistics(int Count, int Converged, double LagP50Ms, double LagP99Ms, double LagMaxMs);

/// <summary>
/// Changes made in the primary and when each was first seen correct in the standby: lag runs from the primary call
/// returning to the changed user (or group) being, field by field, as the primary has it.
/// </summary>
internal sealed class ChangeTracker(TimeProvider time, Func<string, bool> isReplicatedAttribute)
{
    private readonly ConcurrentQueue<TrackedChange> _pending = new();
    private readonly ConcurrentDictionary<TrackedChange, double> _lags = new();

    public int Pending => _pending.Count(c => !_lags.ContainsKey(c));

    public void Add(string kind, string entity, bool isGroup = false) =>
        _pending.Enqueue(new TrackedChange(kind, entity, isGroup, time.GetTimestamp()));

    /// <summary>
    /// Marks every pending change whose entity is now correct in the standby. <paramref name="observedAt"/> is when the
    /// look began (before the pools were read): a change returned after it may not be in what was read.
    /// </summary>
    public void Observe(PoolState primary, PoolState standby, long observedAt)
    {
        foreach (var change in _pending)
        {
            if (change.ReturnedAt <= observedAt && !_lags.ContainsKey(change) && IsCorrect(change, primary, standby))
            {
                _lags[change] = Math.Max(0, time.GetElapsedTime(change.ReturnedAt, observedAt).TotalMilliseconds);
            }
        }
    }

    public IReadOnlyDictionary<string, KindStatistics> ByKind() => _pending
        .GroupBy(c => c.Kind)
        .ToDictionary(
            g => g.Key,
            g =>
            {
                var lags = g.Where(_lags.ContainsKey).Select(c => _lags[c]).Order().ToArray();
                return new KindStatistics(g.Count(), lags.Length, Percentile(lags, 0.5), Percentile(lags, 0.99), lags.Length == 0 ? 0 : lags[^1]);
            },
            StringComparer.Ordinal);

    /// <summary>Lags of every converged change of one kind, in order.</summary>
    public double[] LagsOf(string kind) =>
        [.. _lags.Where(l => l.Key.Kind == kind).Select(l => l.Value).Order()];

    /// <summary>Lags of every converged change except those of one kind, in order.</summary>
    public double[] LagsExcept(string kind) =>
        [.. _lags.Where(l => l.Key.Kind != kind).Select(l => l.Value).Order()];

    public bool IsCorrect(TrackedChange change, PoolState primary, PoolState standby)
    {
        if (change.IsGroup)
        {
            primary.Groups.TryGetValue(change.Entity, out var p);
            standby.Groups.TryGetValue(change.Entity, out var s);
            return p == s;
        }

        if (!primary.UsersByEmail.TryGetValue(change.Entity, out var user))
        {
            return !standby.UsersByEmail.ContainsKey(change.Entity);
        }

        standby.UsersByEmail.TryGetValue(change.Entity, out var counterpart);
        return UserComparison.Compare(
            user,
            primary.GroupsOf(user),
            counterpart,
            counterpart is null ? [] : standby.GroupsOf(counterpart),
            isReplicatedAttribute).Count == 0;
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : Percentiles.NearestRank(sorted, p);
}

/// <summary>Differences between both pools, field names only: every user and every group.</summary>
internal static class PoolComparison
{
    public static List<string> Differences(PoolState primary, PoolState standby, Func<string, bool> isReplicatedAttribute)
    {
        var differences = new List<string>();
        foreach (var (email, user) in primary.UsersByEmail.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            standby.UsersByEmail.TryGetValue(email, out var counterpart);
            var diff = UserComparison.Compare(user, primary.GroupsOf(user), counterpart, counterpart is null ? [] : standby.GroupsOf(counterpart), isReplicatedAttribute);
            if (diff.Count > 0)
            {
                differences.Add($"user {Core.Model.IdentityKeys.Fingerprint(email)}: {string.Join(", ", diff)}");
            }
        }

        foreach (var email in standby.UsersByEmail.Keys.Except(primary.UsersByEmail.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            differences.Add($"user {Core.Model.IdentityKeys.Fingerprint(email)}: extra in the standby");
        }

        foreach (var name in primary.Groups.Keys.Union(standby.Groups.Keys).Order(StringComparer.Ordinal))
        {
            primary.Groups.TryGetValue(name, out var p);
            standby.Groups.TryGetValue(name, out var s);
            if (p != s)
            {
                differences.Add($"group {name}: {(p is null ? "extra in the standby" : s is null ? "missing" : "settings differ")}");
            }
        }

        return differences;
    }
}
