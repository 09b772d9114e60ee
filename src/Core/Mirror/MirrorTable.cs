using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// The mirror table's layout (docs/design/mirror-table.md): one table, string keys <c>pk</c>/<c>sk</c>, a sparse
/// global secondary index <c>feed</c> (<c>fb</c> bucket, <c>fs</c> position) over snapshots, TTL on <c>exp</c>.
/// </summary>
public static class MirrorTable
{
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string FeedIndex = "feed";
    public const string FeedBucket = "fb";
    public const string FeedPosition = "fs";
    public const string ExpiresAt = "exp";

    public const string SnapshotSortKey = "S";
    public const string HintsPartition = "HINT";
    public const string MetaPartition = "META";

    /// <summary>The replication control item's keys (<c>CTRL</c> / <c>REPLICATION</c>).</summary>
    public const string ControlPartition = "CTRL";
    public const string ControlSortKey = "REPLICATION";

    /// <summary>The execution journal's index of runs by start time.</summary>
    public const string RunsPartition = "RUNS";
    public const string RunSortKey = "RUN";
    public const string StepSortKeyPrefix = "STEP#";

    private const string UserPrefix = "U#";
    private const string GroupPrefix = "G#";
    private const string ConfigurationPrefix = "CFG#";
    private const string RunPrefix = "RUN#";

    public static string EntityPartition(EntityId entity) => entity.Kind switch
    {
        EntityKind.User => UserPrefix,
        EntityKind.Group => GroupPrefix,
        _ => ConfigurationPrefix,
    } + entity.Id;

    /// <summary>Whether a key is a user's or a group's (<see cref="EntityPartition"/>): a snapshot's partition, a parked item's sort key.</summary>
    public static bool IsEntityKey(string key) =>
        key.StartsWith(UserPrefix, StringComparison.Ordinal) || key.StartsWith(GroupPrefix, StringComparison.Ordinal);

    /// <summary>Whether a key is a configuration hint's (<c>CFG#…</c>).</summary>
    public static bool IsConfigurationKey(string key) => key.StartsWith(ConfigurationPrefix, StringComparison.Ordinal);

    /// <summary>The entity an entity key names: a user for <c>U#…</c>, a configuration object for <c>CFG#…</c>, otherwise a group.</summary>
    public static EntityId EntityOf(string key) =>
        key.StartsWith(UserPrefix, StringComparison.Ordinal) ? EntityId.ForUser(key[UserPrefix.Length..])
        : IsConfigurationKey(key) ? new EntityId(EntityKind.Configuration, key[ConfigurationPrefix.Length..])
        : EntityId.ForGroup(key[GroupPrefix.Length..]);

    public static string AppliedSortKey(string region) => "A#" + region;

    public static string CheckpointPartition(string region) => "CP#" + region;

    public static string CheckpointSortKey(int bucket) => "B#" + bucket.ToString("D2", CultureInfo.InvariantCulture);

    public static string ParkedPartition(string region) => "PK#" + region;

    /// <summary>The sub index: primary <c>sub</c> → identity key.</summary>
    public static string SubPartition(string sub) => "SUB#" + sub;

    /// <summary>The identity mapping of a pool's user, by that pool's <c>sub</c>.</summary>
    public static string MappingPartition(string poolId, string sub) => "MAP#" + poolId + "#" + sub;

    /// <summary>The app-client id mappings of a target pool (one item per client name).</summary>
    public static string ClientMappingPartition(string targetPoolId) => "CLIENTS#" + targetPoolId;

    /// <summary>What the last configuration apply could not write for each client of a target pool (one item per client name).</summary>
    public static string ClientRefusalsPartition(string targetPoolId) => "REFUSED#" + targetPoolId;

    /// <summary>The partition of a pool's rotated-secret fingerprints (<see cref="MirrorAttributes.RotatedSecret"/>).</summary>
    public static string RotatedSecretsPartition(string poolId) => "SECRETS#" + poolId;

    /// <summary>The coalesced sweep request of a pool.</summary>
    public static string SweepPartition(string poolId) => "SWEEP#" + poolId;

    /// <summary>A capture hint's sort key: due time first, so the due hints are a key range.</summary>
    public static string HintSortKey(DateTimeOffset due, string poolId, string username) =>
        string.Create(CultureInfo.InvariantCulture, $"{PositionFloor(due)}#{poolId}#{username}");

    /// <summary>The upper bound (exclusive) of the hint sort keys due at <paramref name="now"/>.</summary>
    public static string HintsDueBefore(DateTimeOffset now) => PositionFloor(now) + "~";

    /// <summary>A failover run's items (the run, its steps) share this partition.</summary>
    public static string RunPartition(string runId) => RunPrefix + runId;

    public static string RunIdOf(string runPartition) => runPartition[RunPrefix.Length..];

    public static string StepSortKey(string stepName) => StepSortKeyPrefix + stepName;

    public static string StepNameOf(string stepSortKey) => stepSortKey[StepSortKeyPrefix.Length..];

    /// <summary>A run's entry in the <see cref="RunsPartition"/> index: start time (fixed width, so entries sort by it), then the id.</summary>
    public static string RunIndexSortKey(DateTimeOffset startedAt, string runId) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.UtcTicks:D19}#{runId}");

    /// <summary>The feed bucket of an entity: FNV-1a of its partition key, modulo the bucket count (stable across processes).</summary>
    public static int BucketOf(EntityId entity, int buckets)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(EntityPartition(entity)))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)buckets);
    }

    /// <summary>A feed position: write time (UTC ticks, fixed width, so positions sort by time) then the entity.</summary>
    public static string Position(DateTimeOffset writtenAt, EntityId entity) =>
        writtenAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "#" + EntityPartition(entity);

    /// <summary>The lowest position at or after a moment; every position written at or after it sorts after it.</summary>
    public static string PositionFloor(DateTimeOffset at) =>
        Math.Max(0, at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The write time encoded in a position.</summary>
    public static DateTimeOffset TimeOf(string position) =>
        position.Length >= 19 && long.TryParse(position.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : DateTimeOffset.MinValue;

    /// <summary>
    /// Creates the table (on-demand billing, the feed index, TTL where the endpoint supports it) and records the
    /// feed bucket count. Does nothing if it exists. Production tables come from the CDK stack instead.
    /// </summary>
    public static async Task CreateAsync(IAmazonDynamoDB dynamo, string tableName, int feedBuckets, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = tableName,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions =
                    [
                        new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
                        new AttributeDefinition(SortKey, ScalarAttributeType.S),
                        new AttributeDefinition(FeedBucket, ScalarAttributeType.S),
                        new AttributeDefinition(FeedPosition, ScalarAttributeType.S),
                    ],
                    KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
                    GlobalSecondaryIndexes =
                    [
                        new GlobalSecondaryIndex
                        {
                            IndexName = FeedIndex,
                            KeySchema = [new KeySchemaElement(FeedBucket, KeyType.HASH), new KeySchemaElement(FeedPosition, KeyType.RANGE)],
                            Projection = new Projection { ProjectionType = ProjectionType.ALL },
                        },
                    ],
                },
                cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // Already there.
        }

        for (var attempt = 0; attempt < 600; attempt++)
        {
            var description = await dynamo.DescribeTableAsync(tableName, cancellationToken);
            if (description.Table.TableStatus == TableStatus.ACTIVE
                && (description.Table.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        try
        {
            await dynamo.UpdateTimeToLiveAsync(
                new UpdateTimeToLiveRequest
                {
                    TableName = tableName,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode is "UnknownOperationException" or "ValidationException")
        {
            // Local emulators without TTL support (dynalite); tombstones then simply stay.
        }

        try
        {
            await dynamo.PutItemAsync(
            new PutItemRequest
            {
                TableName = tableName,
                Item = new Dictionary<string, AttributeValue>
                {
                    [PartitionKey] = new() { S = MetaPartition },
                    [SortKey] = new() { S = MetaPartition },
                    [MirrorAttributes.Layout.FeedBuckets] = new() { N = feedBuckets.ToString(CultureInfo.InvariantCulture) },
                    [MirrorAttributes.Layout.Version] = new() { N = "1" },
                },
                ConditionExpression = $"attribute_not_exists({PartitionKey})",
            },
            cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Recorded by an earlier run; the reconciler compares it with its configuration.
        }
    }

    /// <summary>The feed bucket count recorded when the table was created, or <c>null</c> if none is recorded.</summary>
    public static async Task<int?> ReadFeedBucketsAsync(IAmazonDynamoDB dynamo, string tableName, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(
            new GetItemRequest
            {
                TableName = tableName,
                Key = new Dictionary<string, AttributeValue>
                {
                    [PartitionKey] = new() { S = MetaPartition },
                    [SortKey] = new() { S = MetaPartition },
                },
                ConsistentRead = true,
            },
            cancellationToken);
        return response.Item is { } item && item.TryGetValue(MirrorAttributes.Layout.FeedBuckets, out var value) && value.N is { } n
            ? int.Parse(n, CultureInfo.InvariantCulture)
            : null;
    }
}
