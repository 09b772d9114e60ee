using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// The pool-configuration operations (app clients and their secrets, resource servers, identity providers, MFA
/// configuration, schema, domain, UI customization, managed login branding, terms, tags). They work on whole JSON
/// objects, as <see cref="DescribeUserPoolRawAsync"/> does: Cognito's Update operations reset what they are not
/// given, so a read-modify-write must send back every member it read, including members newer than this code. Build
/// the requests with <see cref="ConfigurationRequests"/>. Each call goes through the <see cref="ICognitoCallPolicy"/>
/// under its operation name, so it is paced in the quota category Cognito meters it in (<see cref="Quotas.CognitoQuotas"/>).
/// </summary>
public sealed partial class CognitoIdentityProviderClient
{
    private static readonly CognitoConfigurationJsonContext ConfigJson = CognitoConfigurationJsonContext.Default;

    /// <summary>Any operation of the API with a raw JSON request and reply: for the operations this client does not name.</summary>
    public async Task<JsonObject> SendRawAsync(string operation, JsonObject request, CancellationToken cancellationToken = default) =>
        (await Call(operation, request, Json.JsonObject, ConfigJson.RawReply, cancellationToken)).Members ?? [];

    // App clients ------------------------------------------------------------------------------------------------

    public IAsyncEnumerable<UserPoolClientDescription> ListUserPoolClientsAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        Paginate(
            null,
            (token, ct) => Call(
                "ListUserPoolClients",
                new ListUserPoolClientsRequest(userPoolId, ListUserPoolClientsRequest.PageLimit, token),
                ConfigJson.ListUserPoolClientsRequest,
                ConfigJson.ListUserPoolClientsResponse,
                ct),
            page => (page.UserPoolClients, page.NextToken),
            cancellationToken);

    /// <summary>DescribeUserPoolClient's <c>UserPoolClient</c>, whole. It holds <c>ClientSecret</c>: never log or store it.</summary>
    public async Task<JsonObject> DescribeUserPoolClientRawAsync(string userPoolId, string clientId, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId }, cancellationToken), "UserPoolClient");

    /// <summary>CreateUserPoolClient; the reply's <c>UserPoolClient</c> (with its new id, and its secret).</summary>
    public async Task<JsonObject> CreateUserPoolClientRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("CreateUserPoolClient", request, cancellationToken), "UserPoolClient");

    /// <summary>UpdateUserPoolClient. Cognito resets every setting the request leaves out.</summary>
    public async Task<JsonObject> UpdateUserPoolClientRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("UpdateUserPoolClient", request, cancellationToken), "UserPoolClient");

    public Task DeleteUserPoolClientAsync(string userPoolId, string clientId, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId }, cancellationToken);

    /// <summary>The client's secrets (at most two): ids and dates, never values.</summary>
    public async Task<IReadOnlyList<ClientSecretDescriptor>> ListUserPoolClientSecretsAsync(string userPoolId, string clientId, CancellationToken cancellationToken = default)
    {
        var secrets = new List<ClientSecretDescriptor>();
        await foreach (var secret in Paginate(
            null,
            (token, ct) => Call(
                "ListUserPoolClientSecrets",
                new ListUserPoolClientSecretsRequest(userPoolId, clientId, token),
                ConfigJson.ListUserPoolClientSecretsRequest,
                ConfigJson.ListUserPoolClientSecretsResponse,
                ct),
            page => (page.ClientSecrets, page.NextToken),
            cancellationToken))
        {
            secrets.Add(secret);
        }

        return secrets;
    }

    /// <summary>Adds a secret with the given value (a second active secret), or a generated one when <paramref name="clientSecret"/> is null.</summary>
    public async Task<ClientSecretDescriptor> AddUserPoolClientSecretAsync(string userPoolId, string clientId, string? clientSecret, CancellationToken cancellationToken = default)
    {
        var response = await Call(
            "AddUserPoolClientSecret",
            new AddUserPoolClientSecretRequest(userPoolId, clientId, clientSecret),
            ConfigJson.AddUserPoolClientSecretRequest,
            ConfigJson.AddUserPoolClientSecretResponse,
            cancellationToken);
        return response.ClientSecretDescriptor ?? new ClientSecretDescriptor();
    }

    public Task DeleteUserPoolClientSecretAsync(string userPoolId, string clientId, string clientSecretId, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteUserPoolClientSecret", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId, ["ClientSecretId"] = clientSecretId }, cancellationToken);

    // Resource servers and identity providers --------------------------------------------------------------------

    /// <summary>Every resource server, whole (ListResourceServers returns them complete).</summary>
    public IAsyncEnumerable<JsonObject> ListResourceServersAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        RawPages("ListResourceServers", userPoolId, 50, "ResourceServers", cancellationToken);

    public Task<JsonObject> CreateResourceServerRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("CreateResourceServer", request, cancellationToken);

    public Task<JsonObject> UpdateResourceServerRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("UpdateResourceServer", request, cancellationToken);

    public Task DeleteResourceServerAsync(string userPoolId, string identifier, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteResourceServer", new JsonObject { ["UserPoolId"] = userPoolId, ["Identifier"] = identifier }, cancellationToken);

    /// <summary>Every identity provider's name and type (describe each for its details).</summary>
    public IAsyncEnumerable<JsonObject> ListIdentityProvidersAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        RawPages("ListIdentityProviders", userPoolId, 60, "Providers", cancellationToken);

    /// <summary>DescribeIdentityProvider's <c>IdentityProvider</c>, whole. Its details hold the OIDC client secret: never log or store them.</summary>
    public async Task<JsonObject> DescribeIdentityProviderRawAsync(string userPoolId, string providerName, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("DescribeIdentityProvider", new JsonObject { ["UserPoolId"] = userPoolId, ["ProviderName"] = providerName }, cancellationToken), "IdentityProvider");

    public Task<JsonObject> CreateIdentityProviderRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("CreateIdentityProvider", request, cancellationToken);

    public Task<JsonObject> UpdateIdentityProviderRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("UpdateIdentityProvider", request, cancellationToken);

    public Task DeleteIdentityProviderAsync(string userPoolId, string providerName, CancellationToken cancellationToken = default) =>
        SendRawAsync("DeleteIdentityProvider", new JsonObject { ["UserPoolId"] = userPoolId, ["ProviderName"] = providerName }, cancellationToken);

    // Pool-level settings that UpdateUserPool does not carry ------------------------------------------------------

    /// <summary>GetUserPoolMfaConfig's reply, whole (SMS, TOTP, email, WebAuthn and the MFA mode).</summary>
    public Task<JsonObject> GetUserPoolMfaConfigRawAsync(string userPoolId, CancellationToken cancellationToken = default) =>
        SendRawAsync("GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = userPoolId }, cancellationToken);

    public Task<JsonObject> SetUserPoolMfaConfigRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("SetUserPoolMfaConfig", request, cancellationToken);

    /// <summary>Adds custom attributes (SchemaAttributeType objects, names without <c>custom:</c>).</summary>
    public Task AddCustomAttributesRawAsync(string userPoolId, JsonArray customAttributes, CancellationToken cancellationToken = default) =>
        SendRawAsync("AddCustomAttributes", new JsonObject { ["UserPoolId"] = userPoolId, ["CustomAttributes"] = customAttributes.DeepClone() }, cancellationToken);

    /// <summary>DescribeUserPoolDomain's <c>DomainDescription</c> (empty when the domain does not exist).</summary>
    public async Task<JsonObject> DescribeUserPoolDomainRawAsync(string domain, CancellationToken cancellationToken = default) =>
        Member(await SendRawAsync("DescribeUserPoolDomain", new JsonObject { ["Domain"] = domain }, cancellationToken), "DomainDescription");

    public Task<JsonObject> CreateUserPoolDomainRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("CreateUserPoolDomain", request, cancellationToken);

    public Task<JsonObject> UpdateUserPoolDomainRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("UpdateUserPoolDomain", request, cancellationToken);

    /// <summary>The classic hosted UI customization of the pool (<paramref name="clientId"/> null) or of one client.</summary>
    public async Task<JsonObject> GetUICustomizationRawAsync(string userPoolId, string? clientId, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["UserPoolId"] = userPoolId };
        if (clientId is not null)
        {
            request["ClientId"] = clientId;
        }

        return Member(await SendRawAsync("GetUICustomization", request, cancellationToken), "UICustomization");
    }

    public Task<JsonObject> SetUICustomizationRawAsync(JsonObject request, CancellationToken cancellationToken = default) =>
        SendRawAsync("SetUICustomization", request, cancellationToken);

    /// <summary>The managed login branding style of one client, with its assets (empty when it has none of its own).</summary>
    public async Task<JsonObject> DescribeManagedLoginBrandingByClientRawAsync(string userPoolId, string clientId, CancellationToken cancellationToken = default) =>
        Member(
            await SendRawAsync("DescribeManagedLoginBrandingByClient", new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId, ["ReturnMergedResources"] = false }, cancellationToken),
            "ManagedLoginBranding");

    // Tags ---------------------------------------------------------------------------------------------------------

    public async Task<IReadOnlyDictionary<string, string>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        var response = await SendRawAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = resourceArn }, cancellationToken);
        return (response["Tags"] as JsonObject)?.ToDictionary(t => t.Key, t => t.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        SendRawAsync("TagResource", new JsonObject { ["ResourceArn"] = resourceArn, ["Tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))) }, cancellationToken);

    public Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken = default) =>
        SendRawAsync("UntagResource", new JsonObject { ["ResourceArn"] = resourceArn, ["TagKeys"] = new JsonArray([.. tagKeys.Select(k => (JsonNode?)k)]) }, cancellationToken);

    private static JsonObject Member(JsonObject response, string name) => response[name] as JsonObject ?? [];

    private async IAsyncEnumerable<JsonObject> RawPages(string operation, string userPoolId, int pageLimit, string itemsMember, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in Paginate(
            null,
            (token, ct) =>
            {
                var request = new JsonObject { ["UserPoolId"] = userPoolId, ["MaxResults"] = pageLimit };
                if (token is not null)
                {
                    request["NextToken"] = token;
                }

                return SendRawAsync(operation, request, ct);
            },
            page => ((IReadOnlyList<JsonObject>?)(page[itemsMember] as JsonArray)?.OfType<JsonObject>().ToList(), (string?)page["NextToken"]),
            cancellationToken))
        {
            yield return item;
        }
    }
}

internal sealed record ListUserPoolClientsRequest(string UserPoolId, int? MaxResults = null, string? NextToken = null)
{
    /// <summary>The largest page ListUserPoolClients returns.</summary>
    public const int PageLimit = 60;
}

public sealed record UserPoolClientDescription(string? ClientId = null, string? UserPoolId = null, string? ClientName = null);

internal sealed record ListUserPoolClientsResponse
{
    public IReadOnlyList<UserPoolClientDescription>? UserPoolClients { get; init; }

    public string? NextToken { get; init; }
}

/// <summary>One of a client's secrets as Cognito lists it: the value only when Cognito has just generated it.</summary>
public sealed record ClientSecretDescriptor
{
    public string? ClientSecretId { get; init; }

    /// <summary>Present only in AddUserPoolClientSecret's reply for a generated secret. Never log or store it.</summary>
    public string? ClientSecretValue { get; init; }

    public DateTimeOffset? ClientSecretCreateDate { get; init; }
}

internal sealed record ListUserPoolClientSecretsRequest(string UserPoolId, string ClientId, string? NextToken = null);

internal sealed record ListUserPoolClientSecretsResponse
{
    public IReadOnlyList<ClientSecretDescriptor>? ClientSecrets { get; init; }

    public string? NextToken { get; init; }
}

internal sealed record AddUserPoolClientSecretRequest(string UserPoolId, string ClientId, string? ClientSecret = null);

internal sealed record AddUserPoolClientSecretResponse
{
    public ClientSecretDescriptor? ClientSecretDescriptor { get; init; }
}

/// <summary>Any reply, whole: every member lands in <see cref="Members"/>.</summary>
internal sealed class RawReply
{
    [JsonExtensionData]
    public JsonObject? Members { get; set; }
}

/// <summary>Source-generated serialization for the typed configuration shapes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(RawReply))]
[JsonSerializable(typeof(ListUserPoolClientsRequest))]
[JsonSerializable(typeof(ListUserPoolClientsResponse))]
[JsonSerializable(typeof(ListUserPoolClientSecretsRequest))]
[JsonSerializable(typeof(ListUserPoolClientSecretsResponse))]
[JsonSerializable(typeof(AddUserPoolClientSecretRequest))]
[JsonSerializable(typeof(AddUserPoolClientSecretResponse))]
internal sealed partial class CognitoConfigurationJsonContext : JsonSerializerContext;
