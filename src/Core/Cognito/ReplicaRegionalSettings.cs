using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// What a native replica's Regional settings should be and what it takes to get there: the settings Cognito's native
/// replication leaves to each Region (Lambda triggers, email and SMS configuration through UpdateUserPool, log delivery
/// through SetLogDeliveryConfiguration — both called at the secondary Region's endpoint of the same pool id), the
/// primary's values with every Regional value mapped (<see cref="RegionalValueMap"/>), compared with the replica's.
/// <see cref="UpdateUserPool"/> and <see cref="SetLogDelivery"/> are the writes that close the gap (null when there is
/// none); the UpdateUserPool request carries every member the replica's own DescribeUserPool returned (Cognito resets
/// what it is not given) and changes only the Regional members. The WAF web ACL is reported, never compared.
/// </summary>
/// <param name="Findings">Drift (<see cref="ConfigFindingKind.Differs"/>, named by setting path), values mapped, values with no counterpart, and the WAF report.</param>
/// <param name="UpdateUserPool">The UpdateUserPool request for the secondary, or null when its pool settings are in step.</param>
/// <param name="SetLogDelivery">The SetLogDeliveryConfiguration request for the secondary, or null when log delivery is in step.</param>
public sealed record ReplicaRegionalPlan(ImmutableArray<ConfigFinding> Findings, JsonObject? UpdateUserPool, JsonObject? SetLogDelivery)
{
    /// <summary>The Regional settings that differ (the writes fix them).</summary>
    public ImmutableArray<ConfigFinding> Differences => [.. Findings.Where(f => f.IsDrift)];

    public bool InSync => Differences.IsEmpty;
}

/// <summary>Plans a native replica's Regional settings (<see cref="ReplicaRegionalPlan"/>). Pure: reads nothing, writes nothing.</summary>
public static class ReplicaRegionalSettings
{
    /// <summary>The subject every finding names.</summary>
    public const string Subject = "replica";

    /// <summary>The members of UpdateUserPool a secondary keeps for itself (CloudFormation's UserPoolRegionalConfigurationAttachment, tags aside).</summary>
    public static readonly ImmutableArray<string> PoolMembers = ["LambdaConfig", "EmailConfiguration", "SmsConfiguration"];

    /// <summary>The destinations of a log configuration (each holds one Regional ARN).</summary>
    private static readonly string[] LogDestinations = ["CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration"];

    /// <param name="userPoolId">The pool id (the same in both Regions).</param>
    /// <param name="primaryPool">DescribeUserPool's <c>UserPool</c> at the primary's endpoint.</param>
    /// <param name="replicaPool">DescribeUserPool's <c>UserPool</c> at the secondary's endpoint.</param>
    /// <param name="primaryLogDelivery">GetLogDeliveryConfiguration's <c>LogDeliveryConfiguration</c> at the primary's endpoint.</param>
    /// <param name="replicaLogDelivery">The same at the secondary's endpoint.</param>
    /// <param name="map">Primary Region → secondary Region.</param>
    public static ReplicaRegionalPlan Plan(string userPoolId, JsonObject primaryPool, JsonObject replicaPool, JsonObject primaryLogDelivery, JsonObject replicaLogDelivery, RegionalValueMap map)
    {
        var findings = new List<ConfigFinding>();

        // Pool settings: the three Regional members, each the primary's with its Regional values mapped.
        var current = new JsonObject();
        var desired = new JsonObject();
        foreach (var member in PoolMembers)
        {
            current[member] = replicaPool[member]?.DeepClone();
            desired[member] = primaryPool[member]?.DeepClone();
        }

        desired = Project(desired, current, map, findings, string.Empty);
        var poolDifferences = Compare(desired, current, string.Empty, findings);
        JsonObject? update = null;
        if (poolDifferences)
        {
            update = ConfigurationRequests.UpdateUserPool(replicaPool, userPoolId);
            foreach (var member in PoolMembers)
            {
                JsonSettings.Put(update, member, JsonSettings.IsAbsent(desired[member]) ? null : desired[member]!.DeepClone());
            }
        }

        // Log delivery: keyed by event source (one configuration each), destinations mapped.
        var currentLogs = ByEventSource(replicaLogDelivery);
        var desiredLogs = Project(ByEventSource(primaryLogDelivery), currentLogs, map, findings, "LogDelivery/");
        JsonObject? setLogs = null;
        if (Compare(desiredLogs, currentLogs, "LogDelivery/", findings))
        {
            setLogs = new JsonObject
            {
                ["UserPoolId"] = userPoolId,
                ["LogConfigurations"] = new JsonArray([.. desiredLogs.Select(e => e.Value?.DeepClone())]),
            };
        }

        var arn = replicaPool["Arn"] is JsonValue a && a.TryGetValue<string>(out var text) ? text : $"the replica of {userPoolId}";
        findings.Add(new ConfigFinding(
            ConfigFindingKind.ReportOnly,
            Subject,
            "WebACL",
            $"AWS WAF web ACL associations are per Region and not compared here; check {arn} in {map.TargetRegion} with WAFv2 GetWebACLForResource and associate the secondary Region's web ACL (AssociateWebACL)."));
        return new ReplicaRegionalPlan([.. findings], update, setLogs);
    }

    /// <summary>
    /// The source's settings with every Regional value mapped: an explicit entry or an ARN in the source Region (its
    /// counterpart in the target Region), the source Region's name (the target's); an ARN with no counterpart keeps the
    /// target's value and is reported; any other text (a From address, a Lambda version, an external id) is copied.
    /// </summary>
    private static JsonObject Project(JsonObject source, JsonObject current, RegionalValueMap map, List<ConfigFinding> findings, string prefix)
    {
        var desired = (JsonObject)source.DeepClone();
        foreach (var (path, value) in JsonSettings.StringLeaves(source).ToList())
        {
            var text = value.GetValue<string>();
            var mapping = map.Map(text);
            if (mapping.IsMapped && mapping.Value != text)
            {
                JsonSettings.Put(desired, path, JsonValue.Create(mapping.Value));
                findings.Add(new ConfigFinding(ConfigFindingKind.Mapped, Subject, prefix + path, $"{text} → {mapping.Value}"));
            }
            else if (!mapping.IsMapped && text.StartsWith("arn:", StringComparison.Ordinal))
            {
                JsonSettings.Put(desired, path, JsonSettings.At(current, path)?.DeepClone());
                findings.Add(new ConfigFinding(
                    ConfigFindingKind.Unmapped,
                    Subject,
                    prefix + path,
                    $"'{text}' is not in {map.SourceRegion} and has no {map.TargetRegion} counterpart; the replica keeps its own. Add it to Replication:RegionalValues (primary value → secondary value)."));
            }
        }

        return desired;
    }

    /// <summary>Adds a <see cref="ConfigFindingKind.Differs"/> finding per differing leaf; whether there was any.</summary>
    private static bool Compare(JsonObject desired, JsonObject current, string prefix, List<ConfigFinding> findings)
    {
        var any = false;
        foreach (var path in JsonSettings.Differences(desired, current))
        {
            any = true;
            findings.Add(new ConfigFinding(
                ConfigFindingKind.Differs,
                Subject,
                prefix + path,
                $"should be {Show(JsonSettings.At(desired, path))}; the replica has {Show(JsonSettings.At(current, path))}"));
        }

        return any;
    }

    private static JsonObject ByEventSource(JsonObject logDelivery)
    {
        var keyed = new JsonObject();
        foreach (var configuration in (logDelivery["LogConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var copy = (JsonObject)configuration.DeepClone();
            foreach (var destination in LogDestinations.Where(d => JsonSettings.IsAbsent(copy[d])))
            {
                copy.Remove(destination);
            }

            keyed[(string?)configuration["EventSource"] ?? "?"] = copy;
        }

        return keyed;
    }

    private static string Show(JsonNode? node) => JsonSettings.IsAbsent(node) ? "nothing" : node is JsonValue ? $"'{node}'" : node!.ToJsonString();
}
