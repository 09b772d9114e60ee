using System.Collections.Immutable;
using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// The write half of the snapshot codec (<see cref="MirrorItems"/>): one conditional UpdateItem that sets the parts of
/// a user or group snapshot the store decided to write, with a placeholder name for every attribute (no
/// reserved-word surprises). The store decides what is newer and what changed; this knows how each part is stored.
/// </summary>
internal sealed class SnapshotUpdate
{
    private readonly List<string> _sets = [];
    private readonly List<string> _removes = [];
    private readonly long? _epoch;

    /// <summary>An update stamped with <paramref name="epoch"/> (<c>null</c>: no replication control, no stamp).</summary>
    public SnapshotUpdate(long? epoch)
    {
        _epoch = epoch;
        if (epoch is { } value)
        {
            Set(Snapshot.Epoch, N(value));
        }
    }

    public Dictionary<string, string> Names { get; } = [];

    public Dictionary<string, AttributeValue> Values { get; } = [];

    public string Expression =>
        (_sets.Count > 0 ? "SET " + string.Join(", ", _sets) : string.Empty)
        + (_removes.Count > 0 ? " REMOVE " + string.Join(", ", _removes) : string.Empty);

    /// <summary>Who the user is: identity key, username, source pool, and the <c>sub</c> when known.</summary>
    public void UserIdentity(UserObservation observation)
    {
        Set(User.Key, S(observation.Key));
        Set(User.Username, S(observation.Username));
        Set(Snapshot.SourcePool, S(observation.SourcePoolId));
        if (observation.Sub is not null)
        {
            Set(User.Sub, S(observation.Sub));
        }
    }

    public void ProfileVersion(long version) => Set(Snapshot.ProfileVersion, N(version));

    public void GroupsVersion(long version) => Set(Snapshot.GroupsVersion, N(version));

    /// <summary>
    /// A user's profile part: its hash and attributes, enabled flag and status — or, for a deletion, a tombstone that
    /// expires after <paramref name="tombstoneRetention"/>. A live profile on an existing item clears an old expiry.
    /// </summary>
    public void UserProfile(UserObservation observation, string hash, bool exists, TimeSpan tombstoneRetention)
    {
        Set(User.ProfileHash, S(hash));
        Set(Snapshot.Deleted, Bool(observation.Deleted));
        if (observation.Deleted)
        {
            Remove(User.Attributes, User.Enabled, User.Status);
            Set(MirrorTable.ExpiresAt, N(observation.ObservedAt.Add(tombstoneRetention).ToUnixTimeSeconds()));
            return;
        }

        var profile = observation.Profile!;
        Set(User.Attributes, new AttributeValue { M = profile.Attributes.ToDictionary(a => a.Key, a => S(a.Value)) });
        Set(User.Enabled, Bool(profile.Enabled));
        Set(User.Status, S(profile.Status));
        if (exists)
        {
            Remove(MirrorTable.ExpiresAt);
        }
    }

    /// <summary>A user's group part: the names and their hash.</summary>
    public void UserGroups(ImmutableArray<string> groups, string hash)
    {
        Set(User.Groups, new AttributeValue { L = groups.Select(S).ToList() });
        Set(User.GroupsHash, S(hash));
    }

    /// <summary>Who the group is: its name and source pool.</summary>
    public void GroupIdentity(GroupObservation observation)
    {
        Set(Group.Name, S(observation.Name));
        Set(Snapshot.SourcePool, S(observation.SourcePoolId));
    }

    /// <summary>A group's content: hash, description, precedence, role — or a tombstone that expires after <paramref name="tombstoneRetention"/>.</summary>
    public void GroupContent(GroupObservation observation, bool exists, TimeSpan tombstoneRetention)
    {
        Set(Group.Hash, S(observation.Hash));
        Set(Snapshot.Deleted, Bool(observation.Deleted));
        SetOrRemove(Group.Description, observation.Description is null ? null : S(observation.Description));
        SetOrRemove(Group.Precedence, observation.Precedence is null ? null : N(observation.Precedence.Value));
        SetOrRemove(Group.RoleArn, observation.RoleArn is null ? null : S(observation.RoleArn));
        if (observation.Deleted)
        {
            Set(MirrorTable.ExpiresAt, N(observation.ObservedAt.Add(tombstoneRetention).ToUnixTimeSeconds()));
        }
        else if (exists)
        {
            Remove(MirrorTable.ExpiresAt);
        }
    }

    /// <summary>
    /// The feed keys (bucket, and a position at the write time) and when and how the change was observed: a snapshot
    /// whose content changed enters the change feed.
    /// </summary>
    public void Feed(EntityId entity, int buckets, DateTimeOffset writtenAt, DateTimeOffset observedAt, CaptureSource source)
    {
        Set(MirrorTable.FeedBucket, FeedBucketKey(MirrorTable.BucketOf(entity, buckets)));
        Set(MirrorTable.FeedPosition, S(MirrorTable.Position(writtenAt, entity)));
        Set(Snapshot.ChangedAt, N(observedAt.UtcTicks));
        Set(Snapshot.ChangeSource, S(source.ToString()));
    }

    /// <summary>
    /// The item this update writes into an absent item, whole (for a batch put, which takes no expression): the key and
    /// every attribute set; removals have nothing to remove from an absent item.
    /// </summary>
    public Dictionary<string, AttributeValue> AsNewItem(Dictionary<string, AttributeValue> key)
    {
        var item = new Dictionary<string, AttributeValue>(key);
        foreach (var (placeholder, value) in Values)
        {
            item[placeholder[1..]] = value;
        }

        return item;
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
        Names["#" + Snapshot.Epoch] = Snapshot.Epoch;
        return $"({versions}) AND (attribute_not_exists(#{Snapshot.Epoch}) OR #{Snapshot.Epoch} <= :{Snapshot.Epoch})";
    }

    private string Versions(bool absent, long profileVersion, long? groupsVersion)
    {
        if (absent)
        {
            Names["#pk"] = MirrorTable.PartitionKey;
            return "attribute_not_exists(#pk)";
        }

        Names["#" + Snapshot.ProfileVersion] = Snapshot.ProfileVersion;
        Values[":cpv"] = N(profileVersion);
        if (groupsVersion is null)
        {
            return $"#{Snapshot.ProfileVersion} = :cpv";
        }

        Names["#" + Snapshot.GroupsVersion] = Snapshot.GroupsVersion;
        Values[":cgv"] = N(groupsVersion.Value);
        return $"#{Snapshot.ProfileVersion} = :cpv AND #{Snapshot.GroupsVersion} = :cgv";
    }

    private void Set(string attribute, AttributeValue value)
    {
        var name = "#" + attribute;
        Names[name] = attribute;
        var placeholder = ":" + attribute;
        Values[placeholder] = value;
        _sets.Add($"{name} = {placeholder}");
    }

    private void Remove(params string[] attributes)
    {
        foreach (var attribute in attributes)
        {
            var name = "#" + attribute;
            Names[name] = attribute;
            _removes.Add(name);
        }
    }

    private void SetOrRemove(string name, AttributeValue? value)
    {
        if (value is null)
        {
            Remove(name);
        }
        else
        {
            Set(name, value);
        }
    }
}
