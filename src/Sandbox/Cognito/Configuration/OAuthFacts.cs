using System.Globalization;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>What the token endpoint needs to know of an app client: its active secrets, OAuth settings and access-token lifetime.</summary>
internal sealed record OAuthClientFacts(
    string ClientId,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> AllowedFlows,
    bool FlowsEnabled,
    IReadOnlyList<string> AllowedScopes,
    TimeSpan AccessTokenValidity);

/// <summary>Reads <see cref="OAuthClientFacts"/> and the pool's resource-server scopes from the front's configuration store.</summary>
internal static class OAuthFacts
{
    /// <summary>Cognito's default access-token lifetime (60 minutes).</summary>
    public static readonly TimeSpan DefaultAccessTokenValidity = TimeSpan.FromHours(1);

    public static OAuthClientFacts? Client(ConfigurationStore store, string userPoolId, string clientId) =>
        store.Read(root =>
        {
            var pool = ConfigurationStore.Pool(root, userPoolId);
            if (ConfigurationStore.Section(pool, "clients")[clientId] is not JsonObject client)
            {
                return null;
            }

            var secrets = (ConfigurationStore.Section(pool, "clientSecrets")[clientId]?["Secrets"] as JsonArray ?? [])
                .Select(s => s?["Value"]?.GetValue<string>())
                .OfType<string>()
                .ToList();
            return new OAuthClientFacts(
                clientId,
                secrets,
                Strings(client["AllowedOAuthFlows"]),
                client["AllowedOAuthFlowsUserPoolClient"]?.GetValue<bool>() ?? false,
                Strings(client["AllowedOAuthScopes"]),
                Validity(client));
        });

    /// <summary>Every custom scope of the pool's resource servers, as <c>{identifier}/{scope}</c>.</summary>
    public static IReadOnlySet<string> PoolScopes(ConfigurationStore store, string userPoolId) =>
        store.Read(root => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "resourceServers")
            .SelectMany(s => (s.Value?["Scopes"] as JsonArray ?? []).Select(scope => $"{s.Key}/{scope?["ScopeName"]?.GetValue<string>()}"))
            .ToHashSet(StringComparer.Ordinal));

    private static List<string> Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>()];

    /// <summary>AccessTokenValidity in TokenValidityUnits.AccessToken (hours unless set), as Cognito reads them.</summary>
    private static TimeSpan Validity(JsonObject client)
    {
        if (client["AccessTokenValidity"] is not JsonValue value)
        {
            return DefaultAccessTokenValidity;
        }

        var amount = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return (client["TokenValidityUnits"]?["AccessToken"]?.GetValue<string>() ?? "hours") switch
        {
            "seconds" => TimeSpan.FromSeconds(amount),
            "minutes" => TimeSpan.FromMinutes(amount),
            "days" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromHours(amount),
        };
    }
}
