using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Core.Mirror;

/// <summary>
/// Records what a listing of the source pool (<see cref="PoolInventory"/>) saw into the mirror table: a snapshot of
/// each user and group whose content differs from what the mirror holds, and tombstones for what the source no
/// longer has. Versions are the moment the listing began, so anything captured while it ran (a trigger, a hint) is
/// newer and wins. Users and groups whose content the mirror already holds are not written at all. Used by the
/// source sweep and by full sync.
/// </summary>
public sealed class InventoryRecorder(IMirrorStore mirror, bool usernamesCaseSensitive)
{
    public string KeyOf(DirectoryUser user) => IdentityKeys.ForUsername(user.Username, usernamesCaseSensitive);

    /// <summary>The observation a listing makes of one user.</summary>
    public UserObservation Observe(PoolInventory inventory, DirectoryUser user, CaptureSource source) => new()
    {
        Key = KeyOf(user),
        Username = user.Username,
        Sub = user.Sub,
        SourcePoolId = inventory.PoolId,
        ObservedAt = inventory.ReadStartedAt,
        Source = source,
        Profile = new UserProfile(user.Attributes, user.Enabled, user.Status),
        Groups = inventory.GroupsOf(user.Username),
    };

    /// <summary>Whether the mirror's snapshot already holds exactly this observation's content.</summary>
    public static bool Holds(UserSnapshot? current, UserObservation observation) =>
        current is { Deleted: false, Groups: not null }
        && current.ProfileHash == observation.Profile!.Hash
        && current.GroupsHash == ContentHash.OfNames(observation.Groups!.Value);

    /// <summary>
    /// Records one user unless the mirror holds it already. Returns the snapshot as the mirror now holds it
    /// (read back after a write, so versions are exact), and whether anything was written.
    /// </summary>
    public async Task<(UserSnapshot? Snapshot, RecordOutcome? Outcome)> RecordUserAsync(
        PoolInventory inventory, DirectoryUser user, UserSnapshot? current, CaptureSource source, CancellationToken cancellationToken)
    {
        var observation = Observe(inventory, user, source);
        if (Holds(current, observation))
        {
            return (current, null);
        }

        var outcome = await mirror.RecordUserAsync(observation, cancellationToken);
        ReplicationMetrics.Captured.Add(1, new("source", source.ToString()), new("outcome", outcome.ToString()));
        return (await mirror.GetUserAsync(observation.Key, cancellationToken), outcome);
    }

    /// <summary>Records that a user the mirror holds is gone from the source.</summary>
    public async Task<RecordOutcome> RecordUserGoneAsync(PoolInventory inventory, UserSnapshot current, CaptureSource source, CancellationToken cancellationToken)
    {
        var outcome = await mirror.RecordUserAsync(
            UserObservation.Tombstone(current.Key, current.Username, inventory.PoolId, inventory.ReadStartedAt, source),
            cancellationToken);
        ReplicationMetrics.Captured.Add(1, new("source", source.ToString()), new("outcome", outcome.ToString()));
        return outcome;
    }

    public static GroupObservation Observe(PoolInventory inventory, DirectoryGroup group, CaptureSource source) => new()
    {
        Name = group.Name,
        SourcePoolId = inventory.PoolId,
        ObservedAt = inventory.ReadStartedAt,
        Source = source,
        Description = group.Description,
        Precedence = group.Precedence,
        RoleArn = group.RoleArn,
    };

    /// <summary>Records one group unless the mirror holds it already; returns the snapshot as the mirror now holds it.</summary>
    public async Task<(GroupSnapshot? Snapshot, RecordOutcome? Outcome)> RecordGroupAsync(
        PoolInventory inventory, DirectoryGroup group, GroupSnapshot? current, CaptureSource source, CancellationToken cancellationToken)
    {
        var observation = Observe(inventory, group, source);
        if (current is { Deleted: false } && current.Hash == observation.Hash)
        {
            return (current, null);
        }

        var outcome = await mirror.RecordGroupAsync(observation, cancellationToken);
        return (await mirror.GetGroupAsync(group.Name, cancellationToken), outcome);
    }

    /// <summary>Records that a group the mirror holds is gone from the source.</summary>
    public Task<RecordOutcome> RecordGroupGoneAsync(PoolInventory inventory, string name, CaptureSource source, CancellationToken cancellationToken) =>
        mirror.RecordGroupAsync(
            new GroupObservation { Name = name, SourcePoolId = inventory.PoolId, ObservedAt = inventory.ReadStartedAt, Source = source, Deleted = true },
            cancellationToken);
}
