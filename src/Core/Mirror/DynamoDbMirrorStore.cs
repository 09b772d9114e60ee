using System.Collections.Immutable;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// <see cref="IMirrorStore"/> on DynamoDB. Recording reads the item's versions consistently, decides which parts
/// are newer and whether their content changed, and writes with a condition on exactly the versions it read
/// (optimistic concurrency), retrying on contention. A feed position is written only when content changed.
/// With a <see cref="ReplicationControlReader"/>, only the current writable source pool may record, and every item
/// carries the epoch it was written in (<c>ep</c>): a writer holding an older epoch is refused with
/// <see cref="StaleEpochException"/>, so an old source that comes back cannot overwrite the new one.
/// </summary>
public sealed partial class DynamoDbMirrorStore : IMirrorStore
{
    private const int MaxContentionRetries = 8;
    private const string TombstoneHash = "tombstone";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeSpan _tombstoneRetention;
    private readonly TimeProvider _time;
    private readonly ReplicationControlReader? _controlReader;

    public DynamoDbMirrorStore(IAmazonDynamoDB dynamo, MirrorOptions options, TimeProvider time, ReplicationControlReader? controlReader = null)
    {
        _dynamo = dynamo;
        _table = options.TableName;
        FeedBuckets = options.FeedBuckets;
        _tombstoneRetention = options.TombstoneRetention;
        _time = time;
        _controlReader = controlReader;
    }

    public int FeedBuckets { get; }

    public async Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken)
    {
        if (observation.Profile is null && observation.Groups is null && !observation.Deleted)
        {
            throw new ArgumentException("An observation must carry a profile, groups, or a deletion.", nameof(observation));
        }

        var entity = EntityId.ForUser(observation.Key);
        var key = SnapshotKey(entity);
        var version = observation.ObservedAt.UtcTicks;
        var newProfileHash = observation.Deleted ? TombstoneHash : observation.Profile?.Hash;
        var newGroups = observation.Deleted ? ImmutableArray<string>.Empty : observation.Groups;
        var newGroupsHash = newGroups is { } g ? ContentHash.OfNames(g) : null;
        var epoch = await WriterEpochAsync(observation.SourcePoolId, cancellationToken);

        for (var attempt = 0; attempt < MaxContentionRetries; attempt++)
        {
            var current = await GetAsync(key, UserDecisionProjection, cancellationToken);
            await RefuseIfNewerEpochAsync(current, epoch, observation.SourcePoolId, cancellationToken);
            var currentPv = Number(current, Snapshot.ProfileVersion);
            var currentGv = Number(current, Snapshot.GroupsVersion);
            var profileNewer = newProfileHash is not null && version > currentPv;
            var groupsNewer = newGroupsHash is not null && version > currentGv;
            if (!profileNewer && !groupsNewer)
            {
                return RecordOutcome.Stale;
            }

            var profileChanged = profileNewer && newProfileHash != Text(current, User.ProfileHash);
            var groupsChanged = groupsNewer && newGroupsHash != Text(current, User.GroupsHash);
            var changed = profileChanged || groupsChanged;

            var update = new SnapshotUpdate(epoch);
            update.UserIdentity(observation);
            if (profileNewer || current is null)
            {
                update.ProfileVersion(profileNewer ? version : 0);
            }

            if (groupsNewer || current is null)
            {
                update.GroupsVersion(groupsNewer ? version : 0);
            }

            if (profileChanged)
            {
                update.UserProfile(observation, newProfileHash!, exists: current is not null, _tombstoneRetention);
            }

            if (groupsChanged)
            {
                update.UserGroups(newGroups!.Value, newGroupsHash!);
            }

            if (changed)
            {
                update.Feed(entity, FeedBuckets, _time.GetUtcNow(), observation.ObservedAt, observation.Source);
            }

            if (await TryUpdateAsync(key, update, update.Condition(current is null, currentPv, currentGv), "record a user snapshot", cancellationToken))
            {
                if (observation.Sub is { } sub && sub != Text(current, User.Sub))
                {
                    await IndexSubAsync(sub, observation.Key, cancellationToken);
                }

                return changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
        }

        throw new MirrorStoreException($"Mirror table '{_table}': gave up recording {entity} after {MaxContentionRetries} contended attempts; the next capture of this user will record it.");
    }

    public async Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(observation.Name);
        var key = SnapshotKey(entity);
        var version = observation.ObservedAt.UtcTicks;
        var hash = observation.Hash;
        var epoch = await WriterEpochAsync(observation.SourcePoolId, cancellationToken);
        for (var attempt = 0; attempt < MaxContentionRetries; attempt++)
        {
            var current = await GetAsync(key, GroupDecisionProjection, cancellationToken);
            await RefuseIfNewerEpochAsync(current, epoch, observation.SourcePoolId, cancellationToken);
            var currentVersion = Number(current, Snapshot.ProfileVersion);
            if (version <= currentVersion)
            {
                return RecordOutcome.Stale;
            }

            var changed = hash != Text(current, Group.Hash);
            var update = new SnapshotUpdate(epoch);
            update.ProfileVersion(version);
            update.GroupsVersion(0);
            update.GroupIdentity(observation);
            if (changed)
            {
                update.GroupContent(observation, exists: current is not null, _tombstoneRetention);
                update.Feed(entity, FeedBuckets, _time.GetUtcNow(), observation.ObservedAt, observation.Source);
            }

            if (await TryUpdateAsync(key, update, update.Condition(current is null, currentVersion, null), "record a group snapshot", cancellationToken))
            {
                return changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
        }

        throw new MirrorStoreException($"Mirror table '{_table}': gave up recording {entity} after {MaxContentionRetries} contended attempts.");
    }

    /// <summary>
    /// Writes a snapshot update under its condition; false when another writer got in between our read and our write
    /// (the caller reads again and decides again).
    /// </summary>
    private async Task<bool> TryUpdateAsync(Dictionary<string, AttributeValue> key, SnapshotUpdate update, string condition, string what, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = key,
                    UpdateExpression = update.Expression,
                    ExpressionAttributeNames = update.Names,
                    ExpressionAttributeValues = update.Values,
                    ConditionExpression = condition,
                },
                cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, what);
        }
    }

    public async Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken)
    {
        var item = await GetAsync(MirrorItems.Key(SubPartition(sub), SnapshotSortKey), null, cancellationToken);
        return Text(item, SubIndex.Key);
    }

    private async Task IndexSubAsync(string sub, string key, CancellationToken cancellationToken)
    {
        var item = MirrorItems.Key(SubPartition(sub), SnapshotSortKey);
        item[SubIndex.Key] = S(key);
        try
        {
            await _dynamo.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "index a user's sub");
        }
    }

    public async Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken)
    {
        var item = await GetAsync(SnapshotKey(EntityId.ForUser(key)), null, cancellationToken);
        return item is null ? null : ToUser(item);
    }

    public async Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        var item = await GetAsync(SnapshotKey(EntityId.ForGroup(name)), null, cancellationToken);
        return item is null ? null : ToGroup(item);
    }

    public async Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken)
    {
        QueryResponse response;
        try
        {
            response = await _dynamo.QueryAsync(
                new QueryRequest
                {
                    TableName = _table,
                    IndexName = FeedIndex,
                    KeyConditionExpression = "#fb = :fb AND #fs > :after",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#fb"] = FeedBucket, ["#fs"] = FeedPosition },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":fb"] = FeedBucketKey(bucket),
                        [":after"] = S(after.Length == 0 ? "0" : after),
                    },
                    Limit = limit,
                    ScanIndexForward = true,
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "read the change feed");
        }

        var entries = (response.Items ?? []).Select(ToFeedEntry).ToList();
        return new FeedPage(entries, response.LastEvaluatedKey is { Count: > 0 });
    }

    /// <summary>The epoch to write under, or <c>null</c> without a direction; throws if the pool may not record.</summary>
    private async Task<long?> WriterEpochAsync(string poolId, CancellationToken cancellationToken)
    {
        if (_controlReader is null)
        {
            return null;
        }

        var control = await _controlReader.CurrentAsync(cancellationToken);
        if (!control.MayRecord(poolId))
        {
            // The cached control may be a moment old (a failback just made this pool the source again).
            control = await _controlReader.CurrentAsync(cancellationToken, refresh: true);
            if (!control.MayRecord(poolId))
            {
                throw new StaleEpochException(poolId, control);
            }
        }

        return control.Epoch;
    }

    /// <summary>The item was written under a newer epoch than ours: our view of the control is stale.</summary>
    private async Task RefuseIfNewerEpochAsync(Dictionary<string, AttributeValue>? current, long? epoch, string poolId, CancellationToken cancellationToken)
    {
        if (epoch is { } ours && Number(current, Snapshot.Epoch) > ours)
        {
            var control = await _controlReader!.CurrentAsync(cancellationToken, refresh: true);
            throw new StaleEpochException(poolId, control.Epoch > ours ? control : control with { Epoch = Number(current, Snapshot.Epoch) });
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, string? projection, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _dynamo.GetItemAsync(
                new GetItemRequest
                {
                    TableName = _table,
                    Key = key,
                    ConsistentRead = true,
                    ProjectionExpression = projection,
                    ExpressionAttributeNames = projection?.Contains(SubPlaceholder, StringComparison.Ordinal) == true ? new Dictionary<string, string> { [SubPlaceholder] = User.Sub } : null,
                },
                cancellationToken);
            return response.Item is { Count: > 0 } item ? item : null;
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "read a snapshot");
        }
    }

    private MirrorStoreException Wrap(AmazonDynamoDBException e, string action) => MirrorErrors.Wrap(e, _table, action);
}
