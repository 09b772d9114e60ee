using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// <see cref="IReplicaStateStore"/> on DynamoDB, in the mirror table (items keyed by Region). The applied state and its
/// apply lease are in DynamoDbReplicaStateStore.Applied.cs.
/// </summary>
public sealed partial class DynamoDbReplicaStateStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IReplicaStateStore
{
    private readonly string _table = options.TableName;

    public async Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        var item = await GetAsync(EntityPartition(entity), AppliedSortKey(region), cancellationToken);
        return item is null || !RecordsApplied(item) ? null : ToApplied(entity, item);
    }

    public async Task<string?> GetCheckpointAsync(string region, int bucket, CancellationToken cancellationToken)
    {
        var item = await GetAsync(CheckpointPartition(region), CheckpointSortKey(bucket), cancellationToken);
        return Text(item, Checkpoint.Position);
    }

    public async Task PutCheckpointAsync(string region, int bucket, string position, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>(Key(CheckpointPartition(region), CheckpointSortKey(bucket)))
                    {
                        [Checkpoint.Position] = S(position),
                    },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "save a feed checkpoint");
        }
    }

    public async Task ParkAsync(string region, ParkedEntity parked, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>(Key(ParkedPartition(region), EntityPartition(parked.Entity)))
                    {
                        [Parked.Code] = S(parked.Code),
                        [Parked.Reason] = S(parked.Reason),
                        [Parked.Version] = N(parked.Version),
                        [Parked.ParkedAt] = N(parked.ParkedAt.UtcTicks),
                    },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "park an entity");
        }
    }

    public async Task UnparkAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = _table,
                    Key = Key(ParkedPartition(region), EntityPartition(entity)),
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "unpark an entity");
        }
    }

    public async IAsyncEnumerable<ParkedEntity> ListParkedAsync(string region, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in PartitionQuery.ItemsAsync(dynamo, _table, ParkedPartition(region), "list parked entities", cancellationToken))
        {
            yield return new ParkedEntity
            {
                Entity = EntityOf(item[MirrorTable.SortKey].S),
                Code = Text(item, Parked.Code) ?? "Unknown",
                Reason = Text(item, Parked.Reason) ?? string.Empty,
                Version = Number(item, Parked.Version),
                ParkedAt = new DateTimeOffset(Number(item, Parked.ParkedAt), TimeSpan.Zero),
            };
        }
    }

    public async Task PutSubMappingAsync(string targetPoolId, string targetSub, SubMapping mapping, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>(Key(MappingPartition(targetPoolId, targetSub), SnapshotSortKey))
                    {
                        [Mapping.Key] = S(mapping.Key),
                        [Mapping.SourceSub] = S(mapping.SourceSub),
                        [Mapping.OriginalSub] = S(mapping.OriginalSub),
                    },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record a sub mapping");
        }
    }

    public async Task<SubMapping?> GetSubMappingAsync(string targetPoolId, string targetSub, CancellationToken cancellationToken)
    {
        var item = await GetAsync(MappingPartition(targetPoolId, targetSub), SnapshotSortKey, cancellationToken);
        return item is null
            ? null
            : new SubMapping(Text(item, Mapping.Key) ?? string.Empty, Text(item, Mapping.SourceSub) ?? string.Empty, Text(item, Mapping.OriginalSub) ?? string.Empty);
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.GetItemAsync(
                new GetItemRequest
                {
                    TableName = _table,
                    Key = Key(pk, sk),
                    ConsistentRead = true,
                },
                cancellationToken);
            return response.Item is { Count: > 0 } item ? item : null;
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "read replica state");
        }
    }
}

/// <summary><see cref="ICaptureHintQueue"/> on DynamoDB: one partition, sorted by due time.</summary>
public sealed class DynamoDbCaptureHintQueue(IAmazonDynamoDB dynamo, MirrorOptions options) : ICaptureHintQueue
{
    private readonly string _table = options.TableName;

    public async Task EnqueueAsync(CaptureHint hint, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>(KeyOf(hint))
                    {
                        [Hint.Username] = S(hint.Username),
                        [Hint.SourcePool] = S(hint.SourcePoolId),
                        [Hint.Source] = S(hint.Source.ToString()),
                        [Hint.FirstSeen] = N(hint.FirstSeen.UtcTicks),
                        [Hint.Due] = N(hint.Due.UtcTicks),
                        [Hint.Attempts] = N(hint.Attempts),
                        [ExpiresAt] = N(hint.FirstSeen.AddDays(1).ToUnixTimeSeconds()),
                    },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "enqueue a capture hint");
        }
    }

    public async Task<IReadOnlyList<CaptureHint>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        QueryResponse response;
        try
        {
            response = await dynamo.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    KeyConditionExpression = "#pk = :pk AND #sk < :upto",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey, ["#sk"] = MirrorTable.SortKey },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":pk"] = S(HintsPartition),
                        [":upto"] = S(HintsDueBefore(now)),
                    },
                    Limit = limit,
                    ConsistentRead = true,
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "read due capture hints");
        }

        return (response.Items ?? []).Select(item => new CaptureHint
        {
            Username = item[Hint.Username].S,
            SourcePoolId = item[Hint.SourcePool].S,
            Source = Enum.TryParse<Model.CaptureSource>(item[Hint.Source].S, out var source) ? source : Model.CaptureSource.Trigger,
            FirstSeen = new DateTimeOffset(Number(item, Hint.FirstSeen), TimeSpan.Zero),
            Due = new DateTimeOffset(Number(item, Hint.Due), TimeSpan.Zero),
            Attempts = (int)Number(item, Hint.Attempts),
        }).ToList();
    }

    public async Task CompleteAsync(CaptureHint hint, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = _table,
                    Key = KeyOf(hint),
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "remove a capture hint");
        }
    }

    public async Task RescheduleAsync(CaptureHint hint, DateTimeOffset due, CancellationToken cancellationToken)
    {
        await EnqueueAsync(hint with { Due = due, Attempts = hint.Attempts + 1 }, cancellationToken);
        await CompleteAsync(hint, cancellationToken);
    }

    private static Dictionary<string, AttributeValue> KeyOf(CaptureHint hint) => Key(HintsPartition, HintSortKey(hint.Due, hint.SourcePoolId, hint.Username));
}
