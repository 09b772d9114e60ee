using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.EventBridge;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.EventBridge;

/// <summary>
/// The local bus retries a failed delivery as EventBridge's retry policy does (exponential backoff with jitter, until the
/// event's maximum age or attempts, or until the sandbox stops), on fake time: each test advances the clock when the bus
/// has armed its next backoff timer, never sleeps.
/// </summary>
public sealed class LocalEventBusRetryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Deliver_TargetFailsFiveTimesThenTakesIt_DeliveredOnceAfterGrowingCappedBackoff()
    {
        // Arrange: a target that fails five attempts (a capture failing while CI is loaded), then takes the event.
        var time = new ArmedTimeProvider();
        await using var bus = await LocalEventBus.StartAsync(time, "us-east-1", null, EventRetryPolicy.EventBridgeDefault, CancellationToken.None);
        var attempts = 0;
        var delivered = 0;
        bus.Subscribe(new EventSubscription("cognito", _ => true, (_, _) =>
        {
            if (Interlocked.Increment(ref attempts) <= 5)
            {
                throw new InvalidOperationException("the function failed");
            }

            Interlocked.Increment(ref delivered);
            return Task.CompletedTask;
        }, TimeSpan.Zero));

        // Act
        var report = bus.PublishAndWaitAsync("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["eventName"] = "AdminDisableUser" }, CancellationToken.None);
        await time.AdvanceThroughBackoffsAsync(5);

        // Assert: delivered once; each wait at most double the last one's ceiling, never above 30 s, never nothing.
        Assert.Equal(new DeliveryReport(Targets: 1, FailedAttempts: 5, Undelivered: 0), await report.WaitAsync(Timeout));
        Assert.Equal((6, 1, 0), (attempts, delivered, bus.Dropped));
        var ceilings = new[] { 1, 2, 4, 8, 16 }.Select(s => TimeSpan.FromSeconds(s)).ToArray();
        Assert.Equal(5, time.Delays.Count);
        Assert.All(time.Delays.Zip(ceilings), d => Assert.InRange(d.First, d.Second / 2, d.Second));
    }

    [Fact]
    public async Task Deliver_TargetFailsPastTheEventsMaximumAge_DroppedCountedAndLoggedWithoutTheEvent()
    {
        // Arrange: a target that always fails; events may wait 2 minutes (EventBridge's least is 60 s).
        var time = new ArmedTimeProvider();
        var logger = new FakeLogger<LocalEventBus>();
        var policy = EventRetryPolicy.EventBridgeDefault with { MaximumEventAge = TimeSpan.FromMinutes(2) };
        await using var bus = await LocalEventBus.StartAsync(time, "us-east-1", logger, policy, CancellationToken.None);
        var attempts = 0;
        bus.Subscribe(new EventSubscription("cognito", _ => true, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the function failed for ann@example.com");
        }, TimeSpan.Zero));

        // Act
        var report = bus.PublishAndWaitAsync("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["userName"] = "ann@example.com" }, CancellationToken.None);
        var waits = await time.AdvanceUntilAsync(report, maxBackoffs: 100);

        // Assert: dropped once the next attempt would start past 2 minutes, counted, logged without personal data.
        Assert.Equal(1, (await report.WaitAsync(Timeout)).Undelivered);
        Assert.Equal(1, bus.Dropped);
        Assert.InRange(time.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b), TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2));
        Assert.Equal(waits + 1, attempts);
        var dropped = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("maximum age", dropped.Message, StringComparison.Ordinal);
        Assert.Contains("cognito", dropped.Message, StringComparison.Ordinal);
        Assert.All(logger.Collector.GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Information), r => Assert.DoesNotContain("ann@example.com", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_MaximumRetryAttemptsReached_DroppedAfterThatManyRetries()
    {
        var time = new ArmedTimeProvider();
        await using var bus = await LocalEventBus.StartAsync(time, "us-east-1", null, EventRetryPolicy.EventBridgeDefault, CancellationToken.None);
        var attempts = 0;
        bus.Subscribe(new EventSubscription("cognito", _ => true, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the target is down");
        }, TimeSpan.Zero, EventRetryPolicy.EventBridgeDefault with { MaximumRetryAttempts = 2 }));

        var report = bus.PublishAndWaitAsync("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject(), CancellationToken.None);
        await time.AdvanceThroughBackoffsAsync(2);

        Assert.Equal(new DeliveryReport(Targets: 1, FailedAttempts: 3, Undelivered: 1), await report.WaitAsync(Timeout));
        Assert.Equal((3, 1), (attempts, bus.Dropped));
    }

    [Fact]
    public async Task Dispose_WhileADeliveryWaitsToRetry_EndsItPromptlyAndCountsTheDrop()
    {
        // Arrange: a delivery failed once and waits for its retry (a day of retries ahead by default).
        var time = new ArmedTimeProvider();
        var bus = await LocalEventBus.StartAsync(time, "us-east-1", null, EventRetryPolicy.EventBridgeDefault, CancellationToken.None);
        var attempts = 0;
        bus.Subscribe(new EventSubscription("cognito", _ => true, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the target is down");
        }, TimeSpan.Zero));
        bus.Publish("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject());
        await time.Armed.WaitAsync(Timeout);

        // Act: the sandbox stops without the clock moving.
        await bus.DisposeAsync().AsTask().WaitAsync(Timeout);

        // Assert
        Assert.Equal((1, 1), (attempts, bus.Dropped));
    }

    /// <summary>Fake time that says when a timer is armed (the bus's next backoff), and what it waits.</summary>
    private sealed class ArmedTimeProvider : FakeTimeProvider
    {
        public ArmedTimeProvider()
            : base(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero))
        {
        }

        public SemaphoreSlim Armed { get; } = new(0);

        public ConcurrentQueue<TimeSpan> Delays { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime > TimeSpan.Zero && dueTime != global::System.Threading.Timeout.InfiniteTimeSpan)
            {
                Delays.Enqueue(dueTime);
                Armed.Release();
            }

            return timer;
        }

        /// <summary>Lets <paramref name="count"/> backoff timers fire, each as soon as it is armed.</summary>
        public async Task AdvanceThroughBackoffsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await Armed.WaitAsync(Timeout), $"backoff {i + 1} was never armed");
                Advance(Delays.Last());
            }
        }

        /// <summary>Fires each backoff as it is armed until <paramref name="done"/> ends; how many it fired.</summary>
        public async Task<int> AdvanceUntilAsync(Task done, int maxBackoffs)
        {
            for (var fired = 0; fired < maxBackoffs; fired++)
            {
                var armed = Armed.WaitAsync(Timeout);
                if (await Task.WhenAny(armed, done) == done)
                {
                    return fired;
                }

                Assert.True(await armed, $"backoff {fired + 1} was never armed");
                Advance(Delays.Last());
            }

            throw new Xunit.Sdk.XunitException($"still retrying after {maxBackoffs} backoffs");
        }
    }
}
