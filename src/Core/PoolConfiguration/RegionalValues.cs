using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>What a Regional value becomes in the target pool: a mapped value, or nothing (reported, never copied).</summary>
public readonly record struct RegionalMapping(bool IsMapped, string? Value)
{
    public static RegionalMapping Unmapped => default;

    public static RegionalMapping To(string value) => new(true, value);
}

/// <summary>
/// <c>Replication:RegionalValues</c> at work: a setting that names a Regional resource (a Lambda trigger, an SES identity or
/// configuration set, an SNS role and external id, a KMS key, a Pinpoint project) must point at that Region's own
/// resource in the target pool. An explicit entry (source value → target value) wins; otherwise an ARN in the source
/// Region gets the target Region (unless <see cref="SubstituteArnRegion"/> is off), an ARN without a Region (IAM) stays
/// as it is, and a bare Region name (<c>SnsRegion</c>) becomes the target Region. Anything else is unmapped: the target
/// keeps its own value and the difference is reported with the fix (add the value to the map).
/// </summary>
public sealed class RegionalValueMap
{
    private readonly FrozenDictionary<string, string> _explicit;

    public RegionalValueMap(string sourceRegion, string targetRegion, IReadOnlyDictionary<string, string>? explicitValues = null, bool substituteArnRegion = true)
    {
        SourceRegion = sourceRegion;
        TargetRegion = targetRegion;
        SubstituteArnRegion = substituteArnRegion;
        _explicit = (explicitValues ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string SourceRegion { get; }

    public string TargetRegion { get; }

    public bool SubstituteArnRegion { get; }

    /// <summary>The map the other way (target → source), for replication after a failover.</summary>
    public RegionalValueMap Reversed() =>
        new(TargetRegion, SourceRegion, _explicit.GroupBy(e => e.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal), SubstituteArnRegion);

    public RegionalMapping Map(string sourceValue)
    {
        if (_explicit.TryGetValue(sourceValue, out var mapped))
        {
            return RegionalMapping.To(mapped);
        }

        if (sourceValue.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = sourceValue.Split(':', 6);
            if (parts.Length < 6)
            {
                return RegionalMapping.Unmapped;
            }

            if (parts[3].Length == 0)
            {
                return RegionalMapping.To(sourceValue);
            }

            if (SubstituteArnRegion && parts[3] == SourceRegion)
            {
                parts[3] = TargetRegion;
                return RegionalMapping.To(string.Join(':', parts));
            }

            return RegionalMapping.Unmapped;
        }

        return sourceValue == SourceRegion ? RegionalMapping.To(TargetRegion) : RegionalMapping.Unmapped;
    }
}

/// <summary>Which settings hold Regional values, per kind of configuration object (paths of leaves, <c>/</c>-separated).</summary>
internal static class RegionalSettings
{
    /// <summary>Pool settings: every trigger (and its KMS key), SES, SNS, the token-signing key configuration.</summary>
    public static readonly IReadOnlyList<string> Pool =
    [
        "LambdaConfig",
        "EmailConfiguration/SourceArn",
        "EmailConfiguration/ConfigurationSet",
        "SmsConfiguration/SnsCallerArn",
        "SmsConfiguration/ExternalId",
        "SmsConfiguration/SnsRegion",
        "KeyConfiguration",
    ];

    /// <summary>App clients: the Pinpoint analytics project and its role.</summary>
    public static readonly IReadOnlyList<string> Client = ["AnalyticsConfiguration"];

    /// <summary>The MFA configuration: the SNS settings of SMS MFA.</summary>
    public static readonly IReadOnlyList<string> Mfa = ["SmsMfaConfiguration/SmsConfiguration"];

    /// <summary>A risk configuration: the SES identity its notification emails are sent from.</summary>
    public static readonly IReadOnlyList<string> Risk = ["AccountTakeoverRiskConfiguration/NotifyConfiguration/SourceArn"];

    /// <summary>Log delivery (keyed by event source): every destination — a CloudWatch Logs group, an S3 bucket, a Firehose stream.</summary>
    public static IReadOnlyList<string> LogDelivery(JsonObject? keyed) =>
        [.. (keyed ?? []).SelectMany(e => new[] { "CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration" }.Select(d => $"{e.Key}/{d}"))];

    public static bool IsRegional(IReadOnlyList<string> prefixes, string path) =>
        prefixes.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
}
