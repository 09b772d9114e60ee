using System.Collections.Immutable;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Names = IdentityReplicator.Core.Mirror.MirrorAttributes.ClientRefusals;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>One configuration write the target refused for a client: what, Cognito's code and reason, and the fix. Never a secret.</summary>
public sealed record ClientRefusal(string Subject, string Operation, string Code, string Reason, string Fix);

/// <summary>The refusals of the last configuration apply for one client of a target pool.</summary>
public sealed record ClientRefusals(string Name, string TargetPoolId, DateTimeOffset RecordedAt, ImmutableArray<ClientRefusal> Refusals);

/// <summary>
/// The last configuration apply's refusals per client of a target pool, kept so <c>idrep clients</c> can show them
/// (an apply is the only one that learns them). A client the last apply did not refuse anything for has no item.
/// </summary>
public interface IClientRefusalStore
{
    /// <summary>
    /// Makes the kept refusals of <paramref name="targetPoolId"/> those of the apply that ran at <paramref name="at"/>:
    /// writes <paramref name="refused"/> and forgets every other client's. A record of a later apply is never replaced.
    /// </summary>
    Task ReplaceAsync(string targetPoolId, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ReplaceAsync"/>, for the clients <paramref name="names"/> only (an apply of one object: a hint, or
    /// one object of the configuration sweep): their records become <paramref name="refused"/>'s, every other client's
    /// record is kept.
    /// </summary>
    Task ReplaceForAsync(string targetPoolId, IReadOnlyCollection<string> names, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every client of the target pool with refusals, by client name.</summary>
    Task<IReadOnlyList<ClientRefusals>> ListAsync(string targetPoolId, CancellationToken cancellationToken);
}

/// <summary><see cref="IClientRefusalStore"/> in the mirror table (<c>REFUSED#&lt;target pool&gt;</c> / <c>&lt;client name&gt;</c>).</summary>
public sealed class DynamoDbClientRefusalStore(IAmazonDynamoDB dynamo, MirrorOptions options) : IClientRefusalStore
{
    private const string NotNewer = "attribute_not_exists(#pk) OR #at <= :at";
    private readonly string _table = options.TableName;

    public Task ReplaceAsync(string targetPoolId, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken) =>
        ReplaceAsync(targetPoolId, _ => true, refused, at, cancellationToken);

    public Task ReplaceForAsync(string targetPoolId, IReadOnlyCollection<string> names, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken) =>
        names.Count == 0 && refused.Count == 0 ? Task.CompletedTask : ReplaceAsync(targetPoolId, names.Contains, refused, at, cancellationToken);

    private async Task ReplaceAsync(string targetPoolId, Func<string, bool> covered, IReadOnlyCollection<ClientRefusals> refused, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var kept = (await ListAsync(targetPoolId, cancellationToken)).Where(k => covered(k.Name));
        try
        {
            foreach (var client in refused)
            {
                await Conditionally(() => dynamo.PutItemAsync(
                    new PutItemRequest { TableName = _table, Item = FromClientRefusals(client with { RecordedAt = at }), ConditionExpression = NotNewer, ExpressionAttributeNames = ConditionNames, ExpressionAttributeValues = AtValue(at) },
                    cancellationToken));
            }

            foreach (var gone in kept.Where(k => !refused.Any(r => r.Name == k.Name)))
            {
                await Conditionally(() => dynamo.DeleteItemAsync(
                    new DeleteItemRequest { TableName = _table, Key = Key(ClientRefusalsPartition(targetPoolId), gone.Name), ConditionExpression = NotNewer, ExpressionAttributeNames = ConditionNames, ExpressionAttributeValues = AtValue(at) },
                    cancellationToken));
            }
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record configuration refusals");
        }
    }

    public async Task<IReadOnlyList<ClientRefusals>> ListAsync(string targetPoolId, CancellationToken cancellationToken)
    {
        var refusals = new List<ClientRefusals>();
        await foreach (var item in PartitionQuery.ItemsAsync(dynamo, _table, ClientRefusalsPartition(targetPoolId), "read the configuration refusals", cancellationToken))
        {
            refusals.Add(ToClientRefusals(targetPoolId, item));
        }

        return refusals;
    }

    private static Dictionary<string, string> ConditionNames => new() { ["#pk"] = PartitionKey, ["#at"] = Names.RecordedAt };

    private static Dictionary<string, AttributeValue> AtValue(DateTimeOffset at) => new() { [":at"] = N(at.UtcTicks) };

    private static async Task Conditionally(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (ConditionalCheckFailedException)
        {
            // A later apply's record is kept.
        }
    }
}
