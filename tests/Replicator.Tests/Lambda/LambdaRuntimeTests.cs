using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>The custom runtime loop against a fake Lambda Runtime API that serves queued invocations.</summary>
public sealed class LambdaRuntimeTests
{
    [Fact]
    public async Task RunAsync_Invocation_PostsTheHandlersOutputAsTheResponse()
    {
        await using var api = await FakeRuntimeApi.StartAsync(("req-1", """{"triggerSource":"PostConfirmation_ConfirmSignUp","n":1}"""));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var runtime = new LambdaRuntime(http, api.HostAndPort, (input, _) =>
        {
            input!["handled"] = true;
            return Task.FromResult<JsonNode?>(input);
        }, TimeProvider.System, NullLogger.Instance);

        var running = runtime.RunAsync(stop.Token);
        var (path, body, _) = await api.Posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        await stop.CancelAsync();
        await StoppedAsync(running);

        Assert.Equal("/2018-06-01/runtime/invocation/req-1/response", path);
        Assert.True(JsonNode.Parse(body)!["handled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_PostsAnErrorWithItsType()
    {
        await using var api = await FakeRuntimeApi.StartAsync(("req-2", "{}"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var runtime = new LambdaRuntime(http, api.HostAndPort, (_, _) => throw new InvalidOperationException("secret detail"), TimeProvider.System, NullLogger.Instance);

        var running = runtime.RunAsync(stop.Token);
        var (path, body, errorType) = await api.Posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        await stop.CancelAsync();
        await StoppedAsync(running);

        Assert.Equal("/2018-06-01/runtime/invocation/req-2/error", path);
        Assert.Equal("InvalidOperationException", errorType);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
    }

    /// <summary>Cancelled, the loop ends: either between invocations (returns) or while waiting for one (throws).</summary>
    private static async Task StoppedAsync(Task running)
    {
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        }
        catch (OperationCanceledException)
        {
            // Cancelled while waiting for the next invocation.
        }

        Assert.True(running.IsCompleted);
    }

    [Fact]
    public void FromEnvironment_MissingSetting_NamesTheVariable()
    {
        var environment = new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1", ["IDREP_TABLE_NAME"] = "mirror" };

        var error = Assert.Throws<ConfigurationException>(() =>
            ReplicatorFunction.FromEnvironment(name => environment.GetValueOrDefault(name), NullLoggerFactory.Instance, TimeProvider.System));

        Assert.Equal("IDREP_PRIMARY_POOL_ID", error.Key);
    }

    [Fact]
    public void FromEnvironment_BudgetBeyondCognitosTimeout_IsRefused()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["IDREP_TABLE_NAME"] = "mirror",
            ["IDREP_PRIMARY_POOL_ID"] = "us-east-1_Primary01",
            ["IDREP_TRIGGER_BUDGET_MS"] = "6000",
        };

        var error = Assert.Throws<ConfigurationException>(() =>
            ReplicatorFunction.FromEnvironment(name => environment.GetValueOrDefault(name), NullLoggerFactory.Instance, TimeProvider.System));

        Assert.Contains("TriggerBudget", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Serves the given invocations on /runtime/invocation/next (then waits forever) and records the first post.</summary>
    private sealed class FakeRuntimeApi : IAsyncDisposable
    {
        private readonly LocalServer _server;

        private FakeRuntimeApi(LocalServer server, TaskCompletionSource<(string, string, string?)> posted)
        {
            _server = server;
            Posted = posted;
        }

        public TaskCompletionSource<(string Path, string Body, string? ErrorType)> Posted { get; }

        public string HostAndPort => $"{_server.Url.Host}:{_server.Url.Port}";

        public static async Task<FakeRuntimeApi> StartAsync(params (string RequestId, string Payload)[] invocations)
        {
            var queue = new ConcurrentQueue<(string, string)>(invocations);
            var posted = new TaskCompletionSource<(string, string, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
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
                        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = TimeProvider.System.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                        await context.Response.WriteAsync(next.Item2, context.RequestAborted);
                    });
                    app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", async (HttpContext context) =>
                    {
                        using var reader = new StreamReader(context.Request.Body);
                        var body = await reader.ReadToEndAsync(context.RequestAborted);
                        var errorType = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
                        posted.TrySetResult((context.Request.Path.Value!, body, errorType));
                        context.Response.StatusCode = StatusCodes.Status202Accepted;
                    });
                },
                CancellationToken.None);
            return new FakeRuntimeApi(server, posted);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
