using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Failover.Tests.Journeys;

/// <summary>
/// A pool domain's OAuth2 endpoints as the sandbox contract describes them, in process on 127.0.0.1: <c>POST
/// /oauth2/token</c> (client_credentials, client id and secret by HTTP Basic, Cognito's error bodies) issuing RS256
/// access tokens with Cognito's claims, <c>/.well-known/jwks.json</c>, and a token relay at <c>/relay/oauth2/token</c>
/// that maps a primary client id to this pool's. Knobs break it the ways the journeys must notice.
/// </summary>
internal sealed class FakeTokenServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    // Generated once per test run: key generation takes seconds on a busy machine.
    private static readonly RSA SharedKey = RSA.Create(2048);
    private static readonly RSA SharedOtherKey = RSA.Create(2048);
    private readonly RSA _key = SharedKey;
    private readonly RSA _otherKey = SharedOtherKey;
    private readonly Task _serving;

    public FakeTokenServer(string issuer)
    {
        Issuer = issuer;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public Uri TokenEndpoint => new(BaseUrl, "oauth2/token");

    public Uri JwksUri => new(BaseUrl, ".well-known/jwks.json");

    public Uri RelayEndpoint => new(BaseUrl, "relay/oauth2/token");

    public string Issuer { get; }

    /// <summary>Client id → (secret, scopes it may have).</summary>
    public Dictionary<string, (string Secret, string[] Scopes)> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>The relay's mapping: the primary's client id → this pool's.</summary>
    public Dictionary<string, string> RelayMap { get; } = new(StringComparer.Ordinal);

    /// <summary>Sign with a key the JWKS does not publish under the token's kid.</summary>
    public bool SignWithOtherKey { get; set; }

    /// <summary>Issue tokens naming another issuer.</summary>
    public string? IssuerOverride { get; set; }

    /// <summary>Grant only these scopes whatever is asked (a resource server that lost a scope).</summary>
    public string[]? GrantOnly { get; set; }

    public int Requests { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var (status, body) = context.Request.Url!.AbsolutePath switch
            {
                "/.well-known/jwks.json" => (200, Jwks()),
                "/oauth2/token" => Token(context.Request, relay: false),
                "/relay/oauth2/token" => Token(context.Request, relay: true),
                _ => (404, new JsonObject { ["error"] = "not_found" }),
            };
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private JsonObject Jwks()
    {
        var p = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject { ["kid"] = "test-key", ["kty"] = "RSA", ["alg"] = "RS256", ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) }),
        };
    }

    private (int, JsonObject) Token(HttpListenerRequest request, bool relay)
    {
        Requests++;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var form = reader.ReadToEnd().Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty), StringComparer.Ordinal);
        var header = request.Headers["Authorization"] ?? string.Empty;
        var credentials = header.StartsWith("Basic ", StringComparison.Ordinal) ? Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2) : [];
        if (credentials.Length != 2 || form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return (400, new JsonObject { ["error"] = credentials.Length != 2 ? "invalid_client" : "unsupported_grant_type" });
        }

        var clientId = credentials[0];
        if (relay && !RelayMap.TryGetValue(clientId, out clientId))
        {
            return (400, new JsonObject { ["error"] = "invalid_client" });
        }

        if (!Clients.TryGetValue(clientId!, out var client) || client.Secret != credentials[1])
        {
            return (400, new JsonObject { ["error"] = "invalid_client" });
        }

        var asked = form.GetValueOrDefault("scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? client.Scopes;
        if (asked.Any(s => !client.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            return (400, new JsonObject { ["error"] = "invalid_scope" });
        }

        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = clientId,
            ["token_use"] = "access",
            ["scope"] = string.Join(' ', GrantOnly ?? asked),
            ["auth_time"] = now,
            ["iss"] = IssuerOverride ?? Issuer,
            ["exp"] = now + 3600,
            ["iat"] = now,
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["client_id"] = clientId,
        };
        var signing = B64(Encoding.UTF8.GetBytes(new JsonObject { ["kid"] = "test-key", ["alg"] = "RS256" }.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = (SignWithOtherKey ? _otherKey : _key).SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (200, new JsonObject { ["access_token"] = signing + "." + B64(signature), ["expires_in"] = 3600, ["token_type"] = "Bearer" });
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
