using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using Names = IdentityReplicator.Core.Mirror.MirrorAttributes.Control;

namespace IdentityReplicator.Core.Control;

/// <summary>
/// The direction of replication: which pool it reads (the source, where users sign in) and which it writes (the
/// target), under an epoch that only ever increases. With no control item the configured roles hold at epoch 0
/// (primary → standby); a failover writes a new control, first fenced (nobody may record snapshots), then reversed
/// (standby → primary), and a failback does the same the other way. Capture, the sweep, the mirror store, the
/// reconciler, sync and drift follow it, so they name pools by these roles, never by <see cref="PoolRole"/>.
/// </summary>
public sealed record ReplicationControl
{
    public required long Epoch { get; init; }

    public required string SourceRegion { get; init; }

    public required string SourcePoolId { get; init; }

    public required string TargetRegion { get; init; }

    public required string TargetPoolId { get; init; }

    /// <summary>Whether the source may record snapshots; <c>false</c> while a failover has fenced it.</summary>
    public bool Writable { get; init; } = true;

    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>
    /// When <see cref="SourcePoolId"/> became the source: the reversal that made it so, kept through a fence (which
    /// changes <see cref="ChangedAt"/> but not the direction). The default for the configured roles and for items written
    /// before it was recorded. A change recorded before it was the old source's.
    /// </summary>
    public DateTimeOffset SourceSince { get; init; }

    /// <summary>The failover run that wrote it (<c>null</c> for the configured default).</summary>
    public string? RunId { get; init; }

    /// <summary>The configured roles, before any failover: primary → standby, epoch 0.</summary>
    public static ReplicationControl FromConfiguration(ReplicationOptions options) => new()
    {
        Epoch = 0,
        SourceRegion = options.Primary.Region,
        SourcePoolId = options.Primary.UserPoolId,
        TargetRegion = options.Standby.Region,
        TargetPoolId = options.Standby.UserPoolId,
    };

    /// <summary>Whether <paramref name="poolId"/> may record snapshots under this control.</summary>
    public bool MayRecord(string poolId) => Writable && string.Equals(poolId, SourcePoolId, StringComparison.Ordinal);

    public override string ToString() =>
        $"epoch {Epoch}: {SourcePoolId} ({SourceRegion}) → {TargetPoolId} ({TargetRegion}){(Writable ? string.Empty : ", fenced")}";
}

/// <summary>The control item. Writes are compare-and-set on the epoch, so two operators cannot both advance it.</summary>
public interface IReplicationControlStore
{
    /// <summary>The control as stored (consistent read), or <c>null</c> before the first failover.</summary>
    Task<ReplicationControl?> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="next"/> if the stored epoch is still <paramref name="expectedEpoch"/> (0 = no item yet) and
    /// <paramref name="next"/> has a higher one. Returns <c>false</c> if someone else moved it first.
    /// </summary>
    Task<bool> TryAdvanceAsync(ReplicationControl next, long expectedEpoch, CancellationToken cancellationToken);
}

/// <summary>A snapshot was offered by a pool that is not the current writable source (an old Region that came back).</summary>
internal sealed class StaleEpochException : Exception
{
    public StaleEpochException(string poolId, ReplicationControl control)
        : base($"Refused a snapshot from pool {poolId}: since epoch {control.Epoch} the mirror table takes snapshots only from {(control.Writable ? control.SourcePoolId : "no pool (a failover has fenced replication)")}. A recovering old source must not overwrite the new one; see docs/runbook-failover.md.")
    {
        PoolId = poolId;
        Epoch = control.Epoch;
    }

    public StaleEpochException()
    {
        PoolId = string.Empty;
    }

    public StaleEpochException(string message)
        : base(message)
    {
        PoolId = string.Empty;
    }

    public StaleEpochException(string message, Exception innerException)
        : base(message, innerException)
    {
        PoolId = string.Empty;
    }

    public string PoolId { get; }

    public long Epoch { get; }
}

/// <summary><see cref="IReplicationControlStore"/> as one item of the mirror table (<c>CTRL</c>/<c>REPLICATION</c>).</summary>
public sealed class DynamoDbReplicationControlStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IReplicationControlStore
{
    private readonly string _table = options.TableName;

    public async Task<ReplicationControl?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.GetItemAsync(
                new GetItemRequest { TableName = _table, Key = Key(), ConsistentRead = true },
                cancellationToken);
            if (response.Item is not { Count: > 0 } item)
            {
                return null;
            }

            return new ReplicationControl
            {
                Epoch = MirrorItems.Number(item, Names.Epoch),
                SourceRegion = MirrorItems.Text(item, Names.SourceRegion) ?? string.Empty,
                SourcePoolId = MirrorItems.Text(item, Names.SourcePool) ?? string.Empty,
                TargetRegion = MirrorItems.Text(item, Names.TargetRegion) ?? string.Empty,
                TargetPoolId = MirrorItems.Text(item, Names.TargetPool) ?? string.Empty,
                Writable = !item.TryGetValue(Names.Writable, out var w) || w.BOOL != false,
                ChangedAt = new DateTimeOffset(MirrorItems.Number(item, Names.ChangedAt), TimeSpan.Zero),
                SourceSince = new DateTimeOffset(MirrorItems.Number(item, Names.SourceSince), TimeSpan.Zero),
                RunId = MirrorItems.Text(item, Names.RunId),
            };
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "read the replication control item");
        }
    }

    public async Task<bool> TryAdvanceAsync(ReplicationControl next, long expectedEpoch, CancellationToken cancellationToken)
    {
        if (next.Epoch <= expectedEpoch)
        {
            throw new ArgumentException($"The next epoch ({next.Epoch}) must be higher than the expected one ({expectedEpoch}).", nameof(next));
        }

        var item = Key();
        item[Names.Epoch] = MirrorItems.N(next.Epoch);
        item[Names.SourceRegion] = MirrorItems.S(next.SourceRegion);
        item[Names.SourcePool] = MirrorItems.S(next.SourcePoolId);
        item[Names.TargetRegion] = MirrorItems.S(next.TargetRegion);
        item[Names.TargetPool] = MirrorItems.S(next.TargetPoolId);
        item[Names.Writable] = MirrorItems.Bool(next.Writable);
        item[Names.ChangedAt] = MirrorItems.N(next.ChangedAt.UtcTicks);
        item[Names.SourceSince] = MirrorItems.N(next.SourceSince.UtcTicks);
        if (next.RunId is not null)
        {
            item[Names.RunId] = MirrorItems.S(next.RunId);
        }

        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = item,
                    ConditionExpression = expectedEpoch == 0 ? "attribute_not_exists(#pk) OR #e = :e" : "#e = :e",
                    ExpressionAttributeNames = expectedEpoch == 0
                        ? new Dictionary<string, string> { ["#pk"] = MirrorTable.PartitionKey, ["#e"] = Names.Epoch }
                        : new Dictionary<string, string> { ["#e"] = Names.Epoch },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":e"] = MirrorItems.N(expectedEpoch) },
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
            throw MirrorErrors.Wrap(e, _table, "write the replication control item");
        }
    }

    private static Dictionary<string, AttributeValue> Key() => MirrorItems.Key(MirrorTable.ControlPartition, MirrorTable.ControlSortKey);
}
