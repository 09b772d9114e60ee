using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// One of a client's secrets: its id and date in its pool, and the keyed fingerprint of its value — or no fingerprint
/// when the value cannot be read (a custom secret added to a second slot: Cognito never returns its value).
/// </summary>
public sealed record ClientSecretState(string? SecretId, DateTimeOffset? CreatedAt, string? Fingerprint)
{
    public bool IsReadable => Fingerprint is not null;
}

/// <summary>
/// An app client: matched across pools by <see cref="Name"/> (ids cannot be chosen). <see cref="Settings"/> is the
/// client as UpdateUserPoolClient takes it, without pool and client ids — every member Describe returned, known or not.
/// The JSON trees are never changed after construction.
/// </summary>
public sealed record ClientConfiguration(string Name, string ClientId, JsonObject Settings, ImmutableArray<ClientSecretState> Secrets)
{
    public bool IsConfidential => !Secrets.IsDefaultOrEmpty;
}

/// <summary>
/// A pool's configuration, read whole: pool settings (as UpdateUserPool takes them), schema, MFA configuration, domain,
/// classic UI customization, app clients by name, resource servers by identifier, identity providers by name, managed
/// login branding, terms and client risk configurations by client name, log delivery and pool risk configuration. Clients
/// whose name is not unique are in <see cref="DuplicateClientNames"/> and nowhere else: they are reported, never
/// guessed. Secrets appear only as fingerprints. The JSON trees are never changed after construction.
/// </summary>
public sealed record PoolConfiguration
{
    /// <summary>Settings replication never changes in a target, only reports: the feature plan and threat protection (a plan is bought, not copied), the pool's name.</summary>
    public static readonly ImmutableArray<string> ReportOnlySettings = ["UserPoolTier", "UserPoolAddOns", "PoolName"];

    public required string UserPoolId { get; init; }

    public required string Region { get; init; }

    /// <summary>UpdateUserPool's members (no <c>UserPoolId</c>), including the tags (<c>UserPoolTags</c>).</summary>
    public JsonObject Settings { get; init; } = [];

    /// <summary>Schema attributes by name (<c>custom:…</c> for custom ones).</summary>
    public ImmutableSortedDictionary<string, JsonObject> Schema { get; init; } = ImmutableSortedDictionary<string, JsonObject>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>GetUserPoolMfaConfig's reply; null when not read.</summary>
    public JsonObject? Mfa { get; init; }

    /// <summary>The prefix domain, if any.</summary>
    public string? Domain { get; init; }

    /// <summary>The custom domain, if any (it needs its own certificate in us-east-1: compared, never created).</summary>
    public string? CustomDomain { get; init; }

    /// <summary>The pool-wide classic hosted UI CSS; null when none or not read.</summary>
    public string? UiCss { get; init; }

    public ImmutableSortedDictionary<string, ClientConfiguration> Clients { get; init; } = ImmutableSortedDictionary<string, ClientConfiguration>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableArray<string> DuplicateClientNames { get; init; } = [];

    /// <summary>Resource servers by identifier, as Create/UpdateResourceServer take them (no <c>UserPoolId</c>).</summary>
    public ImmutableSortedDictionary<string, JsonObject> ResourceServers { get; init; } = ImmutableSortedDictionary<string, JsonObject>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Identity providers by name, as CreateIdentityProvider takes them (no <c>UserPoolId</c>). Their details may hold an OIDC client secret.</summary>
    public ImmutableSortedDictionary<string, JsonObject> IdentityProviders { get; init; } = ImmutableSortedDictionary<string, JsonObject>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Managed login branding styles by client name (<see cref="ClientAttachments.Branding"/>); empty when none or not read.</summary>
    public ImmutableSortedDictionary<string, ClientAttachment> Brandings { get; init; } = ImmutableSortedDictionary<string, ClientAttachment>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Terms documents by <c>&lt;client name&gt;/&lt;terms name&gt;</c> (<see cref="ClientAttachments.TermsKey"/>); empty when none or not read.</summary>
    public ImmutableSortedDictionary<string, ClientAttachment> Terms { get; init; } = ImmutableSortedDictionary<string, ClientAttachment>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Log delivery configurations keyed by event source (<see cref="ClientAttachments.LogDelivery"/>); null when not read.</summary>
    public JsonObject? LogDelivery { get; init; }

    /// <summary>The pool-wide risk configuration (<see cref="ClientAttachments.Risk"/>); null when not read.</summary>
    public JsonObject? Risk { get; init; }

    /// <summary>Risk configurations of single clients, by client name, where a client has its own.</summary>
    public ImmutableSortedDictionary<string, ClientAttachment> ClientRisks { get; init; } = ImmutableSortedDictionary<string, ClientAttachment>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Client ids by name, of the clients listed to name branding, terms and risk configurations (unique names only); empty when not read.</summary>
    public ImmutableSortedDictionary<string, string> ClientIds { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Builds the model from what the Describe/List/Get operations returned; every tree is copied.</summary>
    public static PoolConfiguration Assemble(
        string region,
        JsonObject describedPool,
        JsonObject? mfa,
        IEnumerable<(JsonObject Described, ImmutableArray<ClientSecretState> Secrets)> clients,
        IEnumerable<JsonObject> resourceServers,
        IEnumerable<JsonObject> identityProviders,
        string? uiCss = null)
    {
        var poolId = (string?)describedPool["Id"] ?? string.Empty;
        var settings = ConfigurationRequests.UpdateUserPool(describedPool, poolId);
        settings.Remove("UserPoolId");

        var schema = ImmutableSortedDictionary.CreateBuilder<string, JsonObject>(StringComparer.Ordinal);
        foreach (var attribute in (describedPool["SchemaAttributes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)attribute["Name"] is { } name)
            {
                schema[name] = (JsonObject)attribute.DeepClone();
            }
        }

        var byName = clients
            .Select(c => (Name: (string?)c.Described["ClientName"] ?? string.Empty, c.Described, c.Secrets))
            .GroupBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var clientModels = ImmutableSortedDictionary.CreateBuilder<string, ClientConfiguration>(StringComparer.Ordinal);
        foreach (var group in byName.Where(g => g.Count() == 1))
        {
            var (name, described, secrets) = group.Single();
            var clientSettings = ConfigurationRequests.UpdateUserPoolClient(described, poolId, string.Empty);
            clientSettings.Remove("UserPoolId");
            clientSettings.Remove("ClientId");
            clientModels[name] = new ClientConfiguration(name, (string?)described["ClientId"] ?? string.Empty, clientSettings, secrets.IsDefault ? [] : secrets);
        }

        return new PoolConfiguration
        {
            UserPoolId = poolId,
            Region = region,
            Settings = settings,
            Schema = schema.ToImmutable(),
            Mfa = mfa is null ? null : (JsonObject)mfa.DeepClone(),
            Domain = NonEmpty((string?)describedPool["Domain"]),
            CustomDomain = NonEmpty((string?)describedPool["CustomDomain"]),
            UiCss = NonEmpty(uiCss),
            Clients = clientModels.ToImmutable(),
            DuplicateClientNames = [.. byName.Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal)],
            ResourceServers = Keyed(resourceServers, "Identifier", ConfigurationRequests.ResourceServer),
            IdentityProviders = Keyed(identityProviders, "ProviderName", ConfigurationRequests.CreateIdentityProvider),
        };
    }

    private static ImmutableSortedDictionary<string, JsonObject> Keyed(IEnumerable<JsonObject> objects, string key, Func<JsonObject, string, JsonObject> shape)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, JsonObject>(StringComparer.Ordinal);
        foreach (var described in objects)
        {
            if ((string?)described[key] is { } id)
            {
                var shaped = shape(described, string.Empty);
                shaped.Remove("UserPoolId");
                result[id] = shaped;
            }
        }

        return result.ToImmutable();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
