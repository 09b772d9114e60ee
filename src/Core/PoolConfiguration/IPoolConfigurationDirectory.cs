using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>The parts of a pool's configuration a read covers (all of them, unless a pool cannot serve some: an emulator).</summary>
[Flags]
public enum ConfigurationSections
{
    None = 0,
    Pool = 1,
    Schema = 2,
    Mfa = 4,
    Domain = 8,
    Ui = 16,
    Clients = 32,
    ResourceServers = 64,
    IdentityProviders = 128,

    /// <summary>Managed login branding and terms of each app client.</summary>
    Branding = 256,

    /// <summary>The pool's log delivery configuration.</summary>
    LogDelivery = 512,

    /// <summary>Risk configuration (threat protection), pool-wide and per app client.</summary>
    Risk = 1024,
    All = Pool | Schema | Mfa | Domain | Ui | Clients | ResourceServers | IdentityProviders | Branding | LogDelivery | Risk,
}

/// <summary>
/// A pool's configuration (the port configuration replication reads and writes through): read whole as a
/// <see cref="PoolConfiguration"/> with secrets as fingerprints, and written one whole object at a time with requests
/// <see cref="Cognito.ConfigurationRequests"/> builds. Secret values leave it only through
/// <see cref="ReadClientSecretsAsync"/>, to be copied, never kept.
/// </summary>
public interface IPoolConfigurationDirectory
{
    string UserPoolId { get; }

    string Region { get; }

    /// <summary>The parts this pool is read for.</summary>
    ConfigurationSections Sections { get; }

    Task<PoolConfiguration> ReadAsync(SecretFingerprinter fingerprinter, CancellationToken cancellationToken);

    /// <summary>
    /// Reads only <paramref name="sections"/> (of <see cref="Sections"/>): what a configuration hint needs, a few calls
    /// instead of the whole pool. The others read as empty, the same way in both pools. By default the whole read.
    /// </summary>
    Task<PoolConfiguration> ReadAsync(SecretFingerprinter fingerprinter, ConfigurationSections sections, CancellationToken cancellationToken) =>
        ReadAsync(fingerprinter, cancellationToken);

    /// <summary>
    /// Reads only the app clients with these ids (each described, with its secrets): what a client hint needs when the
    /// client mapping names both sides. An id the pool does not have is left out; nothing else is read. By default the
    /// <see cref="ConfigurationSections.Clients"/> read, narrowed to the ids.
    /// </summary>
    async Task<PoolConfiguration> ReadClientsAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(fingerprinter, ConfigurationSections.Clients, cancellationToken);
        return read with { Settings = [], Clients = read.Clients.RemoveRange(read.Clients.Where(c => !clientIds.Contains(c.Value.ClientId)).Select(c => c.Key)), DuplicateClientNames = [] };
    }

    /// <summary>
    /// Reads only the app clients with these names: the pool's clients are listed (names and ids), and only those of
    /// the names are described. A name two clients hold is in <see cref="PoolConfiguration.DuplicateClientNames"/>, as
    /// in a whole read. By default the <see cref="ConfigurationSections.Clients"/> read, narrowed to the names.
    /// </summary>
    async Task<PoolConfiguration> ReadClientsNamedAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(fingerprinter, ConfigurationSections.Clients, cancellationToken);
        return read with
        {
            Settings = [],
            Clients = read.Clients.RemoveRange(read.Clients.Keys.Where(n => !names.Contains(n))),
            DuplicateClientNames = [.. read.DuplicateClientNames.Where(names.Contains)],
        };
    }

    /// <summary>The values of the client's secrets that can be read (Describe's, or the Secrets Manager secret's). Never log or store them.</summary>
    Task<IReadOnlyList<string>> ReadClientSecretsAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>AddCustomAttributes (SchemaAttributeType objects, names without <c>custom:</c>).</summary>
    Task AddCustomAttributesAsync(JsonArray attributes, CancellationToken cancellationToken);

    Task CreateResourceServerAsync(JsonObject request, CancellationToken cancellationToken);

    Task UpdateResourceServerAsync(JsonObject request, CancellationToken cancellationToken);

    Task DeleteResourceServerAsync(string identifier, CancellationToken cancellationToken);

    Task CreateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken);

    Task UpdateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken);

    Task DeleteIdentityProviderAsync(string providerName, CancellationToken cancellationToken);

    /// <summary>CreateUserPoolClient; the new client's id.</summary>
    Task<string> CreateClientAsync(JsonObject request, CancellationToken cancellationToken);

    Task UpdateClientAsync(JsonObject request, CancellationToken cancellationToken);

    Task DeleteClientAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>AddUserPoolClientSecret with this value (a second active secret); the new secret's id, when the pool gives one.</summary>
    Task<string?> AddClientSecretAsync(string clientId, string secret, CancellationToken cancellationToken);

    Task DeleteClientSecretAsync(string clientId, string secretId, CancellationToken cancellationToken);

    Task UpdatePoolAsync(JsonObject request, CancellationToken cancellationToken);

    Task SetMfaConfigAsync(JsonObject request, CancellationToken cancellationToken);

    Task CreateDomainAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>SetUICustomization of the pool (no client) with this CSS.</summary>
    Task SetUiCssAsync(string? css, CancellationToken cancellationToken);

    // Branding, terms, log delivery and risk: a directory that does not serve them (a test double of an older kind)
    // refuses with NotSupportedException, and is read without those sections.

    /// <summary>CreateManagedLoginBranding for the client with these settings (<see cref="ClientAttachments.Branding"/>).</summary>
    Task CreateBrandingAsync(string clientId, JsonObject settings, CancellationToken cancellationToken) => throw new NotSupportedException("CreateManagedLoginBranding");

    /// <summary>UpdateManagedLoginBranding of the style with these settings, whole.</summary>
    Task UpdateBrandingAsync(string managedLoginBrandingId, JsonObject settings, CancellationToken cancellationToken) => throw new NotSupportedException("UpdateManagedLoginBranding");

    Task DeleteBrandingAsync(string managedLoginBrandingId, CancellationToken cancellationToken) => throw new NotSupportedException("DeleteManagedLoginBranding");

    /// <summary>CreateTerms for the client under this name with these settings (<see cref="ClientAttachments.Terms"/>).</summary>
    Task CreateTermsAsync(string clientId, string termsName, JsonObject settings, CancellationToken cancellationToken) => throw new NotSupportedException("CreateTerms");

    /// <summary>UpdateTerms of the document with these settings, whole.</summary>
    Task UpdateTermsAsync(string termsId, string termsName, JsonObject settings, CancellationToken cancellationToken) => throw new NotSupportedException("UpdateTerms");

    Task DeleteTermsAsync(string termsId, CancellationToken cancellationToken) => throw new NotSupportedException("DeleteTerms");

    /// <summary>SetLogDeliveryConfiguration with the model's keyed configurations (<see cref="ClientAttachments.LogDelivery"/>), whole.</summary>
    Task SetLogDeliveryAsync(JsonObject keyed, CancellationToken cancellationToken) => throw new NotSupportedException("SetLogDeliveryConfiguration");

    /// <summary>SetRiskConfiguration of the pool (<paramref name="clientId"/> null) or one client, whole; empty settings clear a client's own.</summary>
    Task SetRiskAsync(string? clientId, JsonObject settings, CancellationToken cancellationToken) => throw new NotSupportedException("SetRiskConfiguration");
}
