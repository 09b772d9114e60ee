using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.EventBridge;

/// <summary>
/// A subscription: events the pattern accepts are delivered to the target after a delay (EventBridge's own latency,
/// simulated), and a failed delivery is retried by <paramref name="Retry"/> (the bus's policy when null).
/// </summary>
public sealed record EventSubscription(string Name, Func<JsonObject, bool> Pattern, Func<JsonObject, CancellationToken, Task> Target, TimeSpan Delay, EventRetryPolicy? Retry = null);

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
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentDictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _deliveries = new();
    private readonly TimeProvider _time;
    private readonly string _region;
    private readonly ILogger _logger;
    private readonly EventRetryPolicy _retry;
    private LocalServer? _server;
    private int _dropped;

    private LocalEventBus(TimeProvider time, string region, ILogger? logger, EventRetryPolicy? retry)
    {
        _time = time;
        _region = region;
        _logger = logger ?? NullLogger.Instance;
        _retry = (retry ?? EventRetryPolicy.EventBridgeDefault).Validated();
    }

    /// <summary>Deliveries given up: past the event's maximum age or retries, or still waiting when the bus stopped.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public Uri Url => _server?.Url ?? throw new InvalidOperationException("The local event bus is not running.");

    /// <summary>Every event received, in EventBridge's envelope, oldest first.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <summary>Raised for every event received (after it is stored).</summary>
    public event Action<JsonObject>? Received;

    public static Task<LocalEventBus> StartAsync(TimeProvider time, string region, CancellationToken cancellationToken) =>
        StartAsync(time, region, logger: null, retry: null, cancellationToken);

    /// <summary>A bus whose subscriptions retry by <paramref name="retry"/> unless they say otherwise (EventBridge's default when null).</summary>
    public static async Task<LocalEventBus> StartAsync(TimeProvider time, string region, ILogger? logger, EventRetryPolicy? retry, CancellationToken cancellationToken)
    {
        var bus = new LocalEventBus(time, region, logger, retry);
        bus._server = await LocalServer.StartAsync(app => app.MapPost("/", bus.HandleAsync), cancellationToken);
        return bus;
    }

    public void Subscribe(EventSubscription subscription)
    {
        _ = subscription.Retry?.Validated();
        _subscriptions[subscription.Name] = subscription;
    }

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
        var delivery = Task.Run(() => DeliverWithRetriesAsync(subscription, envelope, failures), _stopping.Token);
        _deliveries[delivery] = 0;
        delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return delivery;
    }

    /// <summary>
    /// Like EventBridge delivering to a rule's target: a failed delivery is tried again after an exponential backoff
    /// with jitter, until the event is older than the policy's maximum age or the retries run out — then it is dropped,
    /// counted and logged (the last failure rethrown) — or until the bus stops.
    /// </summary>
    private async Task DeliverWithRetriesAsync(EventSubscription subscription, JsonObject envelope, StrongBox<int>? failures)
    {
        var policy = subscription.Retry ?? _retry;
        var receivedAt = _time.GetUtcNow();
        var eventId = envelope["id"]?.GetValue<string>() ?? "?";
        var attempt = 0;
        var waitingToRetry = false;
        try
        {
            if (subscription.Delay > TimeSpan.Zero)
            {
                await Task.Delay(subscription.Delay, _time, _stopping.Token);
            }

            while (true)
            {
                attempt++;
                try
                {
                    await subscription.Target(envelope, _stopping.Token);
                    return;
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    if (failures is not null)
                    {
                        Interlocked.Increment(ref failures.Value);
                    }

                    var delay = policy.Backoff(attempt, Random.Shared);
                    var age = _time.GetUtcNow() - receivedAt;
                    var reason = attempt > policy.MaximumRetryAttempts ? $"its {policy.MaximumRetryAttempts} retries ran out"
                        : age + delay > policy.MaximumEventAge ? $"the next attempt would pass its maximum age ({policy.MaximumEventAge.TotalSeconds:0} s)"
                        : null;
                    if (reason is not null)
                    {
                        Drop(eventId, subscription.Name, attempt, age, reason);
                        throw;
                    }

                    Log.EventDeliveryFailed(_logger, eventId, subscription.Name, attempt, delay.TotalMilliseconds, e);
                    waitingToRetry = true;
                    await Task.Delay(delay, _time, _stopping.Token);
                    waitingToRetry = false;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            if (waitingToRetry)
            {
                // A failed event the sandbox stopped retrying; an attempt in flight at shutdown is not counted.
                Drop(eventId, subscription.Name, attempt, _time.GetUtcNow() - receivedAt, "the sandbox stopped before its next retry");
            }

            throw;
        }
    }

    private void Drop(string eventId, string subscription, int attempts, TimeSpan age, string reason)
    {
        Interlocked.Increment(ref _dropped);
        Log.EventDropped(_logger, eventId, subscription, attempts, age.TotalSeconds, reason);
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
