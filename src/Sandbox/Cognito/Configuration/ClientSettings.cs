using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// The settings of an app client as CreateUserPoolClient and UpdateUserPoolClient take them, checked as Cognito checks
/// them, with Cognito's defaults for what the request leaves out (so an update resets what it is not given).
/// </summary>
internal static partial class ClientSettings
{
    public static readonly string[] StandardScopes = ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"];

    private static readonly string[] AuthFlows =
    [
        "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH",
        "ALLOW_TOKEN_EXCHANGE_DELEGATION", "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    ];

    private static readonly string[] LegacyAuthFlows = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
    private static readonly string[] TimeUnits = ["seconds", "minutes", "hours", "days"];

    /// <summary>What a request's settings are checked against: the pool's attributes, providers and scopes.</summary>
    public sealed record PoolFacts(IReadOnlySet<string> Attributes, IReadOnlySet<string> Providers, IReadOnlySet<string> Scopes);

    /// <summary>
    /// The client record (UserPoolClientType members, without ids, dates and secrets) that <paramref name="body"/>
    /// asks for. <paramref name="confidential"/>: the client has (or gets) a secret.
    /// </summary>
    public static JsonObject Read(JsonObject body, string clientName, bool confidential, PoolFacts pool)
    {
        var record = new JsonObject { ["ClientName"] = clientName };
        var units = body["TokenValidityUnits"] as JsonObject;
        var refresh = Requests.Number(body, "RefreshTokenValidity", 0, 315360000);
        record["RefreshTokenValidity"] = refresh is null or 0 ? 30 : refresh;
        CheckValidity(record, units, "RefreshToken", "days", TimeSpan.FromMinutes(60), TimeSpan.FromDays(3650));
        if (Requests.Number(body, "AccessTokenValidity", 1, 86400) is { } access)
        {
            record["AccessTokenValidity"] = access;
            CheckValidity(record, units, "AccessToken", "hours", TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        }

        if (Requests.Number(body, "IdTokenValidity", 1, 86400) is { } id)
        {
            record["IdTokenValidity"] = id;
            CheckValidity(record, units, "IdToken", "hours", TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        }

        if (units is not null)
        {
            var kept = new JsonObject();
            foreach (var token in new[] { "AccessToken", "IdToken", "RefreshToken" })
            {
                if (Requests.OneOf(units, token, TimeUnits) is { } unit)
                {
                    kept[token] = unit;
                }
            }

            record["TokenValidityUnits"] = kept;
        }

        CopyAttributes(body, record, "ReadAttributes", pool.Attributes);
        CopyAttributes(body, record, "WriteAttributes", pool.Attributes);
        if (Requests.Strings(body, "ExplicitAuthFlows", 20, AuthFlows) is { } flows)
        {
            if (flows.Any(f => LegacyAuthFlows.Contains(f)) && flows.Any(f => f.StartsWith("ALLOW_", StringComparison.Ordinal)))
            {
                throw CognitoFault.Invalid("ExplicitAuthFlows can't have both ALLOW_XXX and legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH).");
            }

            record["ExplicitAuthFlows"] = Array(flows);
        }

        if (Requests.Strings(body, "SupportedIdentityProviders", 100) is { } providers)
        {
            if (providers.FirstOrDefault(p => p != "COGNITO" && !pool.Providers.Contains(p)) is { } missing)
            {
                throw CognitoFault.Invalid($"The provider {missing} does not exist for User Pool.");
            }

            record["SupportedIdentityProviders"] = Array(providers);
        }

        var callbacks = CopyUrls(body, record, "CallbackURLs");
        CopyUrls(body, record, "LogoutURLs");
        if (Requests.Optional(body, "DefaultRedirectURI", 1024) is { } redirect)
        {
            if (callbacks is null || !callbacks.Contains(redirect, StringComparer.Ordinal))
            {
                throw CognitoFault.Invalid("DefaultRedirectURI must be one of the CallbackURLs.");
            }

            record["DefaultRedirectURI"] = redirect;
        }

        if (Requests.Strings(body, "AllowedOAuthFlows", 3, "code", "implicit", "client_credentials") is { } oauthFlows)
        {
            if (oauthFlows.Contains("client_credentials") && oauthFlows.Count > 1)
            {
                throw new CognitoFault("InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow or implicit flow.");
            }

            if (oauthFlows.Contains("client_credentials") && !confidential)
            {
                throw new CognitoFault("InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.");
            }

            record["AllowedOAuthFlows"] = Array(oauthFlows);
        }

        if (Requests.Strings(body, "AllowedOAuthScopes", 50) is { } scopes)
        {
            if (scopes.FirstOrDefault(s => !StandardScopes.Contains(s) && !pool.Scopes.Contains(s)) is { } unknown)
            {
                throw new CognitoFault("ScopeDoesNotExistException", $"Invalid scope requested: {unknown}");
            }

            record["AllowedOAuthScopes"] = Array(scopes);
        }

        record["AllowedOAuthFlowsUserPoolClient"] = Requests.Flag(body, "AllowedOAuthFlowsUserPoolClient") ?? false;
        if (body["AnalyticsConfiguration"] is JsonObject analytics)
        {
            record["AnalyticsConfiguration"] = analytics.DeepClone();
        }

        record["PreventUserExistenceErrors"] = Requests.OneOf(body, "PreventUserExistenceErrors", "LEGACY", "ENABLED") ?? "LEGACY";
        record["EnableTokenRevocation"] = Requests.Flag(body, "EnableTokenRevocation") ?? true;
        var propagate = Requests.Flag(body, "EnablePropagateAdditionalUserContextData") ?? false;
        if (propagate && !confidential)
        {
            throw CognitoFault.Invalid("EnablePropagateAdditionalUserContextData can only be activated in an app client that has a client secret.");
        }

        record["EnablePropagateAdditionalUserContextData"] = propagate;
        record["AuthSessionValidity"] = Requests.Number(body, "AuthSessionValidity", 3, 15) ?? 3;
        if (body["RefreshTokenRotation"] is JsonObject rotation)
        {
            var feature = Requests.OneOf(rotation, "Feature", "ENABLED", "DISABLED") ?? throw CognitoFault.Invalid("RefreshTokenRotation.Feature is required.");
            var kept = new JsonObject { ["Feature"] = feature };
            if (Requests.Number(rotation, "RetryGracePeriodSeconds", 0, 60) is { } grace)
            {
                kept["RetryGracePeriodSeconds"] = grace;
            }

            record["RefreshTokenRotation"] = kept;
        }

        record["ClientType"] = "REGULAR";
        return record;
    }

    /// <summary>What cognito-local keeps of a client, so its own sign-in and OAuth endpoints see the same settings.</summary>
    public static JsonObject ForEmulator(JsonObject record)
    {
        var request = new JsonObject();
        foreach (var member in new[] { "ClientName", "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits", "AllowedOAuthFlowsUserPoolClient", "PreventUserExistenceErrors", "EnableTokenRevocation", "DefaultRedirectURI" })
        {
            if (record[member] is { } value)
            {
                request[member] = value.DeepClone();
            }
        }

        // cognito-local's update keeps a list it is not given: send every list, empty when the client has none.
        foreach (var list in new[] { "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "AllowedOAuthFlows", "AllowedOAuthScopes" })
        {
            request[list] = record[list]?.DeepClone() ?? new JsonArray();
        }

        return request;
    }

    private static void CheckValidity(JsonObject record, JsonObject? units, string token, string defaultUnit, TimeSpan min, TimeSpan max)
    {
        var value = record[token + "Validity"]!.GetValue<long>();
        var unit = (units is null ? null : Requests.OneOf(units, token, TimeUnits)) ?? defaultUnit;
        var span = unit switch
        {
            "seconds" => TimeSpan.FromSeconds(value),
            "minutes" => TimeSpan.FromMinutes(value),
            "hours" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
        if (span < min || span > max)
        {
            throw CognitoFault.Invalid($"Invalid range for token validity: {token}Validity {value} {unit} must be between {min} and {max}.");
        }
    }

    private static void CopyAttributes(JsonObject body, JsonObject record, string member, IReadOnlySet<string> attributes)
    {
        if (Requests.Strings(body, member, 200) is not { } names)
        {
            return;
        }

        if (names.FirstOrDefault(n => !attributes.Contains(n)) is { } unknown)
        {
            throw CognitoFault.Invalid($"Invalid {(member == "ReadAttributes" ? "read" : "write")} attributes specified while creating a client: {unknown}");
        }

        record[member] = Array(names);
    }

    private static List<string>? CopyUrls(JsonObject body, JsonObject record, string member)
    {
        if (Requests.Strings(body, member, 100) is not { } urls)
        {
            return null;
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Contains('#', StringComparison.Ordinal) || url.Length > 1024
                || (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback))
            {
                throw CognitoFault.Invalid($"{url} is not a valid {member[..^4]} URL: it must be absolute, without a fragment, and use HTTPS unless it is http://localhost.");
            }
        }

        record[member] = Array(urls);
        return urls;
    }

    private static JsonArray Array(IEnumerable<string> items) => [.. items.Select(i => (JsonNode)JsonValue.Create(i))];

    [GeneratedRegex(@"^[\w\s+=,.@-]+$")]
    public static partial Regex ClientName();
}
