using System.Collections.Immutable;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// The mirror table's item codec: attribute values, keys, feed keys, and snapshots and applied state ↔ items. The
/// write half of a snapshot (an update of the parts that changed) is <see cref="SnapshotUpdate"/>. Names come from
/// <see cref="MirrorAttributes"/> and the layout from <see cref="MirrorTable"/>; the format is pinned by golden tests.
/// </summary>
internal static class MirrorItems
{
    /// <summary>What recording a user reads before deciding: versions, hashes, the <c>sub</c> and the epoch (<c>#sub</c>: a reserved word).</summary>
    public const string UserDecisionProjection =
        $"{Snapshot.ProfileVersion}, {Snapshot.GroupsVersion}, {User.ProfileHash}, {User.GroupsHash}, {SubPlaceholder}, {Snapshot.Epoch}";

    /// <summary>What recording a group reads before deciding.</summary>
    public const string GroupDecisionProjection = $"{Snapshot.ProfileVersion}, {Group.Hash}, {Snapshot.Epoch}";

    /// <summary>The placeholder <see cref="UserDecisionProjection"/> uses for <see cref="User.Sub"/>.</summary>
    public const string SubPlaceholder = "#" + User.Sub;

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Bool(bool value) => new() { BOOL = value };

    /// <summary>A number attribute, 0 when absent.</summary>
    public static long Number(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) && value.N is not null ? long.Parse(value.N, CultureInfo.InvariantCulture) : 0;

    public static string? Text(Dictionary<string, AttributeValue>? item, string name) =>
        item is not null && item.TryGetValue(name, out var value) ? value.S : null;

    /// <summary>A boolean attribute that is present and true.</summary>
    public static bool IsTrue(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.BOOL == true;

    public static Dictionary<string, AttributeValue> Key(string partition, string sort) => new()
    {
        [MirrorTable.PartitionKey] = S(partition),
        [MirrorTable.SortKey] = S(sort),
    };

    /// <summary>The key of an entity's snapshot item.</summary>
    public static Dictionary<string, AttributeValue> SnapshotKey(EntityId entity) => Key(MirrorTable.EntityPartition(entity), MirrorTable.SnapshotSortKey);

    /// <summary>A feed bucket as the feed index's partition key holds it.</summary>
    public static AttributeValue FeedBucketKey(int bucket) => S(bucket.ToString(CultureInfo.InvariantCulture));

    public static UserSnapshot ToUser(Dictionary<string, AttributeValue> item)
    {
        var deleted = IsTrue(item, Snapshot.Deleted);
        UserProfile? profile = null;
        if (!deleted && item.TryGetValue(User.Attributes, out var attributes) && attributes.M is not null && item.TryGetValue(User.Status, out var status))
        {
            profile = new UserProfile(
                attributes.M.Select(a => KeyValuePair.Create(a.Key, a.Value.S ?? string.Empty)),
                IsTrue(item, User.Enabled),
                status.S);
        }

        var groupsVersion = Number(item, Snapshot.GroupsVersion);
        ImmutableArray<string>? groups = groupsVersion > 0 && item.TryGetValue(User.Groups, out var g) && g.L is not null
            ? [.. g.L.Select(v => v.S)]
            : null;

        return new UserSnapshot
        {
            Key = item[User.Key].S,
            Username = item[User.Username].S,
            Sub = Text(item, User.Sub),
            SourcePoolId = Text(item, Snapshot.SourcePool) ?? string.Empty,
            Profile = profile,
            Deleted = deleted,
            ProfileVersion = Number(item, Snapshot.ProfileVersion),
            ProfileHash = Text(item, User.ProfileHash),
            Groups = groups,
            GroupsVersion = groupsVersion,
            GroupsHash = Text(item, User.GroupsHash),
            FeedPosition = Text(item, MirrorTable.FeedPosition),
            ChangedAt = new DateTimeOffset(Number(item, Snapshot.ChangedAt), TimeSpan.Zero),
            ChangeSource = Enum.TryParse<CaptureSource>(Text(item, Snapshot.ChangeSource), out var source) ? source : CaptureSource.Trigger,
        };
    }

    public static GroupSnapshot ToGroup(Dictionary<string, AttributeValue> item) => new()
    {
        Name = item[Group.Name].S,
        SourcePoolId = Text(item, Snapshot.SourcePool) ?? string.Empty,
        Description = Text(item, Group.Description),
        Precedence = item.TryGetValue(Group.Precedence, out var p) && p.N is not null ? int.Parse(p.N, CultureInfo.InvariantCulture) : null,
        RoleArn = Text(item, Group.RoleArn),
        Deleted = IsTrue(item, Snapshot.Deleted),
        Version = Number(item, Snapshot.ProfileVersion),
        Hash = Text(item, Group.Hash),
        FeedPosition = Text(item, MirrorTable.FeedPosition),
        ChangedAt = new DateTimeOffset(Number(item, Snapshot.ChangedAt), TimeSpan.Zero),
    };

    /// <summary>An item read from the feed index or a scan: the user or the group it holds, or a configuration hint.</summary>
    public static FeedEntry ToFeedEntry(Dictionary<string, AttributeValue> item)
    {
        var position = item[MirrorTable.FeedPosition].S;
        return MirrorTable.EntityOf(item[MirrorTable.PartitionKey].S).Kind switch
        {
            EntityKind.User => new FeedEntry(position, ToUser(item), null),
            EntityKind.Configuration => new FeedEntry(position, null, null, DynamoDbConfigurationHints.FromItem(item)),
            _ => new FeedEntry(position, null, ToGroup(item)),
        };
    }

    /// <summary>
    /// Whether an applied-state item records an application: an item that only carries an apply lease (taken for an
    /// entity never applied yet) records none.
    /// </summary>
    public static bool RecordsApplied(Dictionary<string, AttributeValue> item) => item.ContainsKey(Applied.ProfileVersion);

    public static AppliedState ToApplied(EntityId entity, Dictionary<string, AttributeValue> item) => new()
    {
        Entity = entity,
        ProfileVersion = Number(item, Applied.ProfileVersion),
        GroupsVersion = Number(item, Applied.GroupsVersion),
        ProfileHash = Text(item, Applied.ProfileHash),
        GroupsHash = Text(item, Applied.GroupsHash),
        TargetUsername = Text(item, Applied.TargetUsername),
        TargetSub = Text(item, Applied.TargetSub),
        SourceSub = Text(item, Applied.SourceSub),
        AppliedAt = new DateTimeOffset(Number(item, Applied.AppliedAt), TimeSpan.Zero),
    };

    public static Dictionary<string, AttributeValue> FromApplied(string region, AppliedState state)
    {
        var item = Key(MirrorTable.EntityPartition(state.Entity), MirrorTable.AppliedSortKey(region));
        item[Applied.ProfileVersion] = N(state.ProfileVersion);
        item[Applied.GroupsVersion] = N(state.GroupsVersion);
        item[Applied.AppliedAt] = N(state.AppliedAt.UtcTicks);
        AddIfSet(item, Applied.ProfileHash, state.ProfileHash);
        AddIfSet(item, Applied.GroupsHash, state.GroupsHash);
        AddIfSet(item, Applied.TargetUsername, state.TargetUsername);
        AddIfSet(item, Applied.TargetSub, state.TargetSub);
        AddIfSet(item, Applied.SourceSub, state.SourceSub);
        return item;
    }

    private static void AddIfSet(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }

    /// <summary>The item of a rotated secret's fingerprint (<see cref="MirrorAttributes.RotatedSecret"/>).</summary>
    public static Dictionary<string, AttributeValue> FromRotatedSecret(RotatedSecret secret) =>
        new(Key(MirrorTable.RotatedSecretsPartition(secret.UserPoolId), secret.ClientId + "#" + secret.SecretId))
        {
            [MirrorAttributes.RotatedSecret.Name] = S(secret.ClientName),
            [MirrorAttributes.RotatedSecret.ClientId] = S(secret.ClientId),
            [MirrorAttributes.RotatedSecret.SecretId] = S(secret.SecretId),
            [MirrorAttributes.RotatedSecret.Fingerprint] = S(secret.Fingerprint),
            [MirrorAttributes.RotatedSecret.RecordedAt] = N(secret.RecordedAt.UtcTicks),
        };

    public static RotatedSecret ToRotatedSecret(string userPoolId, Dictionary<string, AttributeValue> item) => new(
        userPoolId,
        Text(item, MirrorAttributes.RotatedSecret.ClientId) ?? string.Empty,
        Text(item, MirrorAttributes.RotatedSecret.Name) ?? string.Empty,
        Text(item, MirrorAttributes.RotatedSecret.SecretId) ?? string.Empty,
        Text(item, MirrorAttributes.RotatedSecret.Fingerprint) ?? string.Empty,
        new DateTimeOffset(Number(item, MirrorAttributes.RotatedSecret.RecordedAt), TimeSpan.Zero));

    /// <summary>The item of a client's refusals (<see cref="MirrorAttributes.ClientRefusals"/>).</summary>
    public static Dictionary<string, AttributeValue> FromClientRefusals(ClientRefusals refusals) =>
        new(Key(MirrorTable.ClientRefusalsPartition(refusals.TargetPoolId), refusals.Name))
        {
            [MirrorAttributes.ClientRefusals.Name] = S(refusals.Name),
            [MirrorAttributes.ClientRefusals.RecordedAt] = N(refusals.RecordedAt.UtcTicks),
            [MirrorAttributes.ClientRefusals.Refusals] = new AttributeValue
            {
                L = [.. refusals.Refusals.Select(r => new AttributeValue
                {
                    M = new Dictionary<string, AttributeValue>
                    {
                        [MirrorAttributes.ClientRefusals.Subject] = S(r.Subject),
                        [MirrorAttributes.ClientRefusals.Operation] = S(r.Operation),
                        [MirrorAttributes.ClientRefusals.Code] = S(r.Code),
                        [MirrorAttributes.ClientRefusals.Reason] = S(r.Reason),
                        [MirrorAttributes.ClientRefusals.Fix] = S(r.Fix),
                    },
                })],
            },
        };

    public static ClientRefusals ToClientRefusals(string targetPoolId, Dictionary<string, AttributeValue> item) => new(
        Text(item, MirrorAttributes.ClientRefusals.Name) ?? string.Empty,
        targetPoolId,
        new DateTimeOffset(Number(item, MirrorAttributes.ClientRefusals.RecordedAt), TimeSpan.Zero),
        [.. (item.GetValueOrDefault(MirrorAttributes.ClientRefusals.Refusals)?.L ?? []).Select(v => v.M ?? []).Select(m => new ClientRefusal(
            Text(m, MirrorAttributes.ClientRefusals.Subject) ?? string.Empty,
            Text(m, MirrorAttributes.ClientRefusals.Operation) ?? string.Empty,
            Text(m, MirrorAttributes.ClientRefusals.Code) ?? string.Empty,
            Text(m, MirrorAttributes.ClientRefusals.Reason) ?? string.Empty,
            Text(m, MirrorAttributes.ClientRefusals.Fix) ?? string.Empty))]);
}
