using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.EventBridge;

/// <summary>A subscription: events the pattern accepts are delivered to the target after a delay (EventBridge's own latency, simulated).</summary>
public sealed record EventSubscription(string Name, Func<JsonObject, bool> Pattern, Func<JsonObject, CancellationToken, Task> Target, TimeSpan Delay);

/// <summary>
/// How one event's deliveries went: the subscriptions that took it, the attempts that failed (each one a retry, as a
/// function error makes EventBridge and Lambda try again), and the deliveries that failed every attempt.
/// </summary>
public sealed record DeliveryReport(int Targets, int FailedAttempts, int Undelivered);

/// <summary>
/// Amazon EventBridge on 127.0.0.1 for the sandbox: PutEvents over the real JSON 1.1 protocol (<c>AWSEvents.PutEvents</c>),
/// every event kept (tests and the demo read them) and delivered, in EventBridge's envelope, to the subscriptions
/// whose pattern matches. Events can also be published from inside the process (the sandbox's CloudTrail stand-in).
/// </summary>
public sealed class LocalEventBus : IAsyncDisposable
{
    private const string Account = "000000000000";
    private const int MaxDeliveryAttempts = 3;
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentDictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _deliveries = new();
    private readonly TimeProvider _time;
    private readonly string _region;
    private LocalServer? _server;

    private LocalEventBus(TimeProvider time, string region)
    {
        _time = time;
        _region = region;
    }

    public Uri Url => _server?.Url ?? throw new InvalidOperationException("The local event bus is not running.");

    /// <summary>Every event received, in EventBridge's envelope, oldest first.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <summary>Raised for every event received (after it is stored).</summary>
    public event Action<JsonObject>? Received;

    public static async Task<LocalEventBus> StartAsync(TimeProvider time, string region, CancellationToken cancellationToken)
    {
        var bus = new LocalEventBus(time, region);
        bus._server = await LocalServer.StartAsync(app => app.MapPost("/", bus.HandleAsync), cancellationToken);
        return bus;
    }

    public void Subscribe(EventSubscription subscription) => _subscriptions[subscription.Name] = subscription;

    /// <summary>Publishes an event as if PutEvents had received it.</summary>
    public JsonObject Publish(string source, string detailType, JsonObject detail, IEnumerable<string>? resources = null, DateTimeOffset? time = null)
    {
        var envelope = Store(source, detailType, detail, resources, time);
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.Pattern(envelope))
            {
                _ = Deliver(subscription, (JsonObject)envelope.DeepClone(), failures: null);
            }
        }

        return envelope;
    }

    /// <summary>
    /// Publishes an event as <see cref="Publish"/> does, and waits until every delivery has ended: how many subscriptions
    /// took it, how many attempts failed, how many deliveries failed every attempt.
    /// </summary>
    public async Task<DeliveryReport> PublishAndWaitAsync(string source, string detailType, JsonObject detail, CancellationToken cancellationToken) =>
        await DeliverAndWaitAsync(Store(source, detailType, detail, resources: null, time: null), cancellationToken);

    private JsonObject Store(string source, string detailType, JsonObject detail, IEnumerable<string>? resources, DateTimeOffset? time)
    {
        var envelope = new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = detailType,
            ["source"] = source,
            ["account"] = Account,
            ["time"] = (time ?? _time.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["region"] = _region,
            ["resources"] = new JsonArray([.. (resources ?? []).Select(r => (JsonNode)JsonValue.Create(r)!)]),
            ["detail"] = detail,
        };
        _events.Enqueue(envelope);
        Received?.Invoke(envelope);
        return envelope;
    }

    /// <summary>
    /// Delivers an event received earlier again — the same envelope, same id — to every subscription whose pattern
    /// accepts it, with the same delay and retries, as EventBridge does when it delivers an event late or twice.
    /// Returns, once every delivery has ended, how many failed every attempt (EventBridge would dead-letter them).
    /// </summary>
    public async Task<int> RedeliverAsync(JsonObject envelope, CancellationToken cancellationToken) =>
        (await DeliverAndWaitAsync(envelope, cancellationToken)).Undelivered;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_deliveries.Keys);
        }
        catch (OperationCanceledException)
        {
            // Deliveries still waiting were dropped, as on shutdown.
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task<DeliveryReport> DeliverAndWaitAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        var failures = new StrongBox<int>();
        var deliveries = _subscriptions.Values.Where(s => s.Pattern(envelope)).Select(s => Deliver(s, (JsonObject)envelope.DeepClone(), failures)).ToList();
        var undelivered = 0;
        foreach (var delivery in deliveries)
        {
            try
            {
                await delivery.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && delivery.IsFaulted)
            {
                undelivered++;
            }
        }

        return new DeliveryReport(deliveries.Count, Volatile.Read(ref failures.Value), undelivered);
    }

    private Task Deliver(EventSubscription subscription, JsonObject envelope, StrongBox<int>? failures)
    {
        var delivery = Task.Run(
            async () =>
            {
                if (subscription.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(subscription.Delay, _time, _stopping.Token);
                }

                // Like EventBridge delivering to Lambda asynchronously: a failed delivery is tried again, with backoff.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await subscription.Target(envelope, _stopping.Token);
                        return;
                    }
                    catch (Exception) when (!_stopping.IsCancellationRequested)
                    {
                        if (failures is not null)
                        {
                            Interlocked.Increment(ref failures.Value);
                        }

                        if (attempt >= MaxDeliveryAttempts)
                        {
                            throw;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _time, _stopping.Token);
                    }
                }
            },
            _stopping.Token);
        _deliveries[delivery] = 0;
        delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return delivery;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        context.Response.ContentType = "application/x-amz-json-1.1";
        if (target != "AWSEvents.PutEvents")
        {
            await ErrorAsync(context, "UnknownOperationException", $"The sandbox's event bus supports PutEvents only, not {target}.");
            return;
        }

        JsonObject? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request?["Entries"] is not JsonArray entries || entries.Count is 0 or > 10)
        {
            await ErrorAsync(context, "ValidationException", "Entries must hold between 1 and 10 events.");
            return;
        }

        var results = new JsonArray();
        var failed = 0;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var source = entry["Source"]?.GetValue<string>();
            var detailType = entry["DetailType"]?.GetValue<string>();
            JsonObject? detail = null;
            try
            {
                detail = JsonNode.Parse(entry["Detail"]?.GetValue<string>() ?? string.Empty) as JsonObject;
            }
            catch (JsonException)
            {
                // Reported below as EventBridge does.
            }

            if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(detailType) || detail is null)
            {
                failed++;
                results.Add(new JsonObject { ["ErrorCode"] = "MalformedDetail", ["ErrorMessage"] = "Source, DetailType and a JSON object Detail are required." });
                continue;
            }

            DateTimeOffset? time = entry["Time"] is JsonValue t && t.TryGetValue<double>(out var seconds) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;
            var resources = entry["Resources"] is JsonArray r ? r.OfType<JsonValue>().Select(v => v.GetValue<string>()) : null;
            var published = Publish(source, detailType, detail, resources, time);
            results.Add(new JsonObject { ["EventId"] = published["id"]!.GetValue<string>() });
        }

        await context.Response.WriteAsync(new JsonObject { ["FailedEntryCount"] = failed, ["Entries"] = results }.ToJsonString(), context.RequestAborted);
    }

    private static async Task ErrorAsync(HttpContext context, string type, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        await context.Response.WriteAsync(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(), context.RequestAborted);
    }
}
