using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Names = IdentityReplicator.Core.Mirror.MirrorAttributes.ClientMapping;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// Which target client stands for a source client: app clients are matched by name, and their ids differ per pool (a
/// token relay or an application's failover configuration maps the source's id to the target's). Client ids are not
/// secrets; the secrets themselves are never stored.
/// </summary>
public sealed record ClientMapping(string Name, string SourcePoolId, string SourceClientId, string TargetPoolId, string TargetClientId, DateTimeOffset MappedAt);

/// <summary>The primary ↔ standby app-client id mappings, kept in the mirror table by the reconciler that writes the target pool.</summary>
public interface IClientMappingStore
{
    /// <summary>Records a mapping; an older one (by <see cref="ClientMapping.MappedAt"/>) never replaces a newer one.</summary>
    Task PutAsync(ClientMapping mapping, CancellationToken cancellationToken);

    /// <summary>Every mapping of a target pool, by client name.</summary>
    Task<IReadOnlyList<ClientMapping>> ListAsync(string targetPoolId, CancellationToken cancellationToken);

    /// <summary>Forgets the mapping of a client the target no longer has.</summary>
    Task DeleteAsync(string targetPoolId, string name, CancellationToken cancellationToken);
}

/// <summary><see cref="IClientMappingStore"/> in the mirror table (<c>CLIENTS#&lt;target pool&gt;</c> / <c>&lt;client name&gt;</c>).</summary>
public sealed class DynamoDbClientMappingStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IClientMappingStore
{
    private readonly string _table = options.TableName;

    public async Task PutAsync(ClientMapping mapping, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = new Dictionary<string, AttributeValue>(Key(ClientMappingPartition(mapping.TargetPoolId), mapping.Name))
                    {
                        [Names.Name] = S(mapping.Name),
                        [Names.SourcePool] = S(mapping.SourcePoolId),
                        [Names.SourceClientId] = S(mapping.SourceClientId),
                        [Names.TargetClientId] = S(mapping.TargetClientId),
                        [Names.MappedAt] = N(mapping.MappedAt.UtcTicks),
                    },
                    ConditionExpression = "attribute_not_exists(#pk) OR #at <= :at",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey, ["#at"] = Names.MappedAt },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = N(mapping.MappedAt.UtcTicks) },
                },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // A newer confirmation is recorded; keep it.
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record a client mapping");
        }
    }

    public async Task<IReadOnlyList<ClientMapping>> ListAsync(string targetPoolId, CancellationToken cancellationToken)
    {
        var mappings = new List<ClientMapping>();
        await foreach (var item in PartitionQuery.ItemsAsync(dynamo, _table, ClientMappingPartition(targetPoolId), "read the client mappings", cancellationToken))
        {
            mappings.Add(new ClientMapping(
                Text(item, Names.Name) ?? string.Empty,
                Text(item, Names.SourcePool) ?? string.Empty,
                Text(item, Names.SourceClientId) ?? string.Empty,
                targetPoolId,
                Text(item, Names.TargetClientId) ?? string.Empty,
                new DateTimeOffset(Number(item, Names.MappedAt), TimeSpan.Zero)));
        }

        return mappings;
    }

    public async Task DeleteAsync(string targetPoolId, string name, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Key(ClientMappingPartition(targetPoolId), name) }, cancellationToken);
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "forget a client mapping");
        }
    }
}
