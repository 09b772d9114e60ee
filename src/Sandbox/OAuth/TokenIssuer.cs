using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Cognito.Configuration;

namespace IdentityReplicator.Sandbox.OAuth;

/// <summary>The app clients and resource-server scopes of one pool, as the token endpoint reads them.</summary>
internal interface IOAuthClients
{
    OAuthClientFacts? Find(string clientId);

    IReadOnlySet<string> Scopes();
}

/// <summary>A token request as it arrived: its content type, Authorization header and form fields (a field given twice keeps every value).</summary>
internal sealed record TokenRequest(string? ContentType, string? Authorization, IReadOnlyDictionary<string, IReadOnlyList<string>> Form);

/// <summary>The token endpoint's answer: a status and a JSON body.</summary>
internal sealed record TokenReply(int Status, string Body)
{
    /// <summary>The content type Cognito's token endpoint answers with.</summary>
    public const string ContentType = "application/json;charset=UTF-8";

    public static TokenReply Error(string error) => new(400, new JsonObject { ["error"] = error }.ToJsonString());
}

/// <summary>
/// Cognito's <c>POST /oauth2/token</c> for the <c>client_credentials</c> grant: the client authenticates by HTTP Basic or
/// by <c>client_id</c> and <c>client_secret</c> in the form, must be allowed the grant, and gets the scopes it asks
/// for (or, asking none, every custom scope it is allowed) as an RS256 access token with Cognito's claims. Errors are
/// Cognito's: <c>{"error":"invalid_request"}</c> and the others of the OAuth 2.0 token endpoint, status 400.
/// </summary>
internal sealed class TokenIssuer(string issuer, SigningKey key, IOAuthClients clients, TimeProvider time)
{
    public const string ClientCredentials = "client_credentials";

    /// <summary>The scopes Cognito keeps for user tokens; a client_credentials token carries only custom scopes.</summary>
    private static readonly HashSet<string> UserScopes = new(StringComparer.Ordinal) { "openid", "email", "phone", "profile", "aws.cognito.signin.user.admin" };

    public string Issuer { get; } = issuer;

    public TokenReply Issue(TokenRequest request)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return TokenReply.Error("invalid_request");
        }

        if (request.Form.Values.Any(v => v.Count > 1))
        {
            return TokenReply.Error("invalid_request");
        }

        var grant = Field(request, "grant_type");
        if (string.IsNullOrEmpty(grant))
        {
            return TokenReply.Error("invalid_request");
        }

        if (grant is not ClientCredentials)
        {
            // authorization_code and refresh_token are Cognito's too, but the sandbox has no sign-in pages (docs/sandbox.md).
            return TokenReply.Error("unsupported_grant_type");
        }

        if (!TryCredentials(request, out var clientId, out var secret))
        {
            return TokenReply.Error("invalid_client");
        }

        var client = clients.Find(clientId);
        if (client is null || secret is null || client.Secrets.Count == 0 || !client.Secrets.Any(s => SameSecret(s, secret)))
        {
            return TokenReply.Error("invalid_client");
        }

        if (!client.FlowsEnabled)
        {
            return TokenReply.Error("invalid_grant");
        }

        if (!client.AllowedFlows.Contains(ClientCredentials, StringComparer.Ordinal))
        {
            return TokenReply.Error("unauthorized_client");
        }

        var scopes = GrantedScopes(client, Field(request, "scope"));
        if (scopes is null)
        {
            return TokenReply.Error("invalid_scope");
        }

        return new TokenReply(200, new JsonObject
        {
            ["access_token"] = key.Sign(Claims(client, scopes)),
            ["expires_in"] = (long)client.AccessTokenValidity.TotalSeconds,
            ["token_type"] = "Bearer",
        }.ToJsonString());
    }

    /// <summary>The claims of Cognito's client_credentials access token.</summary>
    private JsonObject Claims(OAuthClientFacts client, IReadOnlyList<string> scopes)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["sub"] = client.ClientId,
            ["token_use"] = "access",
            ["scope"] = string.Join(' ', scopes),
            ["auth_time"] = now,
            ["iss"] = Issuer,
            ["exp"] = now + (long)client.AccessTokenValidity.TotalSeconds,
            ["iat"] = now,
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["client_id"] = client.ClientId,
        };
    }

    /// <summary>The requested scopes if every one is the client's and the pool's; every allowed custom scope when none is asked; null when refused.</summary>
    private List<string>? GrantedScopes(OAuthClientFacts client, string? requested)
    {
        var pool = clients.Scopes();
        var allowed = client.AllowedScopes.Where(s => !UserScopes.Contains(s) && pool.Contains(s)).ToList();
        if (string.IsNullOrWhiteSpace(requested))
        {
            return allowed.Count == 0 ? null : allowed;
        }

        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return asked.All(allowed.Contains) ? asked : null;
    }

    /// <summary>The client's id and secret from HTTP Basic (preferred, as Cognito) or the form; false when neither names a client or both disagree.</summary>
    private static bool TryCredentials(TokenRequest request, out string clientId, out string? secret)
    {
        clientId = string.Empty;
        secret = null;
        var formId = Field(request, "client_id");
        if (request.Authorization is { } authorization)
        {
            if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            clientId = Uri.UnescapeDataString(decoded[..colon]);
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
            return formId is null || formId == clientId;
        }

        if (string.IsNullOrEmpty(formId))
        {
            return false;
        }

        clientId = formId;
        secret = Field(request, "client_secret");
        return true;
    }

    private static string? Field(TokenRequest request, string name) =>
        request.Form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static bool SameSecret(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
