using System.Net;
using System.Text;
using IdentityReplicator.Core.Model;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Relay;

/// <summary>A token request as the caller sent it: its content type, Authorization header and body bytes.</summary>
public sealed record RelayRequest(string? ContentType, string? Authorization, ReadOnlyMemory<byte> Body);

/// <summary>The reply to return to the caller: status, the headers that matter, body bytes.</summary>
public sealed record RelayReply(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Cognito's own answer for a client it does not know.</summary>
    public static RelayReply InvalidClient { get; } = Json(400, """{"error":"invalid_client"}""");

    public static RelayReply Json(int status, string body) =>
        new(status, [new("Content-Type", "application/json;charset=UTF-8")], Encoding.UTF8.GetBytes(body));
}

/// <summary>
/// The token relay: takes a client_credentials request made with the primary's client id and secret, sends it to the
/// active Region's token endpoint with that pool's id of the client (the secret is the same: client replication copies
/// it), and returns Cognito's reply unchanged (status, body, content type and caching headers). Neither the secret
/// nor the token is logged or kept; client ids are logged as short fingerprints.
/// </summary>
public sealed class TokenRelay(RelayRouter router, HttpClient http, ILogger<TokenRelay> logger, TimeProvider time)
{
    /// <summary>The reply headers passed back to the caller (the rest are the hop's own).</summary>
    private static readonly string[] PassedHeaders =
        ["Content-Type", "Cache-Control", "Pragma", "Expires", "WWW-Authenticate", "x-amz-cognito-request-id", "x-amzn-RequestId", "x-amzn-ErrorType"];

    public async Task<RelayReply> ForwardAsync(RelayRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var credentials = RelayCredentials.Read(request);
        RelayRoute? route;
        try
        {
            route = credentials is null ? await router.RouteAsync(string.Empty, cancellationToken) : await router.RouteAsync(credentials.ClientId, cancellationToken);
        }
        catch (RelayUnavailableException e)
        {
            Log.RelayUnavailable(logger, e);
            return RelayReply.Json(503, """{"error":"temporarily_unavailable"}""");
        }

        var caller = credentials is null ? "-" : IdentityKeys.Fingerprint(credentials.ClientId);
        if (route is null)
        {
            Log.RelayUnknownClient(logger, caller);
            return RelayReply.InvalidClient;
        }

        var (authorization, body) = credentials is null ? (request.Authorization, request.Body.ToArray()) : credentials.Rewrite(request, route.ClientId);
        using var forward = new HttpRequestMessage(HttpMethod.Post, route.TokenEndpoint) { Content = new ByteArrayContent(body) };
        if (authorization is not null)
        {
            forward.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (request.ContentType is not null)
        {
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        try
        {
            using var response = await http.SendAsync(forward, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var reply = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            Log.RelayForwarded(logger, caller, route.Region, (int)response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
            return new RelayReply((int)response.StatusCode, Headers(response), reply);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.RelayUpstreamFailed(logger, route.Region, e);
            var status = e is TaskCanceledException ? HttpStatusCode.GatewayTimeout : HttpStatusCode.BadGateway;
            return RelayReply.Json((int)status, """{"error":"temporarily_unavailable"}""");
        }
    }

    private static List<KeyValuePair<string, string>> Headers(HttpResponseMessage response)
    {
        // As received (NonValidated): a parsed header would come back re-ordered or re-formatted.
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in PassedHeaders)
        {
            if (response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values))
            {
                headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
            }
        }

        return headers;
    }
}
