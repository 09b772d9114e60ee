using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>Reading and writing managed login branding, terms, log delivery and risk configuration.</summary>
public sealed partial class CognitoPoolConfigurationDirectory
{
    public async Task CreateBrandingAsync(string clientId, JsonObject settings, CancellationToken cancellationToken) =>
        await client.CreateManagedLoginBrandingRawAsync(BrandingRequest(settings, "ClientId", clientId), cancellationToken);

    public async Task UpdateBrandingAsync(string managedLoginBrandingId, JsonObject settings, CancellationToken cancellationToken) =>
        await client.UpdateManagedLoginBrandingRawAsync(BrandingRequest(settings, "ManagedLoginBrandingId", managedLoginBrandingId), cancellationToken);

    public Task DeleteBrandingAsync(string managedLoginBrandingId, CancellationToken cancellationToken) =>
        client.DeleteManagedLoginBrandingAsync(userPoolId, managedLoginBrandingId, cancellationToken);

    public async Task CreateTermsAsync(string clientId, string termsName, JsonObject settings, CancellationToken cancellationToken) =>
        await client.CreateTermsRawAsync(Request(settings, ("ClientId", clientId), ("TermsName", termsName)), cancellationToken);

    public async Task UpdateTermsAsync(string termsId, string termsName, JsonObject settings, CancellationToken cancellationToken) =>
        await client.UpdateTermsRawAsync(Request(settings, ("TermsId", termsId), ("TermsName", termsName)), cancellationToken);

    public Task DeleteTermsAsync(string termsId, CancellationToken cancellationToken) => client.DeleteTermsAsync(userPoolId, termsId, cancellationToken);

    public async Task SetLogDeliveryAsync(JsonObject keyed, CancellationToken cancellationToken) =>
        await client.SetLogDeliveryConfigurationRawAsync(new JsonObject { ["UserPoolId"] = userPoolId, ["LogConfigurations"] = ClientAttachments.LogConfigurations(keyed) }, cancellationToken);

    public async Task SetRiskAsync(string? clientId, JsonObject settings, CancellationToken cancellationToken) =>
        await client.SetRiskConfigurationRawAsync(clientId is null ? Request(settings) : Request(settings, ("ClientId", clientId)), cancellationToken);

    /// <summary>
    /// Adds the sections of <paramref name="read"/> that belong to clients or to the pool's logging and threat
    /// protection. Clients are listed (names and ids only) to name what belongs to them; a name two clients share names
    /// nothing. A section the endpoint does not serve, or a pool whose plan has no threat protection, reads as not read.
    /// </summary>
    private async Task<PoolConfiguration> ReadAttachmentsAsync(PoolConfiguration configuration, ConfigurationSections read, CancellationToken cancellationToken)
    {
        bool Has(ConfigurationSections section) => (read & section) == section;
        if (!Has(ConfigurationSections.Branding) && !Has(ConfigurationSections.LogDelivery) && !Has(ConfigurationSections.Risk))
        {
            return configuration;
        }

        var names = await ClientNamesAsync(cancellationToken);
        configuration = configuration with { ClientIds = names.ToImmutableSortedDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal) };
        if (Has(ConfigurationSections.Branding))
        {
            var brandings = new List<(string, string?, JsonObject, string?)>();
            foreach (var clientId in names.Keys)
            {
                if (await Optional(() => client.DescribeManagedLoginBrandingByClientRawAsync(userPoolId, clientId, cancellationToken)) is { Count: > 0 } branding)
                {
                    brandings.Add((clientId, (string?)branding["ManagedLoginBrandingId"], ClientAttachments.Branding(branding), null));
                }
            }

            var terms = new List<(string, string?, JsonObject, string?)>();
            await Optional(async () =>
            {
                await foreach (var listed in client.ListTermsAsync(userPoolId, cancellationToken))
                {
                    var described = await client.DescribeTermsRawAsync(userPoolId, (string?)listed["TermsId"] ?? string.Empty, cancellationToken);
                    terms.Add(((string?)described["ClientId"] ?? string.Empty, (string?)described["TermsId"], ClientAttachments.Terms(described), (string?)described["TermsName"] ?? string.Empty));
                }

                return new JsonObject();
            });
            configuration = configuration with { Brandings = ClientAttachments.ByClient(brandings, names), Terms = ClientAttachments.ByClient(terms, names) };
        }

        if (Has(ConfigurationSections.LogDelivery) && await Served(() => client.GetLogDeliveryConfigurationRawAsync(userPoolId, cancellationToken)) is { } logDelivery)
        {
            configuration = configuration with { LogDelivery = ClientAttachments.LogDelivery(logDelivery) };
        }

        if (Has(ConfigurationSections.Risk) && await Protected(() => client.DescribeRiskConfigurationRawAsync(userPoolId, null, cancellationToken)) is { } risk)
        {
            var risks = new List<(string, string?, JsonObject, string?)>();
            foreach (var clientId in names.Keys)
            {
                // A client without a configuration of its own is answered with the pool's.
                if (await Protected(() => client.DescribeRiskConfigurationRawAsync(userPoolId, clientId, cancellationToken)) is { } own && (string?)own["ClientId"] == clientId)
                {
                    risks.Add((clientId, null, ClientAttachments.Risk(own), null));
                }
            }

            configuration = configuration with { Risk = ClientAttachments.Risk(risk), ClientRisks = ClientAttachments.ByClient(risks, names) };
        }

        return configuration;
    }

    /// <summary>Client id → name, for the clients whose name is unique in the pool.</summary>
    private async Task<Dictionary<string, string>> ClientNamesAsync(CancellationToken cancellationToken)
    {
        var listed = new List<(string Id, string Name)>();
        await foreach (var description in client.ListUserPoolClientsAsync(userPoolId, cancellationToken))
        {
            listed.Add((description.ClientId ?? string.Empty, description.ClientName ?? string.Empty));
        }

        return listed.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() == 1).ToDictionary(g => g.Single().Id, g => g.Key, StringComparer.Ordinal);
    }

    /// <summary>An object that may not exist (a client without a branding style of its own): null when Cognito says it does not.</summary>
    private static async Task<JsonObject?> Optional(Func<Task<JsonObject>> read)
    {
        try
        {
            return await Served(read);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Threat protection's configuration: null where the endpoint does not serve it or the pool's plan has none.</summary>
    private static async Task<JsonObject?> Protected(Func<Task<JsonObject>> read)
    {
        try
        {
            return await Served(read);
        }
        catch (CognitoException e) when (e.ErrorCode is "FeatureUnavailableInTierException" or "UserPoolAddOnNotEnabledException")
        {
            return null;
        }
    }

    /// <summary>
    /// A branding request whose style is whole: Cognito's own values, or the settings and every asset (an empty list
    /// clears the target's assets, which Update would otherwise keep).
    /// </summary>
    private JsonObject BrandingRequest(JsonObject settings, string idMember, string id)
    {
        var request = Request(settings, (idMember, id));
        if (request["UseCognitoProvidedValues"] is JsonValue flag && flag.TryGetValue<bool>(out var useCognito) && useCognito)
        {
            request.Remove("Settings");
            request.Remove("Assets");
        }
        else
        {
            request["Assets"] ??= new JsonArray();
        }

        return request;
    }

    private JsonObject Request(JsonObject settings, params (string Name, string Value)[] ids)
    {
        var request = (JsonObject)settings.DeepClone();
        request["UserPoolId"] = userPoolId;
        foreach (var (name, value) in ids)
        {
            request[name] = value;
        }

        return request;
    }
}
