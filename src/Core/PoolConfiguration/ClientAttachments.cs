using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// A configuration object that belongs to an app client — its managed login branding style, one of its terms
/// documents, its risk configuration — matched across pools by the client's <see cref="ClientName"/> (client ids
/// differ between pools). <see cref="Id"/> is the object's id in its own pool (<c>ManagedLoginBrandingId</c>,
/// <c>TermsId</c>; none for risk configuration), needed to update or delete it there. <see cref="Settings"/> holds what
/// the Create/Update/Set request takes, without ids and dates; it is never changed after construction.
/// </summary>
public sealed record ClientAttachment(string ClientName, string? Id, JsonObject Settings);

/// <summary>
/// Shapes what Cognito returns for branding, terms, log delivery and risk configuration into the model's settings:
/// every member the read gave, known or not, less the members the matching write refuses (ids, dates, the client and
/// pool they belong to), per the AWS SDK for JavaScript v3 model (3.1178.0): ManagedLoginBrandingType vs
/// Create/UpdateManagedLoginBrandingRequest, TermsType vs Create/UpdateTermsRequest, RiskConfigurationType vs
/// SetRiskConfigurationRequest, LogDeliveryConfigurationType vs SetLogDeliveryConfigurationRequest.
/// </summary>
internal static class ClientAttachments
{
    private static readonly FrozenSet<string> BrandingReadOnly = FrozenSet.Create(StringComparer.Ordinal, "ManagedLoginBrandingId", "UserPoolId", "ClientId", "CreationDate", "LastModifiedDate");

    private static readonly FrozenSet<string> TermsReadOnly = FrozenSet.Create(StringComparer.Ordinal, "TermsId", "UserPoolId", "ClientId", "TermsName", "CreationDate", "LastModifiedDate");

    private static readonly FrozenSet<string> RiskReadOnly = FrozenSet.Create(StringComparer.Ordinal, "UserPoolId", "ClientId", "LastModifiedDate");

    /// <summary>The key of a terms document in <see cref="PoolConfiguration.Terms"/>: <c>&lt;client name&gt;/&lt;terms name&gt;</c>.</summary>
    public static string TermsKey(string clientName, string termsName) => $"{clientName}/{termsName}";

    /// <summary>A ManagedLoginBrandingType as the model keeps it (a style that uses Cognito's values has no settings or assets of its own).</summary>
    public static JsonObject Branding(JsonObject described)
    {
        var settings = CopyExcept(described, BrandingReadOnly);
        if (settings["UseCognitoProvidedValues"] is JsonValue flag && flag.TryGetValue<bool>(out var useCognito) && useCognito)
        {
            settings.Remove("Settings");
            settings.Remove("Assets");
        }

        return settings;
    }

    /// <summary>A TermsType as the model keeps it (source, enforcement, links).</summary>
    public static JsonObject Terms(JsonObject described) => CopyExcept(described, TermsReadOnly);

    /// <summary>A RiskConfigurationType as the model keeps it (compromised credentials, account takeover, exceptions).</summary>
    public static JsonObject Risk(JsonObject described) => CopyExcept(described, RiskReadOnly);

    /// <summary>
    /// A LogDeliveryConfigurationType as the model keeps it: the log configurations keyed by their <c>EventSource</c>
    /// (<c>userNotification</c>, <c>userAuthEvents</c>), so each destination has a path (<c>userAuthEvents/S3Configuration/BucketArn</c>)
    /// that the comparison names and the Regional mapping maps.
    /// </summary>
    public static JsonObject LogDelivery(JsonObject? described)
    {
        var keyed = new JsonObject();
        foreach (var configuration in (described?["LogConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)configuration["EventSource"] is { } source)
            {
                keyed[source] = CopyExcept(configuration, FrozenSet<string>.Empty);
            }
        }

        return keyed;
    }

    /// <summary>SetLogDeliveryConfiguration's <c>LogConfigurations</c> from the model's keyed form.</summary>
    public static JsonArray LogConfigurations(JsonObject keyed) => new([.. keyed.Select(e => e.Value?.DeepClone())]);

    /// <summary>Keys described objects by their client's name; an object of an unknown or ambiguous client is left out (its client is reported).</summary>
    internal static ImmutableSortedDictionary<string, ClientAttachment> ByClient(
        IEnumerable<(string ClientId, string? Id, JsonObject Settings, string? Suffix)> objects,
        IReadOnlyDictionary<string, string> clientNames)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ClientAttachment>(StringComparer.Ordinal);
        foreach (var (clientId, id, settings, suffix) in objects)
        {
            if (clientNames.TryGetValue(clientId, out var name))
            {
                result[suffix is null ? name : TermsKey(name, suffix)] = new ClientAttachment(name, id, (JsonObject)settings.DeepClone());
            }
        }

        return result.ToImmutable();
    }

    private static JsonObject CopyExcept(JsonObject source, FrozenSet<string> except)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (!except.Contains(key))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
