using System.Collections.Immutable;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// <see cref="IMirrorStore"/> on DynamoDB. Recording reads the item's versions consistently, decides which parts
/// are newer and whether their content changed, and writes with a condition on exactly the versions it read
/// (optimistic concurrency), retrying on contention. A feed position is written only when content changed.
/// With a <see cref="ReplicationDirection"/>, only the current writable source pool may record, and every item
/// carries the epoch it was written in (<c>ep</c>): a writer holding an older epoch is refused with
/// <see cref="StaleEpochException"/>, so an old primary that comes back cannot overwrite the new one.
/// </summary>
public sealed partial class DynamoDbMirrorStore : IMirrorStore
{
    private const int MaxContentionRetries = 8;
    private const string TombstoneHash = "tombstone";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeSpan _tombstoneRetention;
    private readonly TimeProvider _time;
    private readonly ReplicationDirection? _direction;

    public DynamoDbMirrorStore(IAmazonDynamoDB dynamo, MirrorOptions options, TimeProvider time, ReplicationDirection? direction = null)
    {
        _dynamo = dynamo;
        _table = options.TableName;
        FeedBuckets = options.FeedBuckets;
        _tombstoneRetention = options.TombstoneRetention;
        _time = time;
        _direction = direction;
    }

    public int FeedBuckets { get; }

    public async Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken)
    {
        if (observation.Profile is null && observation.Groups is null && !observation.Deleted)
        {
            throw new ArgumentException("An observation must carry a profile, groups, or a deletion.", nameof(observation));
        }

        var entity = EntityId.ForUser(observation.Key);
        var key = Key(entity);
        var version = observation.ObservedAt.UtcTicks;
        var newProfileHash = observation.Deleted ? TombstoneHash : observation.Profile?.Hash;
        var newGroups = observation.Deleted ? ImmutableArray<string>.Empty : observation.Groups;
        var newGroupsHash = newGroups is { } g ? ContentHash.OfNames(g) : null;
        var epoch = await WriterEpochAsync(observation.SourcePoolId, cancellationToken);

        for (var attempt = 0; attempt < MaxContentionRetries; attempt++)
        {
            var current = await GetAsync(key, "pv, gv, ph, gh, #sub, ep", cancellationToken);
            await RefuseIfNewerEpochAsync(current, epoch, observation.SourcePoolId, cancellationToken);
            var currentPv = Number(current, "pv");
            var currentGv = Number(current, "gv");
            var profileNewer = newProfileHash is not null && version > currentPv;
            var groupsNewer = newGroupsHash is not null && version > currentGv;
            if (!profileNewer && !groupsNewer)
            {
                return RecordOutcome.Stale;
            }

            var profileChanged = profileNewer && newProfileHash != String(current, "ph");
            var groupsChanged = groupsNewer && newGroupsHash != String(current, "gh");
            var changed = profileChanged || groupsChanged;

            var update = new UpdateBuilder(epoch);
            update.Set("k", S(observation.Key));
            update.Set("un", S(observation.Username));
            update.Set("pool", S(observation.SourcePoolId));
            if (observation.Sub is not null)
            {
                update.Set("sub", S(observation.Sub));
            }

            if (profileNewer)
            {
                update.Set("pv", N(version));
            }
            else if (current is null)
            {
                update.Set("pv", N(0));
            }

            if (groupsNewer)
            {
                update.Set("gv", N(version));
            }
            else if (current is null)
            {
                update.Set("gv", N(0));
            }

            if (profileChanged)
            {
                update.Set("ph", S(newProfileHash!));
                update.Set("del", new AttributeValue { BOOL = observation.Deleted });
                if (observation.Deleted)
                {
                    update.Remove("a", "en", "st");
                    update.Set(ExpiresAt, N(observation.ObservedAt.Add(_tombstoneRetention).ToUnixTimeSeconds()));
                }
                else
                {
                    var profile = observation.Profile!;
                    update.Set("a", new AttributeValue { M = profile.Attributes.ToDictionary(a => a.Key, a => S(a.Value)) });
                    update.Set("en", new AttributeValue { BOOL = profile.Enabled });
                    update.Set("st", S(profile.Status));
                    if (current is not null)
                    {
                        update.Remove(ExpiresAt);
                    }
                }
            }

            if (groupsChanged)
            {
                update.Set("g", new AttributeValue { L = newGroups!.Value.Select(S).ToList() });
                update.Set("gh", S(newGroupsHash!));
            }

            if (changed)
            {
                SetFeed(update, entity, observation.ObservedAt, observation.Source);
            }

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
                        ConditionExpression = update.Condition(current is null, currentPv, currentGv),
                    },
                    cancellationToken);
                if (observation.Sub is { } sub && sub != String(current, "sub"))
                {
                    await IndexSubAsync(sub, observation.Key, cancellationToken);
                }

                return changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
            catch (ConditionalCheckFailedException)
            {
                // Another writer got in between our read and our write: read again and decide again.
            }
            catch (AmazonDynamoDBException e)
            {
                throw Wrap(e, "record a user snapshot");
            }
        }

        throw new MirrorStoreException($"Mirror table '{_table}': gave up recording {entity} after {MaxContentionRetries} contended attempts; the next capture of this user will record it.");
    }

    public async Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(observation.Name);
        var key = Key(entity);
        var version = observation.ObservedAt.UtcTicks;
        var hash = observation.Hash;
        var epoch = await WriterEpochAsync(observation.SourcePoolId, cancellationToken);
        for (var attempt = 0; attempt < MaxContentionRetries; attempt++)
        {
            var current = await GetAsync(key, "pv, h, ep", cancellationToken);
            await RefuseIfNewerEpochAsync(current, epoch, observation.SourcePoolId, cancellationToken);
            var currentVersion = Number(current, "pv");
            if (version <= currentVersion)
            {
                return RecordOutcome.Stale;
            }

            var changed = hash != String(current, "h");
            var update = new UpdateBuilder(epoch);
            update.Set("pv", N(version));
            update.Set("gv", N(0));
            update.Set("name", S(observation.Name));
            update.Set("pool", S(observation.SourcePoolId));
            if (changed)
            {
                update.Set("h", S(hash));
                update.Set("del", new AttributeValue { BOOL = observation.Deleted });
                SetOrRemove(update, "d", observation.Description is null ? null : S(observation.Description));
                SetOrRemove(update, "p", observation.Precedence is null ? null : N(observation.Precedence.Value));
                SetOrRemove(update, "r", observation.RoleArn is null ? null : S(observation.RoleArn));
                if (observation.Deleted)
                {
                    update.Set(ExpiresAt, N(observation.ObservedAt.Add(_tombstoneRetention).ToUnixTimeSeconds()));
                }
                else if (current is not null)
                {
                    update.Remove(ExpiresAt);
                }

                SetFeed(update, entity, observation.ObservedAt, observation.Source);
            }

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
                        ConditionExpression = update.Condition(current is null, currentVersion, null),
                    },
                    cancellationToken);
                return changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
            catch (ConditionalCheckFailedException)
            {
                // Contention: decide again.
            }
            catch (AmazonDynamoDBException e)
            {
                throw Wrap(e, "record a group snapshot");
            }
        }

        throw new MirrorStoreException($"Mirror table '{_table}': gave up recording {entity} after {MaxContentionRetries} contended attempts.");
    }

    public async Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken)
    {
        var item = await GetAsync(new Dictionary<string, AttributeValue> { [PartitionKey] = S(SubPartition(sub)), [MirrorTable.SortKey] = S(SnapshotSortKey) }, null, cancellationToken);
        return String(item, "k");
    }

    private async Task IndexSubAsync(string sub, string key, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PartitionKey] = S(SubPartition(sub)),
                        [MirrorTable.SortKey] = S(SnapshotSortKey),
                        ["k"] = S(key),
                    },
                },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw Wrap(e, "index a user's sub");
        }
    }

    public async Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken)
    {
        var item = await GetAsync(Key(EntityId.ForUser(key)), null, cancellationToken);
        return item is null ? null : ToUser(item);
    }

    public async Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        var item = await GetAsync(Key(EntityId.ForGroup(name)), null, cancellationToken);
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
                        [":fb"] = S(bucket.ToString(CultureInfo.InvariantCulture)),
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

        var entries = new List<FeedEntry>(response.Items?.Count ?? 0);
        foreach (var item in response.Items ?? [])
        {
            var position = item[FeedPosition].S;
            var pk = item[PartitionKey].S;
            entries.Add(pk.StartsWith("U#", StringComparison.Ordinal)
                ? new FeedEntry(position, ToUser(item), null)
                : new FeedEntry(position, null, ToGroup(item)));
        }

        return new FeedPage(entries, response.LastEvaluatedKey is { Count: > 0 });
    }

    internal static UserSnapshot ToUser(Dictionary<string, AttributeValue> item)
    {
        var deleted = item.TryGetValue("del", out var del) && del.BOOL == true;
        UserProfile? profile = null;
        if (!deleted && item.TryGetValue("a", out var attributes) && attributes.M is not null && item.TryGetValue("st", out var status))
        {
            profile = new UserProfile(
                attributes.M.Select(a => KeyValuePair.Create(a.Key, a.Value.S ?? string.Empty)),
                item.TryGetValue("en", out var enabled) && enabled.BOOL == true,
                status.S);
        }

        var groupsVersion = Number(item, "gv");
        ImmutableArray<string>? groups = groupsVersion > 0 && item.TryGetValue("g", out var g) && g.L is not null
            ? [.. g.L.Select(v => v.S)]
            : null;

        return new UserSnapshot
        {
            Key = item["k"].S,
            Username = item["un"].S,
            Sub = String(item, "sub"),
            SourcePoolId = String(item, "pool") ?? string.Empty,
            Profile = profile,
            Deleted = deleted,
            ProfileVersion = Number(item, "pv"),
            ProfileHash = String(item, "ph"),
            Groups = groups,
            GroupsVersion = groupsVersion,
            GroupsHash = String(item, "gh"),
            FeedPosition = String(item, FeedPosition),
            ChangedAt = new DateTimeOffset(Number(item, "ct"), TimeSpan.Zero),
            ChangeSource = Enum.TryParse<CaptureSource>(String(item, "src"), out var source) ? source : CaptureSource.Trigger,
        };
    }

    internal static GroupSnapshot ToGroup(Dictionary<string, AttributeValue> item) => new()
    {
        Name = item["name"].S,
        SourcePoolId = String(item, "pool") ?? string.Empty,
        Description = String(item, "d"),
        Precedence = item.TryGetValue("p", out var p) && p.N is not null ? int.Parse(p.N, CultureInfo.InvariantCulture) : null,
        RoleArn = String(item, "r"),
        Deleted = item.TryGetValue("del", out var del) && del.BOOL == true,
        Version = Number(item, "pv"),
        Hash = String(item, "h"),
        FeedPosition = String(item, FeedPosition),
        ChangedAt = new DateTimeOffset(Number(item, "ct"), TimeSpan.Zero),
    };

    /// <summary>The epoch to write under, or <c>null</c> without a direction; throws if the pool may not record.</summary>
    private async Task<long?> WriterEpochAsync(string poolId, CancellationToken cancellationToken)
    {
        if (_direction is null)
        {
            return null;
        }

        var control = await _direction.CurrentAsync(cancellationToken);
        if (!control.MayRecord(poolId))
        {
            // The cached control may be a moment old (a failback just made this pool the source again).
            control = await _direction.CurrentAsync(cancellationToken, refresh: true);
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
        if (epoch is { } ours && Number(current, "ep") > ours)
        {
            var control = await _direction!.CurrentAsync(cancellationToken, refresh: true);
            throw new StaleEpochException(poolId, control.Epoch > ours ? control : control with { Epoch = Number(current, "ep") });
        }
    }

    private void SetFeed(UpdateBuilder update, EntityId entity, DateTimeOffset observedAt, CaptureSource source)
    {
        update.Set(FeedBucket, S(BucketOf(entity, FeedBuckets).ToString(CultureInfo.InvariantCulture)));
        update.Set(FeedPosition, S(Position(_time.GetUtcNow(), entity)));
        update.Set("ct", N(observedAt.UtcTicks));
        update.Set("src", S(source.ToString()));
    }

    private static void SetOrRemove(UpdateBuilder update, string name, AttributeValue? value)
    {
        if (value is null)
        {
            update.Remove(name);
        }
        else
        {
            update.Set(name, value);
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
                    ExpressionAttributeNames = projection?.Contains("#sub", StringComparison.Ordinal) == true ? new Dictionary<string, string> { ["#sub"] = "sub" } : null,
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

    private static Dictionary<string, AttributeValue> Key(EntityId entity) => new()
    {
        [PartitionKey] = S(EntityPartition(entity)),
        [MirrorTable.SortKey] = S(SnapshotSortKey),
    };

    internal static AttributeValue S(string value) => new() { S = value };

    internal static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    internal static long Number(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) && value.N is not null ? long.Parse(value.N, CultureInfo.InvariantCulture) : 0;

    internal static string? String(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) ? value.S : null;

    /// <summary>Builds an update expression with placeholder names for every attribute (no reserved-word surprises).</summary>
    private sealed class UpdateBuilder
    {
        private readonly List<string> _sets = [];
        private readonly List<string> _removes = [];
        private readonly long? _epoch;

        public UpdateBuilder(long? epoch)
        {
            _epoch = epoch;
            if (epoch is { } value)
            {
                Set("ep", N(value));
            }
        }

        public Dictionary<string, string> Names { get; } = [];

        public Dictionary<string, AttributeValue> Values { get; } = [];

        public string Expression =>
            (_sets.Count > 0 ? "SET " + string.Join(", ", _sets) : string.Empty)
            + (_removes.Count > 0 ? " REMOVE " + string.Join(", ", _removes) : string.Empty);

        public void Set(string attribute, AttributeValue value)
        {
            var name = "#" + attribute;
            Names[name] = attribute;
            var placeholder = ":" + attribute;
            Values[placeholder] = value;
            _sets.Add($"{name} = {placeholder}");
        }

        /// <summary>
        /// The write condition: the item is still absent, or still has exactly the versions that were read
        /// (optimistic concurrency). Only the names and values it uses are added (DynamoDB rejects unused ones).
        /// </summary>
        public string Condition(bool absent, long profileVersion, long? groupsVersion)
        {
            var versions = Versions(absent, profileVersion, groupsVersion);
            if (_epoch is null)
            {
                return versions;
            }

            // Never overwrite an item written under a newer epoch (":ep" is the value set above).
            Names["#ep"] = "ep";
            return $"({versions}) AND (attribute_not_exists(#ep) OR #ep <= :ep)";
        }

        private string Versions(bool absent, long profileVersion, long? groupsVersion)
        {
            if (absent)
            {
                Names["#pk"] = PartitionKey;
                return "attribute_not_exists(#pk)";
            }

            Names["#pv"] = "pv";
            Values[":cpv"] = N(profileVersion);
            if (groupsVersion is null)
            {
                return "#pv = :cpv";
            }

            Names["#gv"] = "gv";
            Values[":cgv"] = N(groupsVersion.Value);
            return "#pv = :cpv AND #gv = :cgv";
        }

        public void Remove(params string[] attributes)
        {
            foreach (var attribute in attributes)
            {
                var name = "#" + attribute;
                Names[name] = attribute;
                _removes.Add(name);
            }
        }
    }
}

internal static class MirrorErrors
{
    public static MirrorStoreException Wrap(AmazonDynamoDBException e, string table, string action) => e switch
    {
        ResourceNotFoundException => new MirrorStoreException(
            $"Mirror table '{table}' does not exist in this Region (could not {action}); deploy the CDK stack or run 'idrep sandbox up', and check Mirror:TableName.", e),
        _ when e.ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" => new MirrorStoreException(
            $"Not allowed to {action} in mirror table '{table}' ({e.ErrorCode}); grant this role the permissions in docs/permissions.md.", e),
        _ => new MirrorStoreException($"Could not {action} in mirror table '{table}': {e.ErrorCode}: {e.Message}", e),
    };
}
