using System.Net;
using System.Net.Sockets;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>The trigger path against a real DynamoDB emulator, including when the table or the endpoint is gone.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class TriggerCaptureDynamoTests(DynaliteFixture dynalite)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    // Generous: the assertion is "returns within its budget, not after Cognito's 5 s", on a loaded 2-core machine.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(3000);

    [Fact]
    public async Task HandleAsync_PostConfirmation_WritesASnapshotThatTheMirrorReturns()
    {
        var options = await dynalite.NewTableAsync();
        // Cognito's own ceiling, not the 500 ms the budget tests use: this test is about the write, and the first
        // DynamoDB call of a cold test process (SDK start-up, JIT) can take longer than 500 ms on a loaded CI machine.
        var function = Function(dynalite.Client, options, TimeSpan.FromSeconds(5));

        await function.HandleAsync(TriggerEvents.PostConfirmation(), CancellationToken.None);

        var snapshot = await new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System).GetUserAsync("alice", CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal("pro", snapshot.Profile!.Attributes["custom:tier"]);
        Assert.NotNull(snapshot.FeedPosition);
    }

    [Fact]
    public async Task HandleAsync_TableMissing_ReturnsTheEventWithinItsBudget()
    {
        var options = new MirrorOptions { TableName = "no-such-table", FeedBuckets = 4 };
        var function = Function(dynalite.Client, options);
        var @event = TriggerEvents.PostConfirmation();

        var started = TimeProvider.System.GetTimestamp();
        var result = await function.HandleAsync(@event, CancellationToken.None);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Same(@event, result);
        Assert.True(elapsed < Budget + Slack, $"took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task HandleAsync_EndpointDown_ReturnsTheEventWithinItsBudget()
    {
        using var nobody = DynaliteFixture.CreateClient(new Uri($"http://127.0.0.1:{ClosedPort()}/"), timeout: Budget, maxErrorRetry: 1);
        var function = Function(nobody, new MirrorOptions { TableName = "mirror", FeedBuckets = 4 });
        var @event = TriggerEvents.PostConfirmation();

        var started = TimeProvider.System.GetTimestamp();
        var result = await function.HandleAsync(@event, CancellationToken.None);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Same(@event, result);
        Assert.True(elapsed < Budget + Slack, $"took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task HandleAsync_EndpointThatNeverAnswers_ReturnsTheEventWithinItsBudget()
    {
        // A listener that accepts connections and never replies: the worst case, a hung network path.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var hanging = DynaliteFixture.CreateClient(new Uri($"http://127.0.0.1:{port}/"), timeout: TimeSpan.FromSeconds(30), maxErrorRetry: 3);
        var function = Function(hanging, new MirrorOptions { TableName = "mirror", FeedBuckets = 4 });
        var @event = TriggerEvents.PostConfirmation();

        var started = TimeProvider.System.GetTimestamp();
        var result = await function.HandleAsync(@event, CancellationToken.None);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Same(@event, result);
        Assert.True(elapsed < Budget + Slack, $"took {elapsed.TotalMilliseconds:0} ms");
    }

    private static ReplicatorFunction Function(Amazon.DynamoDBv2.IAmazonDynamoDB dynamo, MirrorOptions options, TimeSpan? budget = null) =>
        ReplicatorFunction.Create(
            dynamo,
            new InMemoryUserDirectory(TriggerEvents.PrimaryPool),
            options,
            new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, TriggerBudget = budget ?? Budget },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
