using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>
/// A pool's configuration in memory, behaving as Cognito does where apply relies on it: Update replaces the whole
/// object, a client holds at most two secrets, a custom secret added later cannot be read back. Records every write
/// in order, and refuses the operations it is told to.
/// </summary>
internal sealed class InMemoryConfigurationPool(string poolId, string region) : IPoolConfigurationDirectory
{
    private int _next;

    public string UserPoolId => poolId;

    public string Region => region;

    public ConfigurationSections Sections => ConfigurationSections.All;

    public JsonObject Pool { get; set; } = new() { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 8 } } };

    public List<JsonObject> Schema { get; } = [];

    public JsonObject Mfa { get; set; } = new() { ["MfaConfiguration"] = "OFF" };

    public string? Domain { get; set; }

    public string? Css { get; set; }

    /// <summary>Clients by id: settings as Describe returns them (without the secret), and secrets (id, value, readable).</summary>
    public Dictionary<string, (JsonObject Settings, List<(string Id, string Value, bool Readable)> Secrets)> Clients { get; } = [];

    public Dictionary<string, JsonObject> ResourceServers { get; } = [];

    public Dictionary<string, JsonObject> IdentityProviders { get; } = [];

    public List<string> Writes { get; } = [];

    /// <summary>Operation → the error it answers with.</summary>
    public Dictionary<string, CognitoException> Refuse { get; } = [];

    public string AddClient(JsonObject settings, params string[] secrets)
    {
        var id = $"{poolId}-client-{++_next}";
        settings["ClientId"] = id;
        Clients[id] = (settings, [.. secrets.Select(s => (NewId(), s, true))]);
        return id;
    }

    /// <summary>How many times the pool was read.</summary>
    public int Reads { get; private set; }

    /// <summary>Called after every read with the count so far (a test's signal).</summary>
    public Action<int>? AfterRead { get; set; }

    /// <summary>The Cognito calls the reads so far would have made, in order (ListUserPoolClients, DescribeUserPoolClient, …).</summary>
    public List<string> Calls { get; } = [];

    public Task<PoolConfiguration> ReadAsync(SecretFingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        Reads++;
        AfterRead?.Invoke(Reads);
        Calls.AddRange(["DescribeUserPool", "GetUserPoolMfaConfig", "ListUserPoolClients"]);
        var described = (JsonObject)Pool.DeepClone();
        described["Id"] = poolId;
        described["SchemaAttributes"] = new JsonArray([.. Schema.Select(a => a.DeepClone())]);
        if (Domain is not null)
        {
            described["Domain"] = Domain;
        }

        var configuration = PoolConfiguration.Assemble(region, described, Mfa, Described(Clients.Keys, fingerprinter), ResourceServers.Values, IdentityProviders.Values, Css);
        // As the Cognito directory names them: only the clients whose name is unique in the pool.
        var names = Clients.ToDictionary(c => c.Key, c => (string?)c.Value.Settings["ClientName"] ?? string.Empty)
            .GroupBy(c => c.Value).Where(g => g.Count() == 1).Select(g => g.Single()).ToDictionary();
        return Task.FromResult(configuration with
        {
            ClientIds = names.ToImmutableSortedDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal),
            Brandings = ClientAttachments.ByClient(Brandings.Select(b => (b.Value.ClientId, (string?)b.Key, b.Value.Settings, (string?)null)), names),
            Terms = ClientAttachments.ByClient(Terms.Select(t => (t.Value.ClientId, (string?)t.Key, t.Value.Settings, (string?)t.Value.Name)), names),
            ClientRisks = ClientAttachments.ByClient(ClientRisks.Select(r => (r.Key, (string?)null, r.Value, (string?)null)), names),
            LogDelivery = (JsonObject)LogDelivery.DeepClone(),
            Risk = (JsonObject)Risk.DeepClone(),
        });
    }

    public Task<PoolConfiguration> ReadClientsAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        Reads++;
        AfterRead?.Invoke(Reads);
        Calls.AddRange(clientIds.Where(id => !Clients.ContainsKey(id)).Select(_ => "DescribeUserPoolClient"));
        return Task.FromResult(ClientsOnly(Described([.. clientIds.Where(Clients.ContainsKey)], fingerprinter)));
    }

    public Task<PoolConfiguration> ReadClientsNamedAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        Reads++;
        AfterRead?.Invoke(Reads);
        Calls.Add("ListUserPoolClients");
        var ids = Clients.Where(c => names.Contains((string?)c.Value.Settings["ClientName"] ?? string.Empty)).Select(c => c.Key).ToList();
        return Task.FromResult(ClientsOnly(Described(ids, fingerprinter)));
    }

    private PoolConfiguration ClientsOnly(IEnumerable<(JsonObject, ImmutableArray<ClientSecretState>)> clients) =>
        PoolConfiguration.Assemble(region, new JsonObject { ["Id"] = poolId }, null, clients, [], []) with { Settings = [] };

    /// <summary>Describe + ListUserPoolClientSecrets of each client, as the Cognito directory reads them.</summary>
    private List<(JsonObject, ImmutableArray<ClientSecretState>)> Described(IEnumerable<string> ids, SecretFingerprinter fingerprinter)
    {
        var described = new List<(JsonObject, ImmutableArray<ClientSecretState>)>();
        foreach (var id in ids.ToList())
        {
            Calls.AddRange(["DescribeUserPoolClient", "ListUserPoolClientSecrets"]);
            var client = Clients[id];
            described.Add(((JsonObject)client.Settings.DeepClone(), client.Secrets
                .Select((s, i) => new ClientSecretState(s.Id, DateTimeOffset.UnixEpoch.AddDays(i), s.Readable ? fingerprinter.Of(s.Value) : null))
                .ToImmutableArray()));
        }

        return described;
    }

    /// <summary>Managed login branding styles by id: the client they belong to and their settings.</summary>
    public Dictionary<string, (string ClientId, JsonObject Settings)> Brandings { get; } = [];

    /// <summary>Terms documents by id.</summary>
    public Dictionary<string, (string ClientId, string Name, JsonObject Settings)> Terms { get; } = [];

    /// <summary>Client risk configurations by client id.</summary>
    public Dictionary<string, JsonObject> ClientRisks { get; } = [];

    /// <summary>Log delivery, keyed by event source.</summary>
    public JsonObject LogDelivery { get; set; } = [];

    public JsonObject Risk { get; set; } = [];

    public Task CreateBrandingAsync(string clientId, JsonObject settings, CancellationToken cancellationToken) => Write("CreateManagedLoginBranding", () => Brandings.Add(NewId(), (clientId, Strip(settings))));

    public Task UpdateBrandingAsync(string managedLoginBrandingId, JsonObject settings, CancellationToken cancellationToken) => Write("UpdateManagedLoginBranding", () =>
        Brandings[managedLoginBrandingId] = (Brandings[managedLoginBrandingId].ClientId, Strip(settings)));

    public Task DeleteBrandingAsync(string managedLoginBrandingId, CancellationToken cancellationToken) => Write("DeleteManagedLoginBranding", () => Brandings.Remove(managedLoginBrandingId));

    public Task CreateTermsAsync(string clientId, string termsName, JsonObject settings, CancellationToken cancellationToken) => Write("CreateTerms", () => Terms.Add(NewId(), (clientId, termsName, Strip(settings))));

    public Task UpdateTermsAsync(string termsId, string termsName, JsonObject settings, CancellationToken cancellationToken) => Write("UpdateTerms", () =>
        Terms[termsId] = (Terms[termsId].ClientId, termsName, Strip(settings)));

    public Task DeleteTermsAsync(string termsId, CancellationToken cancellationToken) => Write("DeleteTerms", () => Terms.Remove(termsId));

    public Task SetLogDeliveryAsync(JsonObject keyed, CancellationToken cancellationToken) => Write("SetLogDeliveryConfiguration", () => LogDelivery = Strip(keyed));

    public Task SetRiskAsync(string? clientId, JsonObject settings, CancellationToken cancellationToken) => Write("SetRiskConfiguration", () =>
    {
        if (clientId is null)
        {
            Risk = Strip(settings);
        }
        else if (settings.Count == 0)
        {
            ClientRisks.Remove(clientId);
        }
        else
        {
            ClientRisks[clientId] = Strip(settings);
        }
    });

    public Task<IReadOnlyList<string>> ReadClientSecretsAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. Clients[clientId].Secrets.Where(s => s.Readable).Select(s => s.Value)]);

    public Task AddCustomAttributesAsync(JsonArray attributes, CancellationToken cancellationToken) => Write("AddCustomAttributes", () =>
        Schema.AddRange(attributes.OfType<JsonObject>().Select(a => new JsonObject { ["Name"] = "custom:" + (string?)a["Name"], ["AttributeDataType"] = a["AttributeDataType"]?.DeepClone() })));

    public Task CreateResourceServerAsync(JsonObject request, CancellationToken cancellationToken) => Write("CreateResourceServer", () => ResourceServers.Add((string)request["Identifier"]!, Strip(request)));

    public Task UpdateResourceServerAsync(JsonObject request, CancellationToken cancellationToken) => Write("UpdateResourceServer", () => ResourceServers[(string)request["Identifier"]!] = Strip(request));

    public Task DeleteResourceServerAsync(string identifier, CancellationToken cancellationToken) => Write("DeleteResourceServer", () => ResourceServers.Remove(identifier));

    public Task CreateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken) => Write("CreateIdentityProvider", () => IdentityProviders.Add((string)request["ProviderName"]!, Strip(request)));

    public Task UpdateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken) => Write("UpdateIdentityProvider", () =>
    {
        var updated = Strip(request);
        updated["ProviderType"] = IdentityProviders[(string)request["ProviderName"]!]["ProviderType"]?.DeepClone();
        IdentityProviders[(string)request["ProviderName"]!] = updated;
    });

    public Task DeleteIdentityProviderAsync(string providerName, CancellationToken cancellationToken) => Write("DeleteIdentityProvider", () => IdentityProviders.Remove(providerName));

    public async Task<string> CreateClientAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (request["ClientSecret"] is not null && request["GenerateSecret"]?.GetValue<bool>() == true)
        {
            // As Cognito (and the sandbox) answer.
            throw CognitoErrors.Create("InvalidParameterException", "You cannot specify both GenerateSecret as true and provide a ClientSecret value.");
        }

        var id = string.Empty;
        await Write("CreateUserPoolClient", () =>
        {
            var settings = Strip(request);
            var secret = (string?)settings["ClientSecret"] ?? (settings["GenerateSecret"]?.GetValue<bool>() == true ? NewId() : null);
            settings.Remove("ClientSecret");
            settings.Remove("GenerateSecret");
            id = secret is null ? AddClient(settings) : AddClient(settings, secret);
        });
        return id;
    }

    public Task UpdateClientAsync(JsonObject request, CancellationToken cancellationToken) => Write("UpdateUserPoolClient", () =>
    {
        var id = (string)request["ClientId"]!;
        Clients[id] = (Strip(request), Clients[id].Secrets);
        Clients[id].Settings["ClientId"] = id;
    });

    public Task DeleteClientAsync(string clientId, CancellationToken cancellationToken) => Write("DeleteUserPoolClient", () => Clients.Remove(clientId));

    public async Task<string?> AddClientSecretAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var id = NewId();
        await Write("AddUserPoolClientSecret", () =>
        {
            if (Clients[clientId].Secrets.Count >= 2)
            {
                throw CognitoErrors.Create("LimitExceededException", "A client can have at most two secrets");
            }

            // Cognito never returns a secret added later: only the client's first is readable.
            Clients[clientId].Secrets.Add((id, secret, Clients[clientId].Secrets.Count == 0));
        });
        return id;
    }

    public Task DeleteClientSecretAsync(string clientId, string secretId, CancellationToken cancellationToken) => Write("DeleteUserPoolClientSecret", () =>
    {
        var secrets = Clients[clientId].Secrets;
        secrets.RemoveAll(s => s.Id == secretId);
        if (secrets.Count > 0 && !secrets[0].Readable)
        {
            secrets[0] = (secrets[0].Id, secrets[0].Value, true);
        }
    });

    public Task UpdatePoolAsync(JsonObject request, CancellationToken cancellationToken) => Write("UpdateUserPool", () =>
    {
        Pool = Strip(request);
        Pool.Remove("PoolName");
    });

    public Task SetMfaConfigAsync(JsonObject request, CancellationToken cancellationToken) => Write("SetUserPoolMfaConfig", () => Mfa = Strip(request));

    public Task CreateDomainAsync(string prefix, CancellationToken cancellationToken) => Write("CreateUserPoolDomain", () => Domain = prefix);

    public Task SetUiCssAsync(string? css, CancellationToken cancellationToken) => Write("SetUICustomization", () => Css = css);

    private static JsonObject Strip(JsonObject request)
    {
        var copy = (JsonObject)request.DeepClone();
        copy.Remove("UserPoolId");
        return copy;
    }

    private string NewId() => (++_next).ToString(CultureInfo.InvariantCulture);

    private Task Write(string operation, Action write)
    {
        if (Refuse.TryGetValue(operation, out var error))
        {
            throw error;
        }

        write();
        Writes.Add(operation);
        return Task.CompletedTask;
    }
}

/// <summary>Client mappings in memory.</summary>
internal sealed class InMemoryClientMappings : IClientMappingStore
{
    public Dictionary<(string Pool, string Name), ClientMapping> Items { get; } = [];

    public Task PutAsync(ClientMapping mapping, CancellationToken cancellationToken)
    {
        Items[(mapping.TargetPoolId, mapping.Name)] = mapping;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ClientMapping>> ListAsync(string targetPoolId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClientMapping>>([.. Items.Values.Where(m => m.TargetPoolId == targetPoolId)]);

    public Task DeleteAsync(string targetPoolId, string name, CancellationToken cancellationToken)
    {
        Items.Remove((targetPoolId, name));
        return Task.CompletedTask;
    }
}
