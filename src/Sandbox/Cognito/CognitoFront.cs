using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>One call through the front: the operation, and the JSON body (interceptors may change it).</summary>
public sealed class FrontCall(string operation, JsonNode? body)
{
    /// <summary>The operation name from <c>X-Amz-Target</c>, e.g. <c>AdminCreateUser</c>.</summary>
    public string Operation { get; } = operation;

    public JsonNode? Body { get; set; } = body;

    public string? UserPoolId => Body?["UserPoolId"]?.GetValue<string>();

    /// <summary>Values interceptors share about this call.</summary>
    public Dictionary<string, object> Items { get; } = [];
}

/// <summary>A reply to the client: status, JSON body, and the error type header for errors.</summary>
public sealed record FrontReply(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Close the connection without answering (a fault: the client sees a network error).</summary>
    public static FrontReply Dropped { get; } = new(0, []);

    public static FrontReply Error(int status, string type, string message) =>
        new(status, Encoding.UTF8.GetBytes(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString()));
}

/// <summary>Something the front does around calls: answer instead of the emulator, or watch what it answered.</summary>
internal interface ICognitoInterceptor
{
    /// <summary>Runs before forwarding; a non-null reply is sent instead of calling the emulator.</summary>
    ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken);

    /// <summary>Runs after the emulator answered.</summary>
    ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken);
}

/// <summary>
/// The sandbox's Cognito endpoint: a proxy in front of one cognito-local process that makes up for the emulator's
/// gaps where the product relies on real Cognito behaviour (see docs/sandbox.md), through interceptors.
/// </summary>
internal sealed class CognitoFront : IAsyncDisposable
{
    private const string TargetPrefix = "AWSCognitoIdentityProviderService.";
    private readonly LocalServer _server;
    private readonly HttpClient _http;

    private CognitoFront(LocalServer server, HttpClient http, IReadOnlyList<ICognitoInterceptor> interceptors)
    {
        _server = server;
        _http = http;
        Interceptors = interceptors;
    }

    public Uri Url => _server.Url;

    /// <summary>The interceptors, in the order each call runs through them.</summary>
    internal IReadOnlyList<ICognitoInterceptor> Interceptors { get; }

    public static async Task<CognitoFront> StartAsync(Uri emulator, IReadOnlyList<ICognitoInterceptor> interceptors, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, AllowAutoRedirect = false }) { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(60) };
        var server = await LocalServer.StartAsync(
            app => app.Map("/{**path}", context => HandleAsync(context, http, interceptors)),
            cancellationToken);
        return new CognitoFront(server, http, interceptors);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private static async Task HandleAsync(HttpContext context, HttpClient http, IReadOnlyList<ICognitoInterceptor> interceptors)
    {
        var cancellationToken = context.RequestAborted;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        var raw = buffer.ToArray();
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        JsonNode? body = null;
        try
        {
            body = raw.Length > 0 ? JsonNode.Parse(raw) : null;
        }
        catch (JsonException)
        {
            // Forward as is; the emulator answers the malformed request.
        }

        var call = new FrontCall(operation, body);
        FrontReply? reply = null;
        foreach (var interceptor in interceptors)
        {
            reply = await interceptor.BeforeAsync(call, cancellationToken);
            if (reply is not null)
            {
                break;
            }
        }

        if (reply is null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
            var content = new ByteArrayContent(call.Body is null ? raw : Encoding.UTF8.GetBytes(call.Body.ToJsonString()));
            content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/x-amz-json-1.1");
            request.Content = content;
            foreach (var header in context.Request.Headers)
            {
                if (header.Key.StartsWith("X-Amz", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }
            }

            using var response = await http.SendAsync(request, cancellationToken);
            reply = new FrontReply((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }

        if (ReferenceEquals(reply, FrontReply.Dropped))
        {
            context.Abort();
            return;
        }

        foreach (var interceptor in interceptors)
        {
            await interceptor.AfterAsync(call, reply, cancellationToken);
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        if (!reply.IsSuccess && TryErrorType(reply.Body) is { } type)
        {
            context.Response.Headers["x-amzn-ErrorType"] = type;
        }

        await context.Response.Body.WriteAsync(reply.Body, cancellationToken);
    }

    private static string? TryErrorType(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["__type"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
