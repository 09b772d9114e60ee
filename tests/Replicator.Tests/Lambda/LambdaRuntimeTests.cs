using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Replicator.Lambda;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

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
            var json = JsonNode.Parse(input.Span)!;
            json["handled"] = true;
            return Task.FromResult<ReadOnlyMemory<byte>>(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
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
        Assert.DoesNotContain("secret detail", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HandlerHasABug_LogsAnErrorAndTheExceptionWithItsStackAtDebug()
    {
        await using var api = await FakeRuntimeApi.StartAsync(("req-3", "{}"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var logger = new FakeLogger();
        var runtime = new LambdaRuntime(http, api.HostAndPort, (_, _) => Buggy(), TimeProvider.System, logger);

        var running = runtime.RunAsync(stop.Token);
        await api.Posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        await stop.CancelAsync();
        await StoppedAsync(running);

        var records = logger.Collector.GetSnapshot();
        var error = Assert.Single(records, r => r.Id.Id == 1021);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("(NullReferenceException)", error.Message, StringComparison.Ordinal);
        var detail = Assert.Single(records, r => r.Id.Id == 1121);
        Assert.Equal(LogLevel.Debug, detail.Level);
        var exception = Assert.IsType<NullReferenceException>(detail.Exception);
        Assert.Contains(nameof(Buggy), exception.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EventCaptureFailed_AddsNoLogToTheCapturesOwn()
    {
        await using var api = await FakeRuntimeApi.StartAsync(("req-4", "{}"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var logger = new FakeLogger();
        var runtime = new LambdaRuntime(http, api.HostAndPort, (_, _) => throw new EventCaptureFailedException("The event could not be captured; Lambda will deliver it again."), TimeProvider.System, logger);

        var running = runtime.RunAsync(stop.Token);
        var (path, _, _) = await api.Posted.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        await stop.CancelAsync();
        await StoppedAsync(running);

        Assert.EndsWith("/error", path, StringComparison.Ordinal);
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    private static Task<ReadOnlyMemory<byte>> Buggy() => throw new NullReferenceException();

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
}
