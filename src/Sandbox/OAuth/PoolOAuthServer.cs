using IdentityReplicator.Sandbox.Cognito.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.OAuth;

/// <summary>
/// A pool's OAuth 2.0 endpoints, as Cognito serves them for a pool with a domain: <c>POST /oauth2/token</c> (the
/// <see cref="TokenIssuer"/>) and the pool's JWKS at <c>/{userPoolId}/.well-known/jwks.json</c> (also at
/// <c>/.well-known/jwks.json</c>). One server per pool, on 127.0.0.1 and a free port, stopped with the sandbox.
/// </summary>
internal sealed class PoolOAuthServer : IAsyncDisposable
{
    private readonly LocalServer _server;
    private readonly SigningKey _key;

    private PoolOAuthServer(LocalServer server, SigningKey key, string userPoolId, string issuer)
    {
        _server = server;
        _key = key;
        TokenEndpoint = new Uri(server.Url, "oauth2/token");
        JwksUri = new Uri(server.Url, $"{userPoolId}/.well-known/jwks.json");
        Issuer = issuer;
    }

    public Uri TokenEndpoint { get; }

    public Uri JwksUri { get; }

    /// <summary>The <c>iss</c> of the tokens: <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>, as Cognito's.</summary>
    public string Issuer { get; }

    /// <summary>The issuer Cognito names a pool by.</summary>
    public static string IssuerOf(string region, string userPoolId) => $"https://cognito-idp.{region}.amazonaws.com/{userPoolId}";

    /// <summary>Starts the endpoints of <paramref name="userPoolId"/>; its signing key is kept in <paramref name="dataFolder"/>.</summary>
    public static async Task<PoolOAuthServer> StartAsync(
        string region, string userPoolId, ConfigurationFront configuration, string? dataFolder, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = SigningKey.LoadOrCreate(dataFolder);
        try
        {
            var issuer = new TokenIssuer(IssuerOf(region, userPoolId), key, new FrontClients(configuration, userPoolId), time);
            var jwks = key.Jwks().ToJsonString();
            var server = await LocalServer.StartAsync(
                app =>
                {
                    app.MapPost("/oauth2/token", (HttpContext context) => TokenAsync(issuer, context));
                    app.MapGet("/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
                    app.MapGet($"/{userPoolId}/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
                },
                cancellationToken);
            return new PoolOAuthServer(server, key, userPoolId, issuer.Issuer);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }

    private static async Task TokenAsync(TokenIssuer issuer, HttpContext context)
    {
        var request = context.Request;
        var form = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (name, values) in await request.ReadFormAsync(context.RequestAborted))
            {
                form[name] = [.. values.OfType<string>()];
            }
        }

        var reply = issuer.Issue(new TokenRequest(request.ContentType, request.Headers.Authorization.FirstOrDefault(), form));
        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = TokenReply.ContentType;
        response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        response.Headers.Pragma = "no-cache";
        await response.WriteAsync(reply.Body, context.RequestAborted);
    }

    /// <summary>The pool's clients and scopes as the front's configuration store holds them.</summary>
    private sealed class FrontClients(ConfigurationFront configuration, string userPoolId) : IOAuthClients
    {
        public OAuthClientFacts? Find(string clientId) => configuration.OAuthClient(userPoolId, clientId);

        public IReadOnlySet<string> Scopes() => configuration.OAuthScopes(userPoolId);
    }
}
