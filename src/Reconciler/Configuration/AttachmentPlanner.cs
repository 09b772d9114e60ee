using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// The writes for what belongs to app clients — managed login branding, terms, client risk configuration — and for
/// the pool's log delivery and risk configuration, from the drift between the projection and the target. Creates and
/// updates come after the clients are created (they name the target's client id, known only then); deletions of what
/// only the target has come before any client is deleted; the pool-wide ones last. Each write carries the whole
/// object. Pure: no I/O.
/// </summary>
internal static class AttachmentPlanner
{
    public static IEnumerable<ConfigChange> CreatesAndUpdates(IReadOnlyList<ConfigFinding> drift, PoolConfiguration projection, PoolConfiguration target)
    {
        foreach (var (kind, key) in Objects(drift, "branding "))
        {
            var desired = projection.Brandings.GetValueOrDefault(key);
            if (kind == ConfigFindingKind.Missing && desired is not null)
            {
                yield return new ConfigChange(ConfigChangeKind.CreateBranding, "branding " + key, Copy(desired.Settings), desired.ClientName);
            }
            else if (kind == ConfigFindingKind.Differs && desired is not null && target.Brandings[key].Id is { } id)
            {
                yield return new ConfigChange(ConfigChangeKind.UpdateBranding, "branding " + key, Copy(desired.Settings), id);
            }
        }

        foreach (var (kind, key) in Objects(drift, "terms "))
        {
            var desired = projection.Terms.GetValueOrDefault(key);
            if (desired is null || kind == ConfigFindingKind.Extra)
            {
                continue;
            }

            var request = Copy(desired.Settings);
            request["TermsName"] = key[(desired.ClientName.Length + 1)..];
            if (kind == ConfigFindingKind.Missing)
            {
                yield return new ConfigChange(ConfigChangeKind.CreateTerms, "terms " + key, request, desired.ClientName);
            }
            else if (target.Terms[key].Id is { } id)
            {
                yield return new ConfigChange(ConfigChangeKind.UpdateTerms, "terms " + key, request, id);
            }
        }

        foreach (var (kind, key) in Objects(drift, "risk "))
        {
            if (kind != ConfigFindingKind.Extra && projection.ClientRisks.GetValueOrDefault(key) is { } desired)
            {
                yield return new ConfigChange(ConfigChangeKind.SetRisk, "risk " + key, Copy(desired.Settings), desired.ClientName);
            }
        }
    }

    /// <summary>What only the target has: deleted (a client's own risk configuration is cleared: set with nothing).</summary>
    public static IEnumerable<ConfigChange> Deletions(IReadOnlyList<ConfigFinding> drift, PoolConfiguration target)
    {
        foreach (var (_, key) in Objects(drift, "branding ").Where(o => o.Kind == ConfigFindingKind.Extra))
        {
            if (target.Brandings[key].Id is { } id)
            {
                yield return new ConfigChange(ConfigChangeKind.DeleteBranding, "branding " + key, null, id);
            }
        }

        foreach (var (_, key) in Objects(drift, "terms ").Where(o => o.Kind == ConfigFindingKind.Extra))
        {
            if (target.Terms[key].Id is { } id)
            {
                yield return new ConfigChange(ConfigChangeKind.DeleteTerms, "terms " + key, null, id);
            }
        }

        foreach (var (_, key) in Objects(drift, "risk ").Where(o => o.Kind == ConfigFindingKind.Extra))
        {
            yield return new ConfigChange(ConfigChangeKind.SetRisk, "risk " + key, [], target.ClientRisks[key].ClientName);
        }
    }

    /// <summary>The pool's log delivery and risk configuration, whole, when they drift.</summary>
    public static IEnumerable<ConfigChange> PoolWide(IReadOnlyList<ConfigFinding> drift, PoolConfiguration projection)
    {
        if (projection.LogDelivery is not null && drift.Any(f => f.Subject == "logDelivery"))
        {
            yield return new ConfigChange(ConfigChangeKind.SetLogDelivery, "logDelivery", Copy(projection.LogDelivery));
        }

        if (projection.Risk is not null && drift.Any(f => f.Subject == "risk"))
        {
            yield return new ConfigChange(ConfigChangeKind.SetRisk, "risk", Copy(projection.Risk));
        }
    }

    /// <summary>The objects of one kind the drift names, once each, with the finding kind that decides the write.</summary>
    private static IEnumerable<(ConfigFindingKind Kind, string Key)> Objects(IReadOnlyList<ConfigFinding> drift, string prefix) =>
        drift.Where(f => f.Subject.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(f => f.Subject[prefix.Length..], StringComparer.Ordinal)
            .Select(g => (g.Any(f => f.Kind == ConfigFindingKind.Missing) ? ConfigFindingKind.Missing : g.Any(f => f.Kind == ConfigFindingKind.Extra) ? ConfigFindingKind.Extra : ConfigFindingKind.Differs, g.Key));

    private static JsonObject Copy(JsonObject settings) => (JsonObject)settings.DeepClone();
}
