using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Sandbox;

namespace IdentityReplicator.Cli.Demo;

/// <summary>What the configuration part of the demo measured: lags per kind and what did not arrive or differs.</summary>
internal sealed record DemoConfigurationResult(IReadOnlyDictionary<string, KindStatistics> ByKind, int SecretsCompared, IReadOnlyList<string> Problems);

/// <summary>
/// The configuration part of the demo: in the primary, a confidential client created with a secret, a callback URL
/// changed, a scope added to a resource server, the password policy tightened and an OIDC provider created, each a few
/// times; after each call the standby is read until the change is there (its lag runs from the call returning). The
/// confidential clients' secrets are compared by fingerprint, never by value. Every change reaches the standby through
/// capture of its CloudTrail record only (the sandbox's configuration sweep is off).
/// </summary>
internal sealed class DemoConfiguration(SandboxEnvironment sandbox, CognitoIdentityProviderClient primary, TimeProvider time)
{
    public const string ClientCreate = "clientCreate";
    public const string ClientUpdate = "clientUpdate";
    public const string Scope = "scope";
    public const string PoolSetting = "poolSetting";
    public const string IdentityProvider = "identityProvider";

    private static readonly TimeSpan ObserveInterval = TimeSpan.FromMilliseconds(50);

    private readonly SecretFingerprinter _fingerprinter = SecretFingerprinter.Ephemeral();
    private readonly Dictionary<string, List<double>> _lags = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly string _primaryPool = sandbox.Primary.UserPoolId;
    private readonly IPoolConfigurationDirectory _source = new CognitoPoolConfigurationDirectory(sandbox.Client(sandbox.Primary), sandbox.Primary.UserPoolId, sandbox.Primary.Region);
    private readonly IPoolConfigurationDirectory _target = new CognitoPoolConfigurationDirectory(sandbox.Client(sandbox.Standby), sandbox.Standby.UserPoolId, sandbox.Standby.Region);

    public async Task<DemoConfigurationResult> RunAsync(int rounds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var api = $"https://api-{tag}.example.com";
        await primary.CreateResourceServerRawAsync(new JsonObject { ["UserPoolId"] = _primaryPool, ["Identifier"] = api, ["Name"] = "demo api" }, cancellationToken);
        var secrets = 0;
        for (var i = 0; i < rounds; i++)
        {
            var name = $"demo-m2m-{tag}-{i}";
            var created = await primary.CreateUserPoolClientRawAsync(
                new JsonObject { ["UserPoolId"] = _primaryPool, ["ClientName"] = name, ["GenerateSecret"] = true, ["ExplicitAuthFlows"] = new JsonArray("ALLOW_REFRESH_TOKEN_AUTH") },
                cancellationToken);
            var clientId = (string?)created["ClientId"] ?? throw new InvalidOperationException("CreateUserPoolClient returned no client id.");
            if (await WaitAsync(ClientCreate, ConfigurationSections.Clients, (s, t) => t.Clients.ContainsKey(name) && s.Clients.ContainsKey(name), timeout, cancellationToken) is { } both)
            {
                var same = both.Source.Clients[name].Secrets.Select(x => x.Fingerprint).SequenceEqual(both.Target.Clients[name].Secrets.Select(x => x.Fingerprint));
                secrets++;
                if (!same)
                {
                    _problems.Add($"client {name}: the standby's secret differs from the primary's (compared by fingerprint)");
                }
            }

            var described = await primary.DescribeUserPoolClientRawAsync(_primaryPool, clientId, cancellationToken);
            var update = ConfigurationRequests.UpdateUserPoolClient(described, _primaryPool, clientId);
            var callback = $"https://app-{tag}.example.com/callback/{i}";
            update["CallbackURLs"] = new JsonArray(callback);
            await primary.UpdateUserPoolClientRawAsync(update, cancellationToken);
            await WaitAsync(ClientUpdate, ConfigurationSections.Clients, (_, t) => t.Clients.TryGetValue(name, out var c) && c.Settings["CallbackURLs"] is JsonArray urls && urls.Any(u => (string?)u == callback), timeout, cancellationToken);

            var scope = $"scope{i}";
            await primary.UpdateResourceServerRawAsync(
                new JsonObject
                {
                    ["UserPoolId"] = _primaryPool,
                    ["Identifier"] = api,
                    ["Name"] = "demo api",
                    ["Scopes"] = new JsonArray([.. Enumerable.Range(0, i + 1).Select(n => (JsonNode)new JsonObject { ["ScopeName"] = $"scope{n}", ["ScopeDescription"] = $"scope {n}" })]),
                },
                cancellationToken);
            await WaitAsync(Scope, ConfigurationSections.ResourceServers, (_, t) => t.ResourceServers.TryGetValue(api, out var server) && server["Scopes"] is JsonArray scopes && scopes.Any(x => (string?)x?["ScopeName"] == scope), timeout, cancellationToken);

            var pool = (await primary.DescribeUserPoolRawAsync(_primaryPool, cancellationToken)).UserPool ?? [];
            var poolUpdate = ConfigurationRequests.UpdateUserPool(pool, _primaryPool);
            var length = 9 + i;
            var policies = poolUpdate["Policies"] as JsonObject ?? [];
            var password = policies["PasswordPolicy"] as JsonObject ?? [];
            password["MinimumLength"] = length;
            policies["PasswordPolicy"] = password.DeepClone();
            poolUpdate["Policies"] = policies.DeepClone();
            await primary.UpdateUserPoolRawAsync(poolUpdate, cancellationToken);
            await WaitAsync(PoolSetting, ConfigurationSections.Pool, (_, t) => (int?)t.Settings["Policies"]?["PasswordPolicy"]?["MinimumLength"] == length, timeout, cancellationToken);

            var provider = $"Oidc{tag}{i}";
            await primary.CreateIdentityProviderRawAsync(
                new JsonObject
                {
                    ["UserPoolId"] = _primaryPool,
                    ["ProviderName"] = provider,
                    ["ProviderType"] = "OIDC",
                    ["ProviderDetails"] = new JsonObject
                    {
                        ["client_id"] = "demo-client",
                        ["client_secret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                        ["authorize_scopes"] = "openid email",
                        ["oidc_issuer"] = "https://issuer.example.com",
                        ["attributes_request_method"] = "GET",
                    },
                    ["AttributeMapping"] = new JsonObject { ["email"] = "email" },
                },
                cancellationToken);
            await WaitAsync(IdentityProvider, ConfigurationSections.IdentityProviders, (_, t) => t.IdentityProviders.ContainsKey(provider), timeout, cancellationToken);
        }

        var byKind = _lags.ToDictionary(
            k => k.Key,
            k =>
            {
                var sorted = k.Value.Order().ToArray();
                return new KindStatistics(rounds, sorted.Length, ChangeTracker.Percentile(sorted, 0.50), ChangeTracker.Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1]);
            },
            StringComparer.Ordinal);
        return new DemoConfigurationResult(byKind, secrets, _problems);
    }

    /// <summary>Reads both pools' <paramref name="sections"/> until <paramref name="arrived"/> holds; records the lag, or a problem at the timeout.</summary>
    private async Task<(PoolConfiguration Source, PoolConfiguration Target)?> WaitAsync(string kind, ConfigurationSections sections, Func<PoolConfiguration, PoolConfiguration, bool> arrived, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var lags = _lags.TryGetValue(kind, out var list) ? list : _lags[kind] = [];
        while (time.GetElapsedTime(started) < timeout)
        {
            var source = await _source.ReadAsync(_fingerprinter, sections, cancellationToken);
            var target = await _target.ReadAsync(_fingerprinter, sections, cancellationToken);
            if (arrived(source, target))
            {
                lags.Add(time.GetElapsedTime(started).TotalMilliseconds);
                return (source, target);
            }

            await Task.Delay(ObserveInterval, time, cancellationToken);
        }

        _problems.Add(string.Create(CultureInfo.InvariantCulture, $"{kind}: not in the standby after {timeout.TotalSeconds:0} s"));
        return null;
    }
}
