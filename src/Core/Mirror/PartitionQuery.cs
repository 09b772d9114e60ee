using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>Reads every item of one mirror-table partition, page by page, consistently (parked entities, client mappings, refusals).</summary>
internal static class PartitionQuery
{
    /// <summary>The items of <paramref name="partition"/>; a DynamoDB error is wrapped as failing to <paramref name="action"/>.</summary>
    public static async IAsyncEnumerable<Dictionary<string, AttributeValue>> ItemsAsync(
        IAmazonDynamoDB dynamo,
        string table,
        string partition,
        string action,
        [EnumeratorCancellation] CancellationToken cancellationToken)
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
                        TableName = table,
                        KeyConditionExpression = "#pk = :pk",
                        ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey },
                        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":pk"] = S(partition) },
                        ExclusiveStartKey = start,
                        ConsistentRead = true,
                    },
                    cancellationToken);
            }
            catch (AmazonDynamoDBException e)
            {
                throw MirrorErrors.Wrap(e, table, action);
            }

            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }
}
