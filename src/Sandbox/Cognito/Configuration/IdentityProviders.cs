using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Create/Describe/Update/Delete/ListIdentityProviders and GetIdentityProviderByIdentifier (cognito-local has none).
/// Provider details are checked for the keys each provider type needs (a SAML provider has a MetadataURL or a
/// MetadataFile), attribute mappings must name attributes the pool has, identifiers are unique in the pool. Cognito
/// also reads a SAML provider's metadata and an OIDC issuer's discovery document and adds what it found to the
/// details; the sandbox has no network and stores the details as given.
/// </summary>
internal sealed partial class IdentityProviders(ConfigurationContext context)
{
    private const int ListPageLimit = 60;

    private static readonly Dictionary<string, string[]> RequiredDetails = new(StringComparer.Ordinal)
    {
        ["SAML"] = [],
        ["OIDC"] = ["client_id", "authorize_scopes", "oidc_issuer"],
        ["Google"] = ["client_id", "client_secret", "authorize_scopes"],
        ["Facebook"] = ["client_id", "client_secret", "authorize_scopes"],
        ["LoginWithAmazon"] = ["client_id", "client_secret", "authorize_scopes"],
        ["SignInWithApple"] = ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
    };

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("CreateIdentityProvider", CreateAsync),
        new("DescribeIdentityProvider", DescribeAsync),
        new("UpdateIdentityProvider", UpdateAsync),
        new("DeleteIdentityProvider", DeleteAsync),
        new("ListIdentityProviders", ListAsync),
        new("GetIdentityProviderByIdentifier", ByIdentifierAsync),
    ];

    private async Task<JsonObject> CreateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var name = Requests.Required(body, "ProviderName", 32, NamePattern());
        var type = Requests.OneOf(body, "ProviderType", [.. RequiredDetails.Keys]) ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'providerType' failed to satisfy constraint: Member must not be null");
        var details = Requests.StringMap(body, "ProviderDetails") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'providerDetails' failed to satisfy constraint: Member must not be null");
        CheckDetails(type, details);
        var mapping = await MappingAsync(body, userPoolId, cancellationToken);
        var now = context.Now();
        var provider = new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["ProviderName"] = name,
            ["ProviderType"] = type,
            ["ProviderDetails"] = details,
            ["AttributeMapping"] = mapping ?? [],
            ["IdpIdentifiers"] = Identifiers(body) ?? [],
        };
        if (Requests.StringMap(body, "AcrMapping") is { } acr)
        {
            provider["AcrMapping"] = acr;
        }

        provider["LastModifiedDate"] = now;
        provider["CreationDate"] = now.DeepClone();
        context.Store.Change(root =>
        {
            var providers = Providers(root, userPoolId);
            if (providers[name] is not null)
            {
                throw new CognitoFault("DuplicateProviderException", $"A provider with the name {name} already exists in this user pool.");
            }

            CheckIdentifiersFree(providers, name, provider["IdpIdentifiers"]!.AsArray());
            providers[name] = provider.DeepClone();
            return true;
        });
        return new JsonObject { ["IdentityProvider"] = provider };
    }

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var name = Requests.Required(body, "ProviderName", 32);
        return new JsonObject { ["IdentityProvider"] = Get(userPoolId, name) };
    }

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var name = Requests.Required(body, "ProviderName", 32);
        var details = Requests.StringMap(body, "ProviderDetails");
        var mapping = await MappingAsync(body, userPoolId, cancellationToken);
        var identifiers = Identifiers(body);
        var acr = Requests.StringMap(body, "AcrMapping");
        var updated = context.Store.Change(root =>
        {
            var providers = Providers(root, userPoolId);
            var provider = providers[name] as JsonObject ?? throw CognitoFault.NotFound($"Identity provider {name} does not exist.");

            // Every check before the first change: a refused update changes nothing.
            if (details is not null)
            {
                CheckDetails(provider["ProviderType"]!.GetValue<string>(), details);
            }

            if (identifiers is not null)
            {
                CheckIdentifiersFree(providers, name, identifiers);
            }

            if (details is not null)
            {
                provider["ProviderDetails"] = details;
            }

            if (mapping is not null)
            {
                provider["AttributeMapping"] = mapping;
            }

            if (identifiers is not null)
            {
                provider["IdpIdentifiers"] = identifiers;
            }

            if (acr is not null)
            {
                provider["AcrMapping"] = acr;
            }

            provider["LastModifiedDate"] = context.Now();
            return provider.DeepClone();
        });
        return new JsonObject { ["IdentityProvider"] = updated };
    }

    private async Task<JsonObject> DeleteAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var name = Requests.Required(body, "ProviderName", 32);
        context.Store.Change(root => Providers(root, userPoolId).Remove(name)
            ? true
            : throw CognitoFault.NotFound($"Identity provider {name} does not exist."));
        return [];
    }

    private async Task<JsonObject> ListAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var all = context.Store.Read(root => Providers(root, userPoolId).Select(p => (JsonObject)p.Value!).Select(p => new JsonObject
        {
            ["ProviderName"] = p["ProviderName"]!.DeepClone(),
            ["ProviderType"] = p["ProviderType"]!.DeepClone(),
            ["LastModifiedDate"] = p["LastModifiedDate"]!.DeepClone(),
            ["CreationDate"] = p["CreationDate"]!.DeepClone(),
        }).ToList());
        var (page, next) = Requests.Page(body, all, p => p["ProviderName"]!.GetValue<string>(), "MaxResults", ListPageLimit);
        var result = new JsonObject { ["Providers"] = new JsonArray([.. page]) };
        if (next is not null)
        {
            result["NextToken"] = next;
        }

        return result;
    }

    private async Task<JsonObject> ByIdentifierAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var identifier = Requests.Required(body, "IdpIdentifier", 40);
        var provider = context.Store.Read(root => Providers(root, userPoolId)
            .Select(p => p.Value)
            .FirstOrDefault(p => (p?["IdpIdentifiers"] as JsonArray ?? []).Any(i => i?.GetValue<string>() == identifier))?.DeepClone());
        return new JsonObject { ["IdentityProvider"] = provider ?? throw CognitoFault.NotFound($"Identity provider with identifier {identifier} does not exist.") };
    }

    private JsonNode Get(string userPoolId, string name) =>
        context.Store.Read(root => Providers(root, userPoolId)[name]?.DeepClone()) ?? throw CognitoFault.NotFound($"Identity provider {name} does not exist.");

    private static void CheckDetails(string type, JsonObject details)
    {
        if (type == "SAML" && (details["MetadataURL"] is null) == (details["MetadataFile"] is null))
        {
            throw CognitoFault.Invalid("A SAML identity provider needs exactly one of MetadataURL and MetadataFile in ProviderDetails.");
        }

        if (RequiredDetails[type].FirstOrDefault(key => details[key] is null) is { } missing)
        {
            throw CognitoFault.Invalid($"ProviderDetails of a {type} identity provider must contain {missing}.");
        }

        if (type == "OIDC" && details["attributes_request_method"] is { } method && method.GetValue<string>() is not ("GET" or "POST"))
        {
            throw CognitoFault.Invalid("attributes_request_method must be GET or POST.");
        }
    }

    private async Task<JsonObject?> MappingAsync(JsonObject body, string userPoolId, CancellationToken cancellationToken)
    {
        if (Requests.StringMap(body, "AttributeMapping") is not { } mapping)
        {
            return null;
        }

        var pool = await context.DescribePoolAsync(userPoolId, cancellationToken);
        var attributes = (pool["SchemaAttributes"] as JsonArray ?? []).Select(a => a?["Name"]?.GetValue<string>()).OfType<string>().Append("username").ToHashSet(StringComparer.Ordinal);
        if (mapping.Select(m => m.Key).FirstOrDefault(key => !attributes.Contains(key)) is { } unknown)
        {
            throw CognitoFault.Invalid($"Invalid attribute mapping: the user pool has no attribute {unknown}.");
        }

        return mapping;
    }

    private static JsonArray? Identifiers(JsonObject body)
    {
        if (Requests.Strings(body, "IdpIdentifiers", 50) is not { } identifiers)
        {
            return null;
        }

        if (identifiers.FirstOrDefault(i => i.Length is 0 or > 40 || !IdentifierPattern().IsMatch(i)) is { } wrong)
        {
            throw CognitoFault.Invalid($"Invalid IdP identifier: {wrong}");
        }

        return [.. identifiers.Select(i => (JsonNode)JsonValue.Create(i))];
    }

    private static void CheckIdentifiersFree(JsonObject providers, string name, JsonArray identifiers)
    {
        foreach (var (other, provider) in providers.Where(p => p.Key != name))
        {
            if (identifiers.Select(i => i!.GetValue<string>()).FirstOrDefault(i => (provider?["IdpIdentifiers"] as JsonArray ?? []).Any(o => o?.GetValue<string>() == i)) is { } taken)
            {
                throw CognitoFault.Invalid($"The IdP identifier {taken} is already used by the identity provider {other}.");
            }
        }
    }

    private static JsonObject Providers(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "identityProviders");

    [GeneratedRegex(@"^[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\w\s+=.@-]+$")]
    private static partial Regex IdentifierPattern();
}
