using System.Collections.Concurrent;
using System.Globalization;
using IdentityReplicator.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>
/// A fake Lambda Runtime API: serves the given invocations on /runtime/invocation/next (then waits forever) and records
/// the first response or error posted, byte for byte.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly LocalServer _server;

    private FakeRuntimeApi(LocalServer server, TaskCompletionSource<PostedInvocation> posted)
    {
        _server = server;
        Posted = posted;
    }

    public TaskCompletionSource<PostedInvocation> Posted { get; }

    public string HostAndPort => $"{_server.Url.Host}:{_server.Url.Port}";

    public static Task<FakeRuntimeApi> StartAsync(params (string RequestId, string Payload)[] invocations) =>
        StartAsync(invocations.Select(i => (i.RequestId, System.Text.Encoding.UTF8.GetBytes(i.Payload))).ToArray());

    public static async Task<FakeRuntimeApi> StartAsync(params (string RequestId, byte[] Payload)[] invocations)
    {
        var queue = new ConcurrentQueue<(string, byte[])>(invocations);
        var posted = new TaskCompletionSource<PostedInvocation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await LocalServer.StartAsync(
            app =>
            {
                app.MapGet("/2018-06-01/runtime/invocation/next", async (HttpContext context) =>
                {
                    if (!queue.TryDequeue(out var next))
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted);
                        return;
                    }

                    context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.Item1;
                    context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = TimeProvider.System.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                    context.Response.ContentType = "application/json";
                    await context.Response.Body.WriteAsync(next.Item2, context.RequestAborted);
                });
                app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", async (HttpContext context) =>
                {
                    using var body = new MemoryStream();
                    await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                    var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                    posted.TrySetResult(new PostedInvocation(context.Request.Path.Value!, body.ToArray(), errorType));
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                });
            },
            CancellationToken.None);
        return new FakeRuntimeApi(server, posted);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>What the runtime posted back: the path (…/response or …/error), the exact body and the error type header.</summary>
internal sealed record PostedInvocation(string Path, byte[] Body, string? ErrorType)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
