using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.SecretsManager;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// <see cref="IPoolConfigurationDirectory"/> over the Cognito user pools API, with Secrets Manager for clients that
/// publish their secret there (<c>ClientSecretArn</c>). Which secret Describe's <c>ClientSecret</c> is, when a client
/// has two: the oldest one listed (the other, a custom secret added later, cannot be read and is reported).
/// </summary>
public sealed partial class CognitoPoolConfigurationDirectory(
    CognitoIdentityProviderClient client,
    string userPoolId,
    string region,
    SecretsManagerClient? secretsManager = null,
    ConfigurationSections sections = ConfigurationSections.All) : IPoolConfigurationDirectory
{
    public string UserPoolId => userPoolId;

    public string Region => region;

    public ConfigurationSections Sections => sections;

    public Task<PoolConfiguration> ReadAsync(SecretFingerprinter fingerprinter, CancellationToken cancellationToken) =>
        ReadAsync(fingerprinter, sections, cancellationToken);

    public async Task<PoolConfiguration> ReadAsync(SecretFingerprinter fingerprinter, ConfigurationSections only, CancellationToken cancellationToken)
    {
        var read = only & sections;
        bool Has(ConfigurationSections section) => (read & section) == section;

        var described = (await client.DescribeUserPoolRawAsync(userPoolId, cancellationToken)).UserPool ?? [];
        described["Id"] = userPoolId;
        if (!Has(ConfigurationSections.Schema))
        {
            described.Remove("SchemaAttributes");
        }

        if (!Has(ConfigurationSections.Domain))
        {
            described.Remove("Domain");
            described.Remove("CustomDomain");
        }

        var mfa = Has(ConfigurationSections.Mfa) ? await Served(() => client.GetUserPoolMfaConfigRawAsync(userPoolId, cancellationToken)) : null;
        var clients = new List<(JsonObject, ImmutableArray<ClientSecretState>)>();
        if (Has(ConfigurationSections.Clients))
        {
            await foreach (var listed in client.ListUserPoolClientsAsync(userPoolId, cancellationToken))
            {
                var clientJson = await client.DescribeUserPoolClientRawAsync(userPoolId, listed.ClientId ?? string.Empty, cancellationToken);
                clients.Add((clientJson, await SecretStatesAsync(clientJson, fingerprinter, cancellationToken)));
            }
        }

        var servers = new List<JsonObject>();
        if (Has(ConfigurationSections.ResourceServers))
        {
            await Served(async () =>
            {
                await foreach (var server in client.ListResourceServersAsync(userPoolId, cancellationToken))
                {
                    servers.Add(server);
                }

                return true;
            });
        }

        var providers = new List<JsonObject>();
        if (Has(ConfigurationSections.IdentityProviders))
        {
            await Served(async () =>
            {
                await foreach (var provider in client.ListIdentityProvidersAsync(userPoolId, cancellationToken))
                {
                    providers.Add(await client.DescribeIdentityProviderRawAsync(userPoolId, (string?)provider["ProviderName"] ?? string.Empty, cancellationToken));
                }

                return true;
            });
        }

        var css = Has(ConfigurationSections.Ui) ? (string?)(await Served(() => client.GetUICustomizationRawAsync(userPoolId, null, cancellationToken)))?["CSS"] : null;
        var configuration = PoolConfiguration.Assemble(region, described, mfa, clients, servers, providers, css);
        configuration = await ReadAttachmentsAsync(configuration, read, cancellationToken);
        return Has(ConfigurationSections.Pool) ? configuration : configuration with { Settings = [] };
    }

    public async Task<PoolConfiguration> ReadClientsAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        var clients = new List<(JsonObject, ImmutableArray<ClientSecretState>)>();
        foreach (var clientId in clientIds)
        {
            if (await DescribedAsync(clientId, cancellationToken) is { } clientJson)
            {
                clients.Add((clientJson, await SecretStatesAsync(clientJson, fingerprinter, cancellationToken)));
            }
        }

        return ClientsOnly(clients);
    }

    public async Task<PoolConfiguration> ReadClientsNamedAsync(SecretFingerprinter fingerprinter, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var clients = new List<(JsonObject, ImmutableArray<ClientSecretState>)>();
        await foreach (var listed in client.ListUserPoolClientsAsync(userPoolId, cancellationToken))
        {
            if (listed.ClientName is { } name && names.Contains(name) && await DescribedAsync(listed.ClientId ?? string.Empty, cancellationToken) is { } clientJson)
            {
                clients.Add((clientJson, await SecretStatesAsync(clientJson, fingerprinter, cancellationToken)));
            }
        }

        return ClientsOnly(clients);
    }

    public async Task<IReadOnlyList<string>> ReadClientSecretsAsync(string clientId, CancellationToken cancellationToken) =>
        await SecretValueAsync(await client.DescribeUserPoolClientRawAsync(userPoolId, clientId, cancellationToken), cancellationToken) is { } value ? [value] : [];

    public Task AddCustomAttributesAsync(JsonArray attributes, CancellationToken cancellationToken) => client.AddCustomAttributesRawAsync(userPoolId, attributes, cancellationToken);

    public Task CreateResourceServerAsync(JsonObject request, CancellationToken cancellationToken) => client.CreateResourceServerRawAsync(request, cancellationToken);

    public Task UpdateResourceServerAsync(JsonObject request, CancellationToken cancellationToken) => client.UpdateResourceServerRawAsync(request, cancellationToken);

    public Task DeleteResourceServerAsync(string identifier, CancellationToken cancellationToken) => client.DeleteResourceServerAsync(userPoolId, identifier, cancellationToken);

    public Task CreateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken) => client.CreateIdentityProviderRawAsync(request, cancellationToken);

    public Task UpdateIdentityProviderAsync(JsonObject request, CancellationToken cancellationToken) => client.UpdateIdentityProviderRawAsync(request, cancellationToken);

    public Task DeleteIdentityProviderAsync(string providerName, CancellationToken cancellationToken) => client.DeleteIdentityProviderAsync(userPoolId, providerName, cancellationToken);

    public async Task<string> CreateClientAsync(JsonObject request, CancellationToken cancellationToken) =>
        (string?)(await client.CreateUserPoolClientRawAsync(request, cancellationToken))["ClientId"]
            ?? throw new CognitoException($"CreateUserPoolClient in {userPoolId} returned no client id.");

    public Task UpdateClientAsync(JsonObject request, CancellationToken cancellationToken) => client.UpdateUserPoolClientRawAsync(request, cancellationToken);

    public Task DeleteClientAsync(string clientId, CancellationToken cancellationToken) => client.DeleteUserPoolClientAsync(userPoolId, clientId, cancellationToken);

    public async Task<string?> AddClientSecretAsync(string clientId, string secret, CancellationToken cancellationToken) =>
        (await client.AddUserPoolClientSecretAsync(userPoolId, clientId, secret, cancellationToken)).ClientSecretId;

    public Task DeleteClientSecretAsync(string clientId, string secretId, CancellationToken cancellationToken) => client.DeleteUserPoolClientSecretAsync(userPoolId, clientId, secretId, cancellationToken);

    public Task UpdatePoolAsync(JsonObject request, CancellationToken cancellationToken) => client.UpdateUserPoolRawAsync(request, cancellationToken);

    public Task SetMfaConfigAsync(JsonObject request, CancellationToken cancellationToken) => client.SetUserPoolMfaConfigRawAsync(request, cancellationToken);

    public Task CreateDomainAsync(string prefix, CancellationToken cancellationToken) =>
        client.CreateUserPoolDomainRawAsync(new JsonObject { ["UserPoolId"] = userPoolId, ["Domain"] = prefix }, cancellationToken);

    public Task SetUiCssAsync(string? css, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["UserPoolId"] = userPoolId };
        if (css is not null)
        {
            request["CSS"] = css;
        }

        return client.SetUICustomizationRawAsync(request, cancellationToken);
    }

    /// <summary>DescribeUserPoolClient; null for a client deleted since it was listed (or never here): the pool has no such client.</summary>
    private async Task<JsonObject?> DescribedAsync(string clientId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.DescribeUserPoolClientRawAsync(userPoolId, clientId, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private PoolConfiguration ClientsOnly(List<(JsonObject, ImmutableArray<ClientSecretState>)> clients) =>
        PoolConfiguration.Assemble(region, new JsonObject { ["Id"] = userPoolId }, null, clients, [], []) with { Settings = [] };

    /// <summary>
    /// A section the endpoint does not serve (an emulator) reads as empty — the same in both pools of a sandbox, so it
    /// shows no drift. Real Cognito serves every operation; there, every error counts.
    /// </summary>
    private static async Task<T?> Served<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (UnsupportedOperationException)
        {
            return default;
        }
    }

    private async Task<ImmutableArray<ClientSecretState>> SecretStatesAsync(JsonObject described, SecretFingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        var value = await SecretValueAsync(described, cancellationToken);
        IReadOnlyList<ClientSecretDescriptor> listed;
        try
        {
            listed = await client.ListUserPoolClientSecretsAsync(userPoolId, (string?)described["ClientId"] ?? string.Empty, cancellationToken);
        }
        catch (CognitoException e) when (e is UnsupportedOperationException || (!e.IsRetryable && !e.IsPermissionProblem))
        {
            // A pool that cannot list secrets (an emulator): Describe's one secret is all there is.
            listed = [];
        }

        if (listed.Count == 0)
        {
            return value is null ? [] : [new ClientSecretState(null, null, fingerprinter.Of(value))];
        }

        var oldest = listed.OrderBy(s => s.ClientSecretCreateDate ?? DateTimeOffset.MinValue).First();
        return [.. listed.Select(s => new ClientSecretState(
            s.ClientSecretId,
            s.ClientSecretCreateDate,
            ReferenceEquals(s, oldest) && value is not null ? fingerprinter.Of(value) : null))];
    }

    private async Task<string?> SecretValueAsync(JsonObject described, CancellationToken cancellationToken)
    {
        if ((string?)described["ClientSecret"] is { Length: > 0 } secret)
        {
            return secret;
        }

        if ((string?)described["ClientSecretArn"] is { Length: > 0 } arn && secretsManager is not null)
        {
            try
            {
                return SecretsManagerClient.ClientSecretOf(await secretsManager.GetSecretValueAsync(new GetSecretValueRequest(arn), cancellationToken));
            }
            catch (SecretsManagerException e) when (!e.IsRetryable)
            {
                // Reported as an unreadable secret; the reason is Secrets Manager's (permission, deleted secret, KMS).
                return null;
            }
        }

        return null;
    }
}
