using System.Text.Json.Nodes;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Sandbox.EventBridge;

namespace IdentityReplicator.Sandbox.Tests.EventBridge;

public sealed class LocalEventBusTests
{
    /// <summary>EventBridge's limits with waits short enough for real time (LocalEventBusRetryTests covers the backoff on fake time).</summary>
    private static readonly EventRetryPolicy Quick = EventRetryPolicy.EventBridgeDefault with { FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(40) };

    [Fact]
    public async Task PutEvents_FromTheClient_IsStoredInEventBridgesEnvelope()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var client = EventBridgeClient.Create(new AwsEndpoint("us-east-1", bus.Url), SandboxEnvironment.Credentials);

        var response = await client.PutEventsAsync(new PutEventsRequest(
        [
            new PutEventsRequestEntry { Source = "identity-replicator", DetailType = "DriftReportCompleted", Detail = """{"differences":0}""" },
        ]));

        Assert.Equal(0, response.FailedEntryCount);
        var stored = Assert.Single(bus.Events);
        Assert.Equal(response.Entries![0].EventId, stored["id"]!.GetValue<string>());
        Assert.Equal("DriftReportCompleted", stored["detail-type"]!.GetValue<string>());
        Assert.Equal("identity-replicator", stored["source"]!.GetValue<string>());
        Assert.Equal(0, stored["detail"]!["differences"]!.GetValue<int>());
        Assert.Equal("us-east-1", stored["region"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutEvents_DetailNotJson_IsReportedAsAFailedEntry()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var client = EventBridgeClient.Create(new AwsEndpoint("us-east-1", bus.Url), SandboxEnvironment.Credentials);

        var response = await client.PutEventsAsync(new PutEventsRequest([new PutEventsRequestEntry { Source = "app", DetailType = "x", Detail = "not json" }]));

        Assert.Equal(1, response.FailedEntryCount);
        Assert.Equal("MalformedDetail", response.Entries![0].ErrorCode);
        Assert.Empty(bus.Events);
    }

    [Fact]
    public async Task Publish_MatchingSubscription_IsDeliveredToItsTarget()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var delivered = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Subscribe(new EventSubscription(
            "cognito",
            e => e["source"]?.GetValue<string>() == "aws.cognito-idp",
            (e, _) =>
            {
                delivered.TrySetResult(e);
                return Task.CompletedTask;
            },
            TimeSpan.Zero));

        bus.Publish("app", "Other", new JsonObject());
        bus.Publish("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["eventName"] = "AdminDisableUser" });

        var envelope = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        Assert.Equal("AdminDisableUser", envelope["detail"]!["eventName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Redeliver_StoredEvent_ReachesMatchingTargetsAgainAsTheSameEvent()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var published = bus.Publish("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["eventName"] = "AdminDeleteUser" });
        var delivered = new List<JsonObject>();
        var others = 0;
        bus.Subscribe(new EventSubscription("cognito", e => e["source"]?.GetValue<string>() == "aws.cognito-idp", (e, _) =>
        {
            lock (delivered)
            {
                delivered.Add(e);
            }

            return Task.CompletedTask;
        }, TimeSpan.Zero));
        bus.Subscribe(new EventSubscription("hints", e => e["source"]?.GetValue<string>() == "app", (_, _) =>
        {
            Interlocked.Increment(ref others);
            return Task.CompletedTask;
        }, TimeSpan.Zero));

        var failed = await bus.RedeliverAsync(published, CancellationToken.None) + await bus.RedeliverAsync(published, CancellationToken.None);

        Assert.Equal(0, failed);
        Assert.Equal(2, delivered.Count);
        Assert.All(delivered, e => Assert.Equal(published["id"]!.GetValue<string>(), e["id"]!.GetValue<string>()));
        Assert.All(delivered, e => Assert.Equal("AdminDeleteUser", e["detail"]!["eventName"]!.GetValue<string>()));
        Assert.Equal(0, others);
        Assert.Single(bus.Events);
    }

    [Fact]
    public async Task Redeliver_TargetFailsEveryAttempt_CountsTheDeliveryAsFailed()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var published = bus.Publish("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["eventName"] = "AdminDisableUser" });
        var attempts = 0;
        bus.Subscribe(new EventSubscription("cognito", _ => true, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the target is down");
        }, TimeSpan.Zero, Quick with { MaximumRetryAttempts = 2 }));

        var failed = await bus.RedeliverAsync(published, CancellationToken.None);

        Assert.Equal(1, failed);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task PublishAndWait_TargetFailsOnceThenTakesIt_ReportsTheFailedAttempt()
    {
        // Arrange: a target that fails its first attempt, as a function error does (EventBridge then retries).
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        var attempts = 0;
        bus.Subscribe(new EventSubscription("cognito", e => e["source"]?.GetValue<string>() == "aws.cognito-idp", (_, _) =>
            Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("the function failed") : Task.CompletedTask, TimeSpan.Zero, Quick));
        bus.Subscribe(new EventSubscription("hints", e => e["source"]?.GetValue<string>() == "app", (_, _) => Task.CompletedTask, TimeSpan.Zero));

        // Act
        var report = await bus.PublishAndWaitAsync("aws.cognito-idp", "AWS API Call via CloudTrail", new JsonObject { ["eventName"] = "AdminDeleteUser" }, CancellationToken.None);

        // Assert: one subscription took it, on its second attempt; the event is stored like any other.
        Assert.Equal(new DeliveryReport(Targets: 1, FailedAttempts: 1, Undelivered: 0), report);
        Assert.Equal(2, attempts);
        Assert.Equal("AdminDeleteUser", Assert.Single(bus.Events)["detail"]!["eventName"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishAndWait_NoSubscriptionMatches_ReportsNoTarget()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        bus.Subscribe(new EventSubscription("cognito", e => e["source"]?.GetValue<string>() == "aws.cognito-idp", (_, _) => Task.CompletedTask, TimeSpan.Zero));

        var report = await bus.PublishAndWaitAsync("app", "Other", new JsonObject(), CancellationToken.None);

        Assert.Equal(new DeliveryReport(Targets: 0, FailedAttempts: 0, Undelivered: 0), report);
    }

    [Fact]
    public async Task PutEvents_UnsupportedOperation_AnswersUnknownOperation()
    {
        await using var bus = await LocalEventBus.StartAsync(TimeProvider.System, "us-east-1", CancellationToken.None);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, bus.Url) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Target", "AWSEvents.PutRule");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("UnknownOperationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }
}
