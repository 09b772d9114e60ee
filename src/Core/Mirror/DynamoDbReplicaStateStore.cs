using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.DynamoDbMirrorStore;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary><see cref="IReplicaStateStore"/> on DynamoDB, in the mirror table (items keyed by Region).</summary>
public sealed class DynamoDbReplicaStateStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IReplicaStateStore
{
    private readonly string _table = options.TableName;

    public async Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        var item = await GetAsync(EntityPartition(entity), AppliedSortKey(region), cancellationToken);
        if (item is null)
        {
            return null;
        }

        return new AppliedState
        {
            Entity = entity,
            ProfileVersion = Number(item, "pv"),
            GroupsVersion = Number(item, "gv"),
            ProfileHash = DynamoDbMirrorStore.String(item, "ph"),
            GroupsHash = DynamoDbMirrorStore.String(item, "gh"),
            TargetUsername = DynamoDbMirrorStore.String(item, "tu"),
            TargetSub = DynamoDbMirrorStore.String(item, "tsub"),
            SourceSub = DynamoDbMirrorStore.String(item, "ssub"),
            AppliedAt = new DateTimeOffset(Number(item, "at"), TimeSpan.Zero),
        };
    }

    public async Task PutAppliedAsync(string region, AppliedState state, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [PartitionKey] = S(EntityPartition(state.Entity)),
            [MirrorTable.SortKey] = S(AppliedSortKey(region)),
            ["pv"] = N(state.ProfileVersion),
            ["gv"] = N(state.GroupsVersion),
            ["at"] = N(state.AppliedAt.UtcTicks),
        };
        AddIfSet(item, "ph", state.ProfileHash);
        AddIfSet(item, "gh", state.GroupsHash);
        AddIfSet(item, "tu", state.TargetUsername);
        AddIfSet(item, "tsub", state.TargetSub);
        AddIfSet(item, "ssub", state.SourceSub);
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(#pk) OR (#pv <= :pv AND #gv <= :gv)",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey, ["#pv"] = "pv", ["#gv"] = "gv" },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pv"] = N(state.ProfileVersion), [":gv"] = N(state.GroupsVersion) },
                },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // A newer version was applied meanwhile; keep it.
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record an applied version");
        }
    }

    public async Task<string?> GetCheckpointAsync(string region, int bucket, CancellationToken cancellationToken)
    {
        var item = await GetAsync(CheckpointPartition(region), CheckpointSortKey(bucket), cancellationToken);
        return DynamoDbMirrorStore.String(item, "pos");
    }

    public async Task PutCheckpointAsync(string region, int bucket, string position, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(CheckpointPartition(region)),
                        [MirrorTable.SortKey] = S(CheckpointSortKey(bucket)),
                        ["pos"] = S(position),
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
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(ParkedPartition(region)),
                        [MirrorTable.SortKey] = S(EntityPartition(parked.Entity)),
                        ["code"] = S(parked.Code),
                        ["reason"] = S(parked.Reason),
                        ["v"] = N(parked.Version),
                        ["at"] = N(parked.ParkedAt.UtcTicks),
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
                    Key = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(ParkedPartition(region)),
                        [MirrorTable.SortKey] = S(EntityPartition(entity)),
                    },
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
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            QueryResponse response;
            try
            {
                response = await dynamo.QueryAsync(
                    new QueryRequest
                    {
                        TableName = _table,
                        KeyConditionExpression = "#pk = :pk",
                        ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey },
                        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = S(ParkedPartition(region)) },
                        ExclusiveStartKey = start,
                        ConsistentRead = true,
                    },
                    cancellationToken);
            }
            catch (AmazonDynamoDBException e)
            {
                throw MirrorErrors.Wrap(e, _table, "list parked entities");
            }

            foreach (var item in response.Items ?? [])
            {
                var sk = item[MirrorTable.SortKey].S;
                var entity = sk.StartsWith("U#", StringComparison.Ordinal) ? EntityId.ForUser(sk[2..]) : EntityId.ForGroup(sk[2..]);
                yield return new ParkedEntity
                {
                    Entity = entity,
                    Code = DynamoDbMirrorStore.String(item, "code") ?? "Unknown",
                    Reason = DynamoDbMirrorStore.String(item, "reason") ?? string.Empty,
                    Version = Number(item, "v"),
                    ParkedAt = new DateTimeOffset(Number(item, "at"), TimeSpan.Zero),
                };
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    public async Task PutSubMappingAsync(string targetPoolId, string targetSub, SubMapping mapping, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(MappingPartition(targetPoolId, targetSub)),
                        [MirrorTable.SortKey] = S(SnapshotSortKey),
                        ["k"] = S(mapping.Key),
                        ["ssub"] = S(mapping.SourceSub),
                        ["osub"] = S(mapping.OriginalSub),
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
            : new SubMapping(DynamoDbMirrorStore.String(item, "k") ?? string.Empty, DynamoDbMirrorStore.String(item, "ssub") ?? string.Empty, DynamoDbMirrorStore.String(item, "osub") ?? string.Empty);
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.GetItemAsync(
                new GetItemRequest
                {
                    TableName = _table,
                    Key = new Dictionary<string, AttributeValue> { [PartitionKey] = S(pk), [MirrorTable.SortKey] = S(sk) },
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

    private static void AddIfSet(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
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
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(HintsPartition),
                        [MirrorTable.SortKey] = S(SortKeyOf(hint)),
                        ["un"] = S(hint.Username),
                        ["pool"] = S(hint.SourcePoolId),
                        ["src"] = S(hint.Source.ToString()),
                        ["first"] = N(hint.FirstSeen.UtcTicks),
                        ["due"] = N(hint.Due.UtcTicks),
                        ["n"] = N(hint.Attempts),
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
                        [":upto"] = S(PositionFloor(now) + "~"),
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
            Username = item["un"].S,
            SourcePoolId = item["pool"].S,
            Source = Enum.TryParse<Model.CaptureSource>(item["src"].S, out var source) ? source : Model.CaptureSource.Trigger,
            FirstSeen = new DateTimeOffset(Number(item, "first"), TimeSpan.Zero),
            Due = new DateTimeOffset(Number(item, "due"), TimeSpan.Zero),
            Attempts = (int)Number(item, "n"),
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
                    Key = new Dictionary<string, AttributeValue> { [PartitionKey] = S(HintsPartition), [MirrorTable.SortKey] = S(SortKeyOf(hint)) },
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

    private static string SortKeyOf(CaptureHint hint) =>
        string.Create(CultureInfo.InvariantCulture, $"{PositionFloor(hint.Due)}#{hint.SourcePoolId}#{hint.Username}");
}
