using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>The mirror table read whole: a consistent Scan of snapshot items (and one Region's applied state).</summary>
public sealed partial class DynamoDbMirrorStore : IMirrorCatalog
{
    public async Task<MirrorContents> ReadAllAsync(string? appliedRegion, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, UserSnapshot>(StringComparer.Ordinal);
        var groups = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
        var applied = new Dictionary<EntityId, AppliedState>();
        await foreach (var item in ScanAsync(appliedRegion, cancellationToken))
        {
            if (item.User is { } user)
            {
                users[user.Key] = user;
            }
            else if (item.Group is { } group)
            {
                groups[group.Name] = group;
            }
            else if (item.Applied is { } state)
            {
                applied[state.Entity] = state;
            }
        }

        return new MirrorContents(users, groups, applied);
    }

    /// <summary>The snapshot items (and one Region's applied state) one at a time, as a consistent Scan returns them.</summary>
    public async IAsyncEnumerable<MirrorItem> ScanAsync(string? appliedRegion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":s"] = S(SnapshotSortKey) };
        var filter = "#sk = :s";
        if (appliedRegion is not null)
        {
            values[":a"] = S(AppliedSortKey(appliedRegion));
            filter += " OR #sk = :a";
        }

        Dictionary<string, AttributeValue>? start = null;
        do
        {
            ScanResponse response;
            try
            {
                response = await _dynamo.ScanAsync(
                    new ScanRequest
                    {
                        TableName = _table,
                        FilterExpression = filter,
                        ExpressionAttributeNames = new Dictionary<string, string> { ["#sk"] = MirrorTable.SortKey },
                        ExpressionAttributeValues = values,
                        ExclusiveStartKey = start,
                        ConsistentRead = true,
                    },
                    cancellationToken);
            }
            catch (AmazonDynamoDBException e)
            {
                throw Wrap(e, "scan the snapshots");
            }

            foreach (var item in response.Items ?? [])
            {
                var pk = item[PartitionKey].S;
                if (!IsEntityKey(pk))
                {
                    continue;
                }

                var entity = EntityOf(pk);
                if (item[MirrorTable.SortKey].S != SnapshotSortKey)
                {
                    if (RecordsApplied(item))
                    {
                        yield return new MirrorItem(null, null, ToApplied(entity, item));
                    }
                }
                else if (entity.Kind == EntityKind.User)
                {
                    yield return new MirrorItem(ToUser(item), null, null);
                }
                else
                {
                    yield return new MirrorItem(null, ToGroup(item), null);
                }
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }
}
