using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// Applied state and the apply lease, both on the entity's applied-state item (<c>U#…</c> or <c>G#…</c> /
/// <c>A#&lt;Region&gt;</c>): the lease is two attributes, its holder (<c>lh</c>) and expiry (<c>le</c>), set by a
/// conditional update; the record of the applied version replaces the whole item, so the same write releases it.
/// </summary>
public sealed partial class DynamoDbReplicaStateStore
{
    private const string HolderName = "#lh";
    private const string ExpiryName = "#le";

    public Task<ApplyLeaseGrant> TakeApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        TakeAsync(region, entity, holder, deadHolder: null, now, expiresAt, cancellationToken);

    public Task<ApplyLeaseGrant> TakeOverApplyLeaseAsync(string region, EntityId entity, string holder, string deadHolder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        TakeAsync(region, entity, holder, deadHolder, now, expiresAt, cancellationToken);

    private async Task<ApplyLeaseGrant> TakeAsync(string region, EntityId entity, string holder, string? deadHolder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":me"] = S(holder),
            [":until"] = N(expiresAt.UtcTicks),
            [":now"] = N(now.UtcTicks),
        };
        var condition = $"attribute_not_exists({HolderName}) OR {ExpiryName} < :now OR {HolderName} = :me";
        if (deadHolder is not null)
        {
            values[":dead"] = S(deadHolder);
            condition += $" OR {HolderName} = :dead";
        }

        try
        {
            var response = await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(EntityPartition(entity), AppliedSortKey(region)),
                    UpdateExpression = $"SET {HolderName} = :me, {ExpiryName} = :until",
                    ConditionExpression = condition,
                    ExpressionAttributeNames = LeaseNames,
                    ExpressionAttributeValues = values,
                    ReturnValues = ReturnValue.ALL_NEW,
                },
                cancellationToken);
            var item = response.Attributes;
            return new ApplyLeaseGrant { Taken = true, Applied = item is not null && RecordsApplied(item) ? ToApplied(entity, item) : null };
        }
        catch (ConditionalCheckFailedException)
        {
            // Refused: say who holds it, so that a holder known to be dead can be taken over at once.
            try
            {
                var item = await GetAsync(EntityPartition(entity), AppliedSortKey(region), cancellationToken);
                return new ApplyLeaseGrant { Taken = false, Holder = item is null ? null : Text(item, Applied.LeaseHolder) };
            }
            catch (AmazonDynamoDBException e)
            {
                throw MirrorErrors.Wrap(e, _table, "read an apply lease's holder");
            }
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "take an apply lease");
        }
    }

    public async Task<bool> RenewApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Key(EntityPartition(entity), AppliedSortKey(region)),
                    UpdateExpression = $"SET {ExpiryName} = :until",
                    ConditionExpression = $"{HolderName} = :me",
                    ExpressionAttributeNames = LeaseNames,
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":me"] = S(holder), [":until"] = N(expiresAt.UtcTicks) },
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
            throw MirrorErrors.Wrap(e, _table, "renew an apply lease");
        }
    }

    public async Task ReleaseApplyLeaseAsync(string region, EntityId entity, string holder, CancellationToken cancellationToken)
    {
        var key = Key(EntityPartition(entity), AppliedSortKey(region));
        try
        {
            var response = await dynamo.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _table,
                    Key = key,
                    UpdateExpression = $"REMOVE {HolderName}, {ExpiryName}",
                    ConditionExpression = $"{HolderName} = :me",
                    ExpressionAttributeNames = LeaseNames,
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":me"] = S(holder) },
                    ReturnValues = ReturnValue.ALL_NEW,
                },
                cancellationToken);
            if (response.Attributes is { } item && !RecordsApplied(item))
            {
                // The lease was taken for an entity never applied: leave no empty item behind, unless someone took it meanwhile.
                await dynamo.DeleteItemAsync(
                    new DeleteItemRequest
                    {
                        TableName = _table,
                        Key = key,
                        ConditionExpression = $"attribute_not_exists({HolderName}) AND attribute_not_exists(#pv)",
                        ExpressionAttributeNames = new Dictionary<string, string> { [HolderName] = Applied.LeaseHolder, ["#pv"] = Applied.ProfileVersion },
                    },
                    cancellationToken);
            }
        }
        catch (ConditionalCheckFailedException)
        {
            // Not ours any more (it ran out and another worker took it), or the empty item was taken again: leave it.
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "release an apply lease");
        }
    }

    public async Task<AppliedRecord> PutAppliedAsync(string region, AppliedState state, string holder, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = FromApplied(region, state),
                    ConditionExpression = $"{HolderName} = :me AND (attribute_not_exists(#pv) OR (#pv <= :pv AND #gv <= :gv))",
                    ExpressionAttributeNames = new Dictionary<string, string>
                    {
                        [HolderName] = Applied.LeaseHolder,
                        ["#pv"] = Applied.ProfileVersion,
                        ["#gv"] = Applied.GroupsVersion,
                    },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":me"] = S(holder),
                        [":pv"] = N(state.ProfileVersion),
                        [":gv"] = N(state.GroupsVersion),
                    },
                },
                cancellationToken);
            return AppliedRecord.Recorded;
        }
        catch (ConditionalCheckFailedException)
        {
            // Either newer versions are recorded (then the lease is still ours: give it up) or the lease is gone.
            var item = await GetAsync(EntityPartition(state.Entity), AppliedSortKey(region), cancellationToken);
            if (Text(item, Applied.LeaseHolder) != holder)
            {
                return AppliedRecord.LeaseLost;
            }

            await ReleaseApplyLeaseAsync(region, state.Entity, holder, cancellationToken);
            return AppliedRecord.NewerKept;
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record an applied version");
        }
    }

    private static Dictionary<string, string> LeaseNames => new() { [HolderName] = Applied.LeaseHolder, [ExpiryName] = Applied.LeaseExpiresAt };
}
