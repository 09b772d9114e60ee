using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The capture hint queue: hints become due at their due time, in due order, and leave when completed.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbCaptureHintQueueTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DueAsync_BeforeAndAtTheDueTime_ReturnsTheHintOnlyOnceDue()
    {
        // Arrange
        var queue = await NewQueueAsync();
        var hint = Hint("jane", due: T0.AddSeconds(30));
        await queue.EnqueueAsync(hint, None);

        // Act
        var early = await queue.DueAsync(T0.AddSeconds(29), 10, None);
        var onTime = await queue.DueAsync(T0.AddSeconds(30), 10, None);
        var later = await queue.DueAsync(T0.AddMinutes(5), 10, None);

        // Assert
        Assert.Empty(early);
        Assert.Equal([hint], onTime);
        Assert.Equal([hint], later);
    }

    [Fact]
    public async Task DueAsync_SeveralDue_OldestDueFirstUpToTheLimit()
    {
        // Arrange
        var queue = await NewQueueAsync();
        await queue.EnqueueAsync(Hint("c", due: T0.AddSeconds(3)), None);
        await queue.EnqueueAsync(Hint("a", due: T0.AddSeconds(1)), None);
        await queue.EnqueueAsync(Hint("d", due: T0.AddSeconds(60)), None);
        await queue.EnqueueAsync(Hint("b", due: T0.AddSeconds(2)), None);

        // Act
        var all = await queue.DueAsync(T0.AddSeconds(10), 10, None);
        var two = await queue.DueAsync(T0.AddSeconds(10), 2, None);

        // Assert
        Assert.Equal(["a", "b", "c"], all.Select(h => h.Username));
        Assert.Equal(["a", "b"], two.Select(h => h.Username));
    }

    [Fact]
    public async Task CompleteAsync_DueHint_IsGone()
    {
        // Arrange
        var queue = await NewQueueAsync();
        var hint = Hint("jane", due: T0);
        var other = Hint("joe", due: T0);
        await queue.EnqueueAsync(hint, None);
        await queue.EnqueueAsync(other, None);

        // Act
        await queue.CompleteAsync(hint, None);

        // Assert
        Assert.Equal([other], await queue.DueAsync(T0.AddMinutes(1), 10, None));
    }

    [Fact]
    public async Task RescheduleAsync_DueHint_MovesItLaterAndCountsTheAttempt()
    {
        // Arrange
        var queue = await NewQueueAsync();
        var hint = Hint("jane", due: T0);
        await queue.EnqueueAsync(hint, None);

        // Act
        await queue.RescheduleAsync(hint, T0.AddMinutes(2), None);

        // Assert
        Assert.Empty(await queue.DueAsync(T0.AddMinutes(1), 10, None));
        var due = Assert.Single(await queue.DueAsync(T0.AddMinutes(2), 10, None));
        Assert.Equal(hint with { Due = T0.AddMinutes(2), Attempts = 1 }, due);
    }

    [Fact]
    public async Task EnqueueAsync_Hint_ExpiresADayAfterFirstSeen()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var queue = new DynamoDbCaptureHintQueue(dynalite.Client, options);

        // Act
        await queue.EnqueueAsync(Hint("jane", due: T0.AddSeconds(5)), None);

        // Assert
        var items = await dynalite.Client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = options.TableName,
            KeyConditionExpression = "pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new() { S = MirrorTable.HintsPartition } },
            ConsistentRead = true,
        });
        var item = Assert.Single(items.Items);
        Assert.Equal(T0.AddDays(1).ToUnixTimeSeconds(), long.Parse(item[MirrorTable.ExpiresAt].N, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static CaptureHint Hint(string username, DateTimeOffset due) => new()
    {
        Username = username,
        SourcePoolId = PrimaryPool,
        Source = CaptureSource.Trigger,
        FirstSeen = T0,
        Due = due,
    };

    private async Task<DynamoDbCaptureHintQueue> NewQueueAsync() => new(dynalite.Client, await dynalite.NewTableAsync());
}
