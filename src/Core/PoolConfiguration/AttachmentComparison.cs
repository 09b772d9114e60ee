using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// The comparison and projection of what belongs to app clients — managed login branding (<c>branding web/…</c>),
/// terms (<c>terms web/terms-of-use/…</c>), client risk configuration (<c>risk web/…</c>) — matched by client name,
/// and of the pool's log delivery (<c>logDelivery userAuthEvents/…</c>) and pool-wide risk configuration
/// (<c>risk/…</c>), whose destinations and SES identities are Regional values: mapped, or reported and never copied.
/// Clients with a duplicate name are left out, as the clients themselves are. A part one pool was not read for is not
/// compared.
/// </summary>
internal static class AttachmentComparison
{
    public static void Compare(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map, List<ConfigFinding> findings)
    {
        var skip = Skipped(source, target);
        CompareByClient("branding", source.Brandings, target.Brandings, skip, [], map, findings);
        CompareByClient("terms", source.Terms, target.Terms, skip, [], map, findings);
        CompareByClient("risk", source.ClientRisks, target.ClientRisks, skip, RegionalSettings.Risk, map, findings);

        if (source.Risk is not null && target.Risk is not null)
        {
            var desired = RegionalProjection.Desired(source.Risk, target.Risk, RegionalSettings.Risk, map, "risk", findings);
            findings.AddRange(JsonSettings.Differences(desired, target.Risk).Select(p => new ConfigFinding(ConfigFindingKind.Differs, "risk", p, "differs")));
        }

        if (source.LogDelivery is not null && target.LogDelivery is not null)
        {
            var desired = DesiredLogDelivery(source.LogDelivery, target.LogDelivery, map, findings);
            findings.AddRange(JsonSettings.Differences(desired, target.LogDelivery).Select(p => new ConfigFinding(ConfigFindingKind.Differs, "logDelivery", p, "differs")));
        }
    }

    /// <summary>The target's attachments as apply leaves them: the source's, by client name, with the target's own ids and Regional values mapped.</summary>
    public static PoolConfiguration Project(PoolConfiguration source, PoolConfiguration target, RegionalValueMap map, PoolConfiguration projected)
    {
        var skip = Skipped(source, target);
        return projected with
        {
            Brandings = ProjectByClient(source.Brandings, target.Brandings, skip, [], map),
            Terms = ProjectByClient(source.Terms, target.Terms, skip, [], map),
            ClientRisks = ProjectByClient(source.ClientRisks, target.ClientRisks, skip, RegionalSettings.Risk, map),
            Risk = source.Risk is null || target.Risk is null ? target.Risk : RegionalProjection.Desired(source.Risk, target.Risk, RegionalSettings.Risk, map, "risk", null),
            LogDelivery = source.LogDelivery is null || target.LogDelivery is null ? target.LogDelivery : DesiredLogDelivery(source.LogDelivery, target.LogDelivery, map, null),
        };
    }

    /// <summary>
    /// The source's log configurations with their destinations mapped. A configuration whose destination has no target
    /// counterpart is not copied: the target keeps its own configuration for that event source (or none).
    /// </summary>
    private static JsonObject DesiredLogDelivery(JsonObject source, JsonObject target, RegionalValueMap map, ICollection<ConfigFinding>? findings)
    {
        var unmapped = new List<ConfigFinding>();
        var desired = RegionalProjection.Desired(source, target, RegionalSettings.LogDelivery(source), map, "logDelivery", unmapped);
        foreach (var eventSource in unmapped.Where(f => f.Kind == ConfigFindingKind.Unmapped).Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal))
        {
            JsonSettings.Put(desired, eventSource, target[eventSource]?.DeepClone());
        }

        foreach (var finding in unmapped)
        {
            findings?.Add(finding);
        }

        return desired;
    }

    private static void CompareByClient(
        string kind,
        ImmutableSortedDictionary<string, ClientAttachment> source,
        ImmutableSortedDictionary<string, ClientAttachment> target,
        HashSet<string> skip,
        IReadOnlyList<string> regional,
        RegionalValueMap map,
        List<ConfigFinding> findings)
    {
        foreach (var (key, attachment) in source.Where(a => !skip.Contains(a.Value.ClientName)))
        {
            var subject = $"{kind} {key}";
            if (!target.TryGetValue(key, out var other))
            {
                findings.Add(new ConfigFinding(ConfigFindingKind.Missing, subject, string.Empty, "missing in the target"));
                continue;
            }

            var desired = RegionalProjection.Desired(attachment.Settings, other.Settings, regional, map, subject, findings);
            findings.AddRange(JsonSettings.Differences(desired, other.Settings).Select(p => new ConfigFinding(ConfigFindingKind.Differs, subject, p, "differs")));
        }

        foreach (var (key, _) in target.Where(a => !skip.Contains(a.Value.ClientName) && !source.ContainsKey(a.Key)))
        {
            findings.Add(new ConfigFinding(ConfigFindingKind.Extra, $"{kind} {key}", string.Empty, "in the target only"));
        }
    }

    private static ImmutableSortedDictionary<string, ClientAttachment> ProjectByClient(
        ImmutableSortedDictionary<string, ClientAttachment> source,
        ImmutableSortedDictionary<string, ClientAttachment> target,
        HashSet<string> skip,
        IReadOnlyList<string> regional,
        RegionalValueMap map)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ClientAttachment>(StringComparer.Ordinal);
        foreach (var (key, attachment) in source.Where(a => !skip.Contains(a.Value.ClientName)))
        {
            var existing = target.GetValueOrDefault(key);
            result[key] = new ClientAttachment(attachment.ClientName, existing?.Id, RegionalProjection.Desired(attachment.Settings, existing?.Settings, regional, map, key, null));
        }

        foreach (var (key, attachment) in target.Where(a => skip.Contains(a.Value.ClientName)))
        {
            result[key] = attachment;
        }

        return result.ToImmutable();
    }

    private static HashSet<string> Skipped(PoolConfiguration source, PoolConfiguration target) =>
        source.DuplicateClientNames.Concat(target.DuplicateClientNames).ToHashSet(StringComparer.Ordinal);
}
