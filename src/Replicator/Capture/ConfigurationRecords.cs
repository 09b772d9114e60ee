using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>Why a configuration record names no object capture can use.</summary>
internal enum ConfigurationRecordProblem
{
    None,

    /// <summary>Not a configuration operation.</summary>
    NotConfiguration,

    /// <summary>No user pool is named (a tag call on an ARN that is not a user pool's).</summary>
    NoPool,

    /// <summary>The object is not named (a client record without a client id): the configuration sweep catches it.</summary>
    NoObject,

    /// <summary>An identifier Cognito would never accept (empty, too long, control characters): dropped once.</summary>
    InvalidIdentifier,
}

/// <summary>Which configuration object a CloudTrail record is about: the source pool, the kind, and the object's id.</summary>
internal sealed record ConfigurationTarget(string PoolId, ConfigObjectKind Kind, string? ObjectId, string? ObjectName);

/// <summary>
/// The configuration operations whose CloudTrail records capture turns into configuration hints, and how each names
/// its object. Only identifiers are read from a record (pool id, client id, resource server identifier, provider name),
/// never its settings: the reconciler reads the object from the source itself.
/// </summary>
internal static class ConfigurationRecords
{
    /// <summary>The longest identifier a hint takes (resource server identifiers are the longest, 256 characters).</summary>
    public const int MaxIdLength = 256;

    private static readonly Dictionary<string, ConfigObjectKind> Kinds = new(StringComparer.Ordinal)
    {
        ["CreateUserPoolClient"] = ConfigObjectKind.Client,
        ["UpdateUserPoolClient"] = ConfigObjectKind.Client,
        ["DeleteUserPoolClient"] = ConfigObjectKind.Client,
        ["AddUserPoolClientSecret"] = ConfigObjectKind.Client,
        ["DeleteUserPoolClientSecret"] = ConfigObjectKind.Client,
        ["CreateResourceServer"] = ConfigObjectKind.ResourceServer,
        ["UpdateResourceServer"] = ConfigObjectKind.ResourceServer,
        ["DeleteResourceServer"] = ConfigObjectKind.ResourceServer,
        ["CreateIdentityProvider"] = ConfigObjectKind.IdentityProvider,
        ["UpdateIdentityProvider"] = ConfigObjectKind.IdentityProvider,
        ["DeleteIdentityProvider"] = ConfigObjectKind.IdentityProvider,
        ["UpdateUserPool"] = ConfigObjectKind.Pool,
        ["TagResource"] = ConfigObjectKind.Pool,
        ["UntagResource"] = ConfigObjectKind.Pool,
        ["SetUserPoolMfaConfig"] = ConfigObjectKind.Mfa,
        ["AddCustomAttributes"] = ConfigObjectKind.Schema,
        ["CreateUserPoolDomain"] = ConfigObjectKind.Domain,
        ["UpdateUserPoolDomain"] = ConfigObjectKind.Domain,
        ["DeleteUserPoolDomain"] = ConfigObjectKind.Domain,
        ["SetUICustomization"] = ConfigObjectKind.Ui,
        ["CreateManagedLoginBranding"] = ConfigObjectKind.Ui,
        ["UpdateManagedLoginBranding"] = ConfigObjectKind.Ui,
        ["DeleteManagedLoginBranding"] = ConfigObjectKind.Ui,
        ["CreateTerms"] = ConfigObjectKind.Ui,
        ["UpdateTerms"] = ConfigObjectKind.Ui,
        ["DeleteTerms"] = ConfigObjectKind.Ui,
        ["SetLogDeliveryConfiguration"] = ConfigObjectKind.LogDelivery,
        ["SetRiskConfiguration"] = ConfigObjectKind.Risk,
    };

    /// <summary>Every configuration operation capture subscribes to.</summary>
    public static IReadOnlyList<string> EventNames { get; } = [.. Kinds.Keys];

    public static ConfigObjectKind? KindOf(string eventName) => Kinds.TryGetValue(eventName, out var kind) ? kind : null;

    /// <summary>
    /// The object a record names, or <c>null</c> with the reason: a record that names no pool (a tag call on an ARN
    /// that is not a user pool's), or an object it does not identify (a client record without a client id).
    /// </summary>
    public static ConfigurationTarget? Of(CloudTrailEvent record, out ConfigurationRecordProblem problem)
    {
        problem = ConfigurationRecordProblem.None;
        if (KindOf(record.EventName) is not { } kind)
        {
            problem = ConfigurationRecordProblem.NotConfiguration;
            return null;
        }

        var request = record.RequestParameters;
        var pool = record.UserPoolId ?? PoolOfArn(Text(request?["resourceArn"]));
        if (pool is null)
        {
            problem = ConfigurationRecordProblem.NoPool;
            return null;
        }

        var (id, name) = kind switch
        {
            ConfigObjectKind.Client => (
                Text(request?["clientId"]) ?? Text(record.ResponseElements?["userPoolClient"]?["clientId"]),
                Text(request?["clientName"]) ?? Text(record.ResponseElements?["userPoolClient"]?["clientName"])),
            ConfigObjectKind.ResourceServer => (Text(request?["identifier"]), null),
            ConfigObjectKind.IdentityProvider => (Text(request?["providerName"]), null),
            _ => ((string?)null, (string?)null),
        };
        if (kind is ConfigObjectKind.Client or ConfigObjectKind.ResourceServer or ConfigObjectKind.IdentityProvider && id is null)
        {
            problem = ConfigurationRecordProblem.NoObject;
            return null;
        }

        if (!Usable(pool) || (id is not null && !Usable(id)) || (name is not null && !Usable(name)))
        {
            problem = ConfigurationRecordProblem.InvalidIdentifier;
            return null;
        }

        return new ConfigurationTarget(pool, kind, id, name);
    }

    /// <summary>What a problem means, for the capture log.</summary>
    public static string Describe(ConfigurationRecordProblem problem) => problem switch
    {
        ConfigurationRecordProblem.NotConfiguration => "not a configuration operation",
        ConfigurationRecordProblem.NoPool => "names no user pool",
        ConfigurationRecordProblem.NoObject => "does not name the object it changed (the configuration sweep catches it)",
        ConfigurationRecordProblem.InvalidIdentifier => $"an identifier is empty, longer than {MaxIdLength} characters or holds control characters",
        _ => "usable",
    };

    /// <summary>The pool id of a user pool ARN (<c>arn:aws:cognito-idp:&lt;Region&gt;:&lt;account&gt;:userpool/&lt;pool id&gt;</c>).</summary>
    public static string? PoolOfArn(string? arn)
    {
        const string Marker = ":userpool/";
        if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal) || !arn.Contains(":cognito-idp:", StringComparison.Ordinal))
        {
            return null;
        }

        var at = arn.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 || at + Marker.Length >= arn.Length ? null : arn[(at + Marker.Length)..];
    }

    private static bool Usable(string value) =>
        value.Length is > 0 and <= MaxIdLength && !value.Any(char.IsControl) && value != CloudTrailEvent.Redacted;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) && text != CloudTrailEvent.Redacted ? text : null;
}
