using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Emulators;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// Delivers the hostile stream (<see cref="HostilePlan"/>) while the application writes, into the capture paths the
/// sandbox gives real input: events through its event bus, whose rules hand them to the Replicator as EventBridge's
/// do; trigger payloads, as raw bytes, through its Lambda Invoke endpoint, where Cognito's triggers arrive. Each is
/// delivered once the application has made its number of writes, a few at a time, and judged as it ends
/// (<see cref="HostileJudge"/>). Disposing stops the Invoke client.
/// </summary>
internal sealed class HostileInjector(SandboxEnvironment sandbox, int concurrency = 4) : IDisposable
{
    private readonly HttpClient _lambda = new() { BaseAddress = sandbox.LambdaEndpoint, Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<string> _failures = new();
    private int _delivered;

    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>What broke a rule, one line each.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>Delivers every input once the application has made its number of writes; returns when all have ended.</summary>
    public async Task RunAsync(IReadOnlyList<HostileInput> inputs, WriteProgress progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency);
        var running = new List<Task>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                await progress.WhenReached(input.AfterWrites).WaitAsync(cancellationToken);
                await slots.WaitAsync(cancellationToken);
                running.Add(DeliverAsync(input, slots, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    public void Dispose() => _lambda.Dispose();

    private async Task DeliverAsync(HostileInput input, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var problem = input.Event is { } e
                ? HostileJudge.Event(input.Kind, await sandbox.EventBus.PublishAndWaitAsync(e.Source, e.DetailType, e.Detail, cancellationToken))
                : await InvokeAsync(input, cancellationToken);
            Interlocked.Increment(ref _delivered);
            if (problem is not null)
            {
                _failures.Enqueue(problem);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _delivered);
            _failures.Enqueue($"{input.Kind}: the Invoke API gave no answer ({e.GetType().Name})");
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<string?> InvokeAsync(HostileInput input, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(input.Trigger!);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _lambda.PostAsync($"2015-03-31/functions/{CognitoLocal.TriggerFunction}/invocations", content, cancellationToken);
        var answered = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var functionError = response.Headers.TryGetValues("X-Amz-Function-Error", out var values) ? string.Join(",", values) : null;
        return HostileJudge.Trigger(input.Kind, response.StatusCode, functionError, input.Trigger, answered);
    }
}

/// <summary>
/// What the Replicator itself counted while it listened, from its own metrics: capture outcomes
/// (<c>idrep.capture.recorded</c>, by outcome) and trigger invocations it could not use (<c>idrep.capture.failed</c>,
/// by reason). <see cref="Rejected"/> is the input it refused as bad — events <c>Invalid</c> or <c>Malformed</c>,
/// trigger payloads unreadable or malformed — which the application's own writes never produce. Counts every capture
/// in this process, so only one sandbox may run while it listens.
/// </summary>
internal sealed class HostileOutcomes : IDisposable
{
    private static readonly HashSet<string> RefusedEvents = ["Invalid", "Malformed"];
    private static readonly HashSet<string> RefusedTriggers = ["invalid-utf8", "not-json", "duplicate-key", "lone-surrogate", "malformed"];
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public HostileOutcomes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReplicationMetrics.MeterName && instrument.Name is "idrep.capture.recorded" or "idrep.capture.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var name = instrument.Name == "idrep.capture.recorded" ? "outcome" : "reason";
            foreach (var tag in tags)
            {
                if (tag.Key == name && tag.Value is string text && (name == "outcome" ? RefusedEvents : RefusedTriggers).Contains(text))
                {
                    _counts.AddOrUpdate($"{(name == "outcome" ? "event" : "trigger")} {text}", value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Refusals by kind ("event Invalid", "trigger duplicate-key", …).</summary>
    public IReadOnlyDictionary<string, long> Counts => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public long Rejected => _counts.Values.Sum();

    public void Dispose() => _listener.Dispose();
}

/// <summary>The application's running count of writes, for work that waits for a number of them.</summary>
internal sealed class WriteProgress
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
    private int _done;

    public void Report(int done)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, done);
            foreach (var waiter in _waiting.Where(w => w.Count <= _done).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiting.Remove(waiter);
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> writes are done.</summary>
    public Task WhenReached(int count)
    {
        lock (_gate)
        {
            if (count <= _done)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((count, reached));
            return reached.Task;
        }
    }
}
