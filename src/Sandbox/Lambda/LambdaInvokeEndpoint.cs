using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Lambda;

/// <summary>
/// The Lambda Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>, RequestResponse) on 127.0.0.1, so the
/// Cognito emulator's triggers run the real Replicator handler in this process. Like Lambda it refuses a body that is
/// not JSON at all; otherwise the function gets the body's bytes as they came and its reply goes back as it returned
/// it, as the custom runtime does. A handler that throws answers like Lambda does: status 200 with
/// <c>X-Amz-Function-Error: Unhandled</c>.
/// </summary>
internal static class LambdaInvokeEndpoint
{
    public static Task<LocalServer> StartAsync(
        IReadOnlyDictionary<string, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>>> functions,
        CancellationToken cancellationToken) =>
        LocalServer.StartAsync(
            app => app.MapPost("/2015-03-31/functions/{name}/invocations", async (string name, HttpContext context) =>
            {
                var response = context.Response;
                if (!functions.TryGetValue(Uri.UnescapeDataString(name), out var function))
                {
                    response.StatusCode = StatusCodes.Status404NotFound;
                    response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
                    await response.WriteAsJsonAsync(new JsonObject { ["Type"] = "User", ["Message"] = $"Function not found: {name}" }, context.RequestAborted);
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                var input = body.ToArray();
                try
                {
                    // Syntax only, as Lambda checks it (duplicate keys and odd escapes are the function's business).
                    using var _ = JsonDocument.Parse(input);
                }
                catch (JsonException)
                {
                    response.StatusCode = StatusCodes.Status400BadRequest;
                    response.Headers["x-amzn-ErrorType"] = "InvalidRequestContentException";
                    await response.WriteAsJsonAsync(new JsonObject { ["Type"] = "User", ["message"] = "Could not parse request body into json" }, context.RequestAborted);
                    return;
                }

                response.Headers["X-Amz-Executed-Version"] = "$LATEST";
                response.ContentType = "application/json";
                try
                {
                    var output = await function(input, context.RequestAborted);
                    await response.Body.WriteAsync(output, context.RequestAborted);
                }
                catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
                {
                    response.Headers["X-Amz-Function-Error"] = "Unhandled";
                    await response.WriteAsync(new JsonObject { ["errorMessage"] = "The function failed.", ["errorType"] = e.GetType().Name }.ToJsonString(), context.RequestAborted);
                }
            }),
            cancellationToken);
}
