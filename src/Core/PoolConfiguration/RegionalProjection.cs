using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// The source's settings as the target should hold them: every Regional value replaced by its mapped value, and every
/// unmapped one replaced by what the target has now (never the source's value), each noted as a finding.
/// </summary>
internal static class RegionalProjection
{
    public static JsonObject Desired(JsonObject source, JsonObject? target, IReadOnlyList<string> regionalPrefixes, RegionalValueMap map, string subject, ICollection<ConfigFinding>? findings)
    {
        var desired = (JsonObject)source.DeepClone();
        foreach (var (path, value) in JsonSettings.StringLeaves(source).ToList())
        {
            if (!RegionalSettings.IsRegional(regionalPrefixes, path))
            {
                continue;
            }

            var text = value.GetValue<string>();
            var mapping = map.Map(text);
            if (mapping.IsMapped)
            {
                JsonSettings.Put(desired, path, JsonValue.Create(mapping.Value));
                if (mapping.Value != text)
                {
                    findings?.Add(new ConfigFinding(ConfigFindingKind.Mapped, subject, path, $"{text} → {mapping.Value}"));
                }
            }
            else
            {
                JsonSettings.Put(desired, path, JsonSettings.At(target, path)?.DeepClone());
                findings?.Add(new ConfigFinding(
                    ConfigFindingKind.Unmapped,
                    subject,
                    path,
                    $"'{text}' is a {map.SourceRegion} value with no {map.TargetRegion} counterpart; the target keeps its own. Add it to Replication:RegionalValues (source value → target value)."));
            }
        }

        return desired;
    }
}
