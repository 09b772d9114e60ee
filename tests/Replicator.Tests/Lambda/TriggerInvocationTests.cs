using System.Text;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.Replicator.Tests.Capture;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>
/// A trigger invocation never fails the user's sign-up or sign-in: whatever payload the runtime hands over, the function
/// answers with a response (never an error) that is the caller's event, byte for byte.
/// </summary>
public sealed class TriggerInvocationTests
{
    public static TheoryData<string> MalformedPayloads => new()
    {
        "request-is-a-string",
        "duplicate-top-level-key",
        "duplicate-attribute",
        "lone-surrogate-in-attribute",
        "lone-surrogate-in-username",
        "invalid-utf8-in-attribute",
        "truncated",
        "nested-too-deep",
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public async Task RunAsync_MalformedTriggerPayload_PostsTheEventBackByteForByte(string mutation)
    {
        var payload = Malformed(mutation);
        var harness = new FunctionHarness();
        await using var api = await FakeRuntimeApi.StartAsync(("req-1", payload));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var runtime = new LambdaRuntime(http, api.HostAndPort, harness.Function.InvokeAsync, TimeProvider.System, NullLogger.Instance);

        var running = runtime.RunAsync(stop.Token);
        var posted = await api.Posted.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        await stop.CancelAsync();
        await StoppedAsync(running);

        Assert.Equal("/2018-06-01/runtime/invocation/req-1/response", posted.Path);
        Assert.Null(posted.ErrorType);
        Assert.Equal(payload, posted.Body);
    }

    /// <summary>A PostConfirmation event as Cognito sends it, broken in one way.</summary>
    internal static byte[] Malformed(string mutation)
    {
        var valid = TriggerEvents.PostConfirmation().ToJsonString();
        switch (mutation)
        {
            case "request-is-a-string":
                var @event = TriggerEvents.PostConfirmation();
                @event["request"] = "x";
                return Encoding.UTF8.GetBytes(@event.ToJsonString());
            case "duplicate-top-level-key":
                return Encoding.UTF8.GetBytes("{\"userName\":\"mallory\"," + valid[1..]);
            case "duplicate-attribute":
                return Encoding.UTF8.GetBytes(Replace(valid, "\"email_verified\":\"true\"", "\"email_verified\":\"true\",\"email_verified\":\"false\""));
            case "lone-surrogate-in-attribute":
                return Encoding.UTF8.GetBytes(Replace(valid, "Alice Example", "Alice \\ud800 Example"));
            case "lone-surrogate-in-username":
                return Encoding.UTF8.GetBytes(Replace(valid, "\"userName\":\"alice\"", "\"userName\":\"al\\udc00ice\""));
            case "invalid-utf8-in-attribute":
                var bytes = Encoding.UTF8.GetBytes(valid);
                var at = valid.IndexOf("Alice Example", StringComparison.Ordinal) + "Alice".Length;
                bytes[at] = 0xFF;
                return bytes;
            case "truncated":
                return Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]);
            case "nested-too-deep":
                return Encoding.UTF8.GetBytes(Replace(valid, "\"custom:tier\":\"pro\"", "\"custom:tier\":" + new string('[', 100) + new string(']', 100)));
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "no such mutation");
        }
    }

    private static string Replace(string json, string what, string with)
    {
        Assert.Contains(what, json, StringComparison.Ordinal);
        return json.Replace(what, with, StringComparison.Ordinal);
    }

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
    }
}
