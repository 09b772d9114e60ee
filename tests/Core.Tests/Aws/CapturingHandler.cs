using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace IdentityReplicator.Core.Tests.Aws;

/// <summary>A request as it left the client: method, URI, every header (request and content) and the body bytes.</summary>
internal sealed record CapturedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"The request has no '{name}' header; it has: {string.Join(", ", Headers.Keys)}");

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// The network stand-in under an <see cref="HttpClient"/>: records each request and answers it with a function of
/// the request and its index (0-based), so a test scripts the service's replies.
/// </summary>
internal sealed class CapturingHandler(Func<CapturedRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private int _count;

    public CapturingHandler(Func<HttpResponseMessage> respond)
        : this((_, _) => respond())
    {
    }

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Empty(HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new ByteArrayContent([]) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // As a real transport does: a cancelled request never leaves.
        cancellationToken.ThrowIfCancellationRequested();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        byte[] body = [];
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(",", values);
            }
        }

        var captured = new CapturedRequest(request.Method, request.RequestUri!, headers, body);
        _requests.Enqueue(captured);
        var index = Interlocked.Increment(ref _count) - 1;
        return respond(captured, index);
    }
}
