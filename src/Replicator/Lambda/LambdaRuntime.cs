using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Lambda;

/// <summary>
/// The AWS Lambda custom runtime protocol: fetch the next invocation, run the handler, post the response (or the
/// error). Runs until cancelled. See "Using the Lambda runtime API for custom runtimes" in the Lambda guide. The handler
/// gets the invocation's bytes as they came and its reply is posted as it returned it: reading them is the handler's
/// business (<see cref="ReplicatorFunction.InvokeAsync"/>), so no payload can fail an invocation here.
/// </summary>
internal sealed class LambdaRuntime(HttpClient http, string runtimeApi, Func<ReadOnlyMemory<byte>, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, TimeProvider time, ILogger logger)
{
    private const string Version = "2018-06-01";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var next = await http.GetAsync(new Uri($"http://{runtimeApi}/{Version}/runtime/invocation/next"), HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!next.IsSuccessStatusCode)
            {
                Log.RuntimeProblem(logger, $"GET invocation/next answered {(int)next.StatusCode}");
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
                continue;
            }

            var requestId = next.Headers.TryGetValues("Lambda-Runtime-Aws-Request-Id", out var ids) ? ids.First() : null;
            if (requestId is null)
            {
                Log.RuntimeProblem(logger, "invocation without Lambda-Runtime-Aws-Request-Id");
                continue;
            }

            using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (next.Headers.TryGetValues("Lambda-Runtime-Deadline-Ms", out var deadlines)
                && long.TryParse(deadlines.First(), out var deadlineMs))
            {
                var remaining = DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs) - time.GetUtcNow();
                invocation.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }

            try
            {
                var input = await next.Content.ReadAsByteArrayAsync(cancellationToken);
                var output = await handler(input, invocation.Token);
                await PostAsync($"invocation/{requestId}/response", output, null, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (e is not EventCaptureFailedException)
                {
                    // EventCaptureFailedException was logged where the capture failed (EventId 1031); anything else is a bug.
                    Log.HandlerFailed(logger, Reasons.Of(e));
                    Log.HandlerFailedDetail(logger, e);
                }

                var error = new JsonObject { ["errorMessage"] = "The handler failed.", ["errorType"] = e.GetType().Name };
                await PostAsync($"invocation/{requestId}/error", Encoding.UTF8.GetBytes(error.ToJsonString()), e.GetType().Name, cancellationToken);
            }
        }
    }

    /// <summary>Reports a failure to initialise (missing configuration) so Lambda shows it.</summary>
    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["errorMessage"] = error.Message, ["errorType"] = error.GetType().Name };
        return PostAsync("init/error", Encoding.UTF8.GetBytes(body.ToJsonString()), error.GetType().Name, cancellationToken);
    }

    private async Task PostAsync(string path, ReadOnlyMemory<byte> json, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{runtimeApi}/{Version}/runtime/{path}")) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Log.RuntimeProblem(logger, $"POST {path.Split('/')[^1]} answered {(int)response.StatusCode}");
        }
    }
}
