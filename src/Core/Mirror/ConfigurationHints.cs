using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

/// <summary>The kinds of configuration object a hint can name (their names are on the wire, in <c>ck</c> and in keys).</summary>
public enum ConfigObjectKind
{
    /// <summary>An app client (by its id in the source pool) and its secrets.</summary>
    Client,

    /// <summary>A resource server and its scopes (by identifier).</summary>
    ResourceServer,

    /// <summary>An identity provider (by name).</summary>
    IdentityProvider,

    /// <summary>The pool's settings and tags.</summary>
    Pool,

    /// <summary>The pool's MFA configuration.</summary>
    Mfa,

    /// <summary>The pool's schema (custom attributes).</summary>
    Schema,

    /// <summary>The pool's domain.</summary>
    Domain,

    /// <summary>Classic UI customization, managed login branding and terms.</summary>
    Ui,

    /// <summary>The pool's log delivery configuration (destinations are Regional values, mapped).</summary>
    LogDelivery,

    /// <summary>The pool's threat-protection (risk) configuration, pool-wide and per client.</summary>
    Risk,
}

/// <summary>
/// A note that one object of a source pool's configuration changed (a CloudTrail record of a configuration call named
/// it). It carries no content: the reconciler reads the object from both pools and applies the difference. Its
/// <see cref="Version"/> is when capture saw the record, so a replayed feed entry is recognised by the applied state.
/// </summary>
public sealed record ConfigurationHint
{
    public required string SourcePoolId { get; init; }

    public required ConfigObjectKind Kind { get; init; }

    /// <summary>The object's id in the source pool (client id, resource server identifier, provider name, domain); null for pool-wide kinds.</summary>
    public string? ObjectId { get; init; }

    /// <summary>The client's name, when the record named it.</summary>
    public string? ObjectName { get; init; }

    /// <summary>The operation whose record asked for the re-read.</summary>
    public required string Operation { get; init; }

    /// <summary>When capture saw the record (UTC ticks).</summary>
    public required long Version { get; init; }

    public string? FeedPosition { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public EntityId Entity => EntityIdOf(SourcePoolId, Kind, ObjectId);

    /// <summary>The object as the mirror keys it: <c>&lt;pool&gt;#&lt;kind&gt;[#&lt;id&gt;]</c> (pool-wide kinds have no id).</summary>
    public static EntityId EntityIdOf(string poolId, ConfigObjectKind kind, string? objectId) =>
        new(EntityKind.Configuration, objectId is null ? $"{poolId}#{KindName(kind)}" : $"{poolId}#{KindName(kind)}#{objectId}");

    /// <summary>The kind's name on the wire.</summary>
    public static string KindName(ConfigObjectKind kind) => kind switch
    {
        ConfigObjectKind.ResourceServer => "resourceServer",
        ConfigObjectKind.IdentityProvider => "idp",
        ConfigObjectKind.LogDelivery => "logDelivery",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static ConfigObjectKind? KindOf(string? name) =>
        Enum.GetValues<ConfigObjectKind>().Cast<ConfigObjectKind?>().FirstOrDefault(k => KindName(k!.Value) == name);

    public override string ToString() => $"{KindName(Kind)} of {SourcePoolId} ({Operation})";
}

/// <summary>Where capture puts configuration hints: the mirror table, on the change feed.</summary>
public interface IConfigurationHints
{
    /// <summary>
    /// Records the hint if it is newer than the one recorded for the object (<see cref="RecordOutcome.Changed"/>: a
    /// feed entry points at it); an older or equal one changes nothing (<see cref="RecordOutcome.Stale"/>).
    /// </summary>
    Task<RecordOutcome> RecordAsync(ConfigurationHint hint, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IConfigurationHints"/> in the mirror table: one item per object (<c>CFG#…</c> / <c>S</c>), written on the
/// condition that its version is newer, with a feed position each time, so the reconciler sees every accepted record.
/// </summary>
public sealed class DynamoDbConfigurationHints(IAmazonDynamoDB dynamo, MirrorOptions options) : IConfigurationHints
{
    private readonly string _table = options.TableName;

    public async Task<RecordOutcome> RecordAsync(ConfigurationHint hint, CancellationToken cancellationToken)
    {
        var entity = hint.Entity;
        var at = new DateTimeOffset(hint.Version, TimeSpan.Zero);
        var item = Key(EntityPartition(entity), SnapshotSortKey);
        item[ConfigHint.SourcePool] = S(hint.SourcePoolId);
        item[ConfigHint.Kind] = S(ConfigurationHint.KindName(hint.Kind));
        item[ConfigHint.Operation] = S(hint.Operation);
        item[ConfigHint.Version] = N(hint.Version);
        item[ConfigHint.ChangedAt] = N(hint.Version);
        item[ConfigHint.ChangeSource] = S(nameof(CaptureSource.CloudTrail));
        item[FeedBucket] = FeedBucketKey(BucketOf(entity, options.FeedBuckets));
        item[FeedPosition] = S(Position(at, entity));
        if (hint.ObjectId is not null)
        {
            item[ConfigHint.ObjectId] = S(hint.ObjectId);
        }

        if (hint.ObjectName is not null)
        {
            item[ConfigHint.ObjectName] = S(hint.ObjectName);
        }

        try
        {
            await dynamo.PutItemAsync(
                new PutItemRequest
                {
                    TableName = _table,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(#pk) OR #v < :v",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey, ["#v"] = ConfigHint.Version },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":v"] = N(hint.Version) },
                },
                cancellationToken);
            return RecordOutcome.Changed;
        }
        catch (ConditionalCheckFailedException)
        {
            return RecordOutcome.Stale;
        }
        catch (AmazonDynamoDBException e)
        {
            throw MirrorErrors.Wrap(e, _table, "record a configuration hint");
        }
    }

    /// <summary>A configuration hint item as the feed returns it.</summary>
    internal static ConfigurationHint FromItem(Dictionary<string, AttributeValue> item) => new()
    {
        SourcePoolId = Text(item, ConfigHint.SourcePool) ?? string.Empty,
        Kind = ConfigurationHint.KindOf(Text(item, ConfigHint.Kind)) ?? ConfigObjectKind.Pool,
        ObjectId = Text(item, ConfigHint.ObjectId),
        ObjectName = Text(item, ConfigHint.ObjectName),
        Operation = Text(item, ConfigHint.Operation) ?? string.Empty,
        Version = Number(item, ConfigHint.Version),
        FeedPosition = Text(item, FeedPosition),
        ChangedAt = new DateTimeOffset(Number(item, ConfigHint.ChangedAt), TimeSpan.Zero),
    };
}
