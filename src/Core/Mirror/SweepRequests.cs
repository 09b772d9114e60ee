using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>A pending request to sweep a pool: when the first request came, how many came since.</summary>
public sealed record SweepRequest(string PoolId, DateTimeOffset FirstRequestedAt, long Count);

/// <summary>
/// Requests to sweep the primary pool, coalesced: however many changes could not be pinned to a user or group,
/// one item per pool records that a sweep is due (the first request's time and a count). The worker's sweep takes it.
/// </summary>
public interface ISweepRequests
{
    Task RequestAsync(string poolId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<SweepRequest?> PendingAsync(string poolId, CancellationToken cancellationToken);

    /// <summary>Clears the request if no new one arrived after <paramref name="sweepStartedAt"/> (those need another sweep).</summary>
    Task CompleteAsync(string poolId, DateTimeOffset sweepStartedAt, CancellationToken cancellationToken);
}

public sealed class DynamoDbSweepRequests(IAmazonDynamoDB dynamo, MirrorOptions options) : ISweepRequests
{
    private readonly string _table = options.TableName;

    public async Task RequestAsync(string poolId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = KeyOf(poolId),
                    UpdateExpression = "SET #first = if_not_exists(#first, :at), #last = :at ADD #n :one",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#first"] = Sweep.FirstRequestedAt, ["#last"] = Sweep.LastRequestedAt, ["#n"] = Sweep.Count },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = N(at.UtcTicks), [":one"] = N(1) },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "request a sweep");
        }
    }

    public async Task<SweepRequest?> PendingAsync(string poolId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = KeyOf(poolId), ConsistentRead = true }, cancellationToken);
            return response.Item is { Count: > 0 } item
                ? new SweepRequest(poolId, new DateTimeOffset(Number(item, Sweep.FirstRequestedAt), TimeSpan.Zero), Number(item, Sweep.Count))
                : null;
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "read sweep requests");
        }
    }

    public async Task CompleteAsync(string poolId, DateTimeOffset sweepStartedAt, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = _table,
                    Key = KeyOf(poolId),
                    ConditionExpression = "#last <= :started",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#last"] = Sweep.LastRequestedAt },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":started"] = N(sweepStartedAt.UtcTicks) },
                },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // More requests came while sweeping: keep the item, another sweep is due.
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "complete a sweep request");
        }
    }

    private static Dictionary<string, AttributeValue> KeyOf(string poolId) => Key(SweepPartition(poolId), SnapshotSortKey);
}
