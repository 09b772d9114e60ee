using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>What a journey reports: its name, whether it passed, how long it took and what it saw (never a secret or a token).</summary>
public sealed record JourneyResult(string Name, bool Passed, double Seconds, string Detail);

/// <summary>A journey as <c>idrep failover plan</c> lists it before anything runs.</summary>
public sealed record JourneyPreview(string Name, string Checks);

/// <summary>A sign-in attempt: the ID token on success, else Cognito's error code (<c>NotAuthorizedException</c> …).</summary>
public sealed record JourneySignIn(bool SignedIn, string? IdToken, string? ErrorCode, string Detail);

/// <summary>An app client as a journey needs it. <see cref="Secret"/> is never logged, stored or reported.</summary>
public sealed record JourneyClient(string ClientId, string Name, string? Secret, ImmutableArray<string> CallbackUrls, ImmutableArray<string> OAuthFlows, ImmutableArray<string> Scopes)
{
    public override string ToString() => $"JourneyClient {{ ClientId = {ClientId}, Name = {Name}, Secret = (redacted) }}";
}

/// <summary>The pools as the journeys use them: sign a monitoring user in, describe an app client. A port (tests fake it).</summary>
public interface IJourneyPools
{
    /// <summary>
    /// Gives <paramref name="username"/> a fresh random password in the pool of <paramref name="role"/> (creating the user,
    /// without a message, only when <paramref name="create"/>) and signs in with USER_PASSWORD_AUTH through the plan's app client.
    /// </summary>
    Task<JourneySignIn> SignInAsync(PoolRole role, string username, bool create, CancellationToken cancellationToken);

    /// <summary>The app client with this id, or else this name, with its secret (or the one its ClientSecretArn names); null if none.</summary>
    Task<JourneyClient?> ClientAsync(PoolRole role, string? clientId, string? name, CancellationToken cancellationToken);
}

/// <summary>A token endpoint's reply: the HTTP status and the JSON body (<c>access_token</c>, or Cognito's <c>error</c>).</summary>
public sealed record TokenReply(int Status, JsonObject? Body)
{
    public string? Error => (string?)Body?["error"];

    public override string ToString() => $"TokenReply {{ Status = {Status}, Error = {Error} }}";
}

/// <summary>OAuth2 over HTTP: a client-credentials token request, and a pool's JWKS. A port (tests serve a fake endpoint).</summary>
public interface ITokenEndpoint
{
    Task<TokenReply> RequestAsync(Uri endpoint, string clientId, string secret, IReadOnlyList<string> scopes, CancellationToken cancellationToken);

    Task<JsonObject> JwksAsync(Uri jwks, CancellationToken cancellationToken);
}

/// <summary>
/// Cognito's token endpoint as its documentation describes it: <c>POST /oauth2/token</c>, form-encoded
/// <c>grant_type=client_credentials</c> and <c>scope</c>, the client id and secret by HTTP Basic.
/// </summary>
internal sealed class HttpTokenEndpoint(HttpClient http) : ITokenEndpoint
{
    public async Task<TokenReply> RequestAsync(Uri endpoint, string clientId, string secret, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', scopes)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        return new TokenReply((int)response.StatusCode, body);
    }

    public async Task<JsonObject> JwksAsync(Uri jwks, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(jwks, cancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
            ?? throw new TokenRejectedException($"the JWKS at {jwks} is not a JSON object");
    }
}
