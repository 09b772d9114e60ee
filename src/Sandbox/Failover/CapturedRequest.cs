using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>A request as a local endpoint received it (conformance tests compare ours with the JS SDK's).</summary>
public sealed record CapturedRequest(string Method, string PathAndQuery, string? ContentType, string? Target, string Body, string Region);

/// <summary>What the local AWS endpoints share: the Region a request was signed for, and request capture.</summary>
internal static partial class LocalAws
{
    public const string Account = "000000000000";

    /// <summary>The Region of the SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    public static string RegionOf(HttpRequest request, string fallback)
    {
        var match = CredentialScope().Match(request.Headers.Authorization.ToString());
        return match.Success ? match.Groups[1].Value : fallback;
    }

    internal static async Task<(CapturedRequest Request, string Body)> CaptureAsync(HttpRequest request, string fallbackRegion)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var captured = new CapturedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.ContentType,
            request.Headers["X-Amz-Target"].FirstOrDefault(),
            body,
            RegionOf(request, fallbackRegion));
        return (captured, body);
    }

    [GeneratedRegex("Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/")]
    private static partial Regex CredentialScope();
}

/// <summary>
/// A local AWS endpoint of the sandbox: a server on 127.0.0.1 that keeps every request it received (for the
/// conformance tests) and stops on dispose.
/// </summary>
public abstract class LocalAwsEndpoint : IAsyncDisposable
{
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private LocalServer? _server;

    public Uri Url => _server?.Url ?? throw new InvalidOperationException($"{GetType().Name} is not running.");

    /// <summary>Every request received, oldest first.</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>The Region assumed for requests without a SigV4 credential scope.</summary>
    protected virtual string DefaultRegion => "us-east-1";

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task ListenAsync(Action<WebApplication> map, CancellationToken cancellationToken) =>
        _server = await LocalServer.StartAsync(map, cancellationToken);

    /// <summary>Reads and keeps a request; returns it and its body.</summary>
    protected async Task<(CapturedRequest Request, string Body)> ReceiveAsync(HttpRequest request)
    {
        var received = await LocalAws.CaptureAsync(request, DefaultRegion);
        _requests.Enqueue(received.Request);
        return received;
    }

    /// <summary>
    /// Reads and keeps a request of the AWS JSON protocol, and answers in <paramref name="contentType"/>: returns it and
    /// its body as a JSON object, or null when the body is not one (each endpoint answers that in its service's words).
    /// </summary>
    protected async Task<(CapturedRequest Request, JsonObject? Json)> ReceiveJsonAsync(HttpContext context, string contentType)
    {
        var (captured, body) = await ReceiveAsync(context.Request);
        context.Response.ContentType = contentType;
        try
        {
            return (captured, JsonNode.Parse(body) as JsonObject);
        }
        catch (JsonException)
        {
            return (captured, null);
        }
    }
}
