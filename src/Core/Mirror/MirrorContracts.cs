using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Core.Mirror;

/// <summary>What happened to an observation offered to the mirror.</summary>
public enum RecordOutcome
{
    /// <summary>Its content was new: recorded, and a change-feed entry points at it.</summary>
    Changed,

    /// <summary>Same content as recorded; only the version moved forward (no feed entry).</summary>
    Unchanged,

    /// <summary>The mirror already holds a newer observation; ignored.</summary>
    Stale,
}

/// <summary>
/// The mirror table as capture and the reconciler see it: versioned user and group snapshots, and a change feed
/// over them. Recording is conditional on the version being newer, so duplicates and out-of-order deliveries
/// are harmless.
/// </summary>
public interface IMirrorStore
{
    int FeedBuckets { get; }

    Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken);

    Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken);

    Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken);

    Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken);

    /// <summary>Feed entries of one bucket after <paramref name="after"/> (exclusive), oldest first.</summary>
    Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The identity key of the user whose source <c>sub</c> this is, if the mirror ever recorded it. CloudTrail
    /// events name users by <c>sub</c> (their usernames are redacted); a deleted user can no longer be read by it.
    /// </summary>
    Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken);
}

/// <summary>
/// Which identity a target user carries: the <c>sub</c> of its source user, and the application's original key —
/// the <c>sub</c> in the pool users first signed up in, carried through failovers and failbacks.
/// </summary>
public sealed record SubMapping(string Key, string SourceSub, string OriginalSub);

/// <summary>One change-feed entry: the snapshot that changed, or a configuration hint (exactly one of the three).</summary>
public sealed record FeedEntry(string Position, UserSnapshot? User, GroupSnapshot? Group, ConfigurationHint? Configuration = null)
{
    public EntityId Entity => User is not null ? EntityId.ForUser(User.Key)
        : Group is not null ? EntityId.ForGroup(Group.Name)
        : Configuration!.Entity;
}

public sealed record FeedPage(IReadOnlyList<FeedEntry> Entries, bool HasMore);

public enum EntityKind
{
    User,
    Group,

    /// <summary>A configuration object of a source pool (<see cref="ConfigurationHint"/>): <c>&lt;pool&gt;#&lt;kind&gt;[#&lt;id&gt;]</c>.</summary>
    Configuration,
}

/// <summary>A user (by identity key), a group (by name) or a configuration object (<see cref="ConfigurationHint.EntityIdOf"/>).</summary>
public readonly record struct EntityId(EntityKind Kind, string Id)
{
    public static EntityId ForUser(string key) => new(EntityKind.User, key);

    public static EntityId ForGroup(string name) => new(EntityKind.Group, name);

    /// <summary>For logs: kind and a fingerprint, never the identifier itself.</summary>
    public override string ToString() => $"{Kind switch { EntityKind.User => "user", EntityKind.Group => "group", _ => "config" }}:{IdentityKeys.Fingerprint(Id)}";
}

/// <summary>
/// What one Region's reconciler has applied for one entity: the versions and hashes, and (for users) the target
/// user it maps to, i.e. the source sub ↔ target sub mapping.
/// </summary>
public sealed record AppliedState
{
    public required EntityId Entity { get; init; }

    public long ProfileVersion { get; init; }

    public long GroupsVersion { get; init; }

    public string? ProfileHash { get; init; }

    public string? GroupsHash { get; init; }

    /// <summary>The username of the counterpart in this Region's pool (<c>null</c> once deleted).</summary>
    public string? TargetUsername { get; init; }

    public string? TargetSub { get; init; }

    public string? SourceSub { get; init; }

    public DateTimeOffset AppliedAt { get; init; }
}

/// <summary>An entity the reconciler could not apply, with a reason an operator can act on.</summary>
public sealed record ParkedEntity
{
    public required EntityId Entity { get; init; }

    /// <summary>A short machine-readable code, e.g. <c>SchemaMismatch</c>, <c>InvalidParameterException</c>.</summary>
    public required string Code { get; init; }

    /// <summary>What is wrong and what to do; names attributes, never their values.</summary>
    public required string Reason { get; init; }

    public long Version { get; init; }

    public DateTimeOffset ParkedAt { get; init; }
}

/// <summary>
/// State that only one Region's reconcilers write: applied versions, feed checkpoints, parked entities. An entity's
/// applied state also carries its apply lease, which fences the workers that apply to one pool (a second worker, a
/// sync or a drift repair beside the deployed one): only the holder makes Cognito calls for the entity, and its record
/// of the applied version releases the lease in the same write. See docs/design/decisions.md.
/// </summary>
public interface IReplicaStateStore
{
    /// <summary>What is recorded as applied (consistent read); <c>null</c> when nothing is.</summary>
    Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the entity's apply lease for <paramref name="holder"/> until <paramref name="expiresAt"/> if nobody holds
    /// it, its holder's expiry is before <paramref name="now"/>, or <paramref name="holder"/> holds it already; the
    /// grant carries what is recorded as applied, read in the same write.
    /// </summary>
    Task<ApplyLeaseGrant> TakeApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the entity's apply lease over from <paramref name="deadHolder"/>, a holder the caller knows is dead (its
    /// process is gone), before its expiry: only while <paramref name="deadHolder"/> still holds it (or it is free or
    /// run out). The grant is as <see cref="TakeApplyLeaseAsync"/>'s.
    /// </summary>
    Task<ApplyLeaseGrant> TakeOverApplyLeaseAsync(string region, EntityId entity, string holder, string deadHolder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Moves the expiry of a lease <paramref name="holder"/> still holds; <c>false</c> when it no longer does.</summary>
    Task<bool> RenewApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Gives up a lease without recording anything (nothing happens if <paramref name="holder"/> no longer holds it).</summary>
    Task ReleaseApplyLeaseAsync(string region, EntityId entity, string holder, CancellationToken cancellationToken);

    /// <summary>
    /// Records what <paramref name="holder"/> applied and releases its lease, in one conditional write: only while it
    /// holds the lease, and never replacing newer versions (then the lease is released and the newer ones kept).
    /// </summary>
    Task<AppliedRecord> PutAppliedAsync(string region, AppliedState state, string holder, CancellationToken cancellationToken);

    Task<string?> GetCheckpointAsync(string region, int bucket, CancellationToken cancellationToken);

    Task PutCheckpointAsync(string region, int bucket, string position, CancellationToken cancellationToken);

    Task ParkAsync(string region, ParkedEntity parked, CancellationToken cancellationToken);

    Task UnparkAsync(string region, EntityId entity, CancellationToken cancellationToken);

    IAsyncEnumerable<ParkedEntity> ListParkedAsync(string region, CancellationToken cancellationToken);

    /// <summary>Records which identity the user with <paramref name="targetSub"/> in <paramref name="targetPoolId"/> carries.</summary>
    Task PutSubMappingAsync(string targetPoolId, string targetSub, SubMapping mapping, CancellationToken cancellationToken);

    /// <summary>The identity a pool's user carries (for the Pre Token Generation claim), if recorded.</summary>
    Task<SubMapping?> GetSubMappingAsync(string targetPoolId, string targetSub, CancellationToken cancellationToken);
}

/// <summary>
/// A note that a user changed (or is about to be created) without its state in hand, e.g. a PreSignUp trigger,
/// which runs before the user exists. Capture completes it by reading the source.
/// </summary>
public sealed record CaptureHint
{
    public required string Username { get; init; }

    public required string SourcePoolId { get; init; }

    public required CaptureSource Source { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset Due { get; init; }

    public int Attempts { get; init; }
}

/// <summary>The queue of capture hints, kept in the mirror table.</summary>
public interface ICaptureHintQueue
{
    Task EnqueueAsync(CaptureHint hint, CancellationToken cancellationToken);

    Task<IReadOnlyList<CaptureHint>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task CompleteAsync(CaptureHint hint, CancellationToken cancellationToken);

    Task RescheduleAsync(CaptureHint hint, DateTimeOffset due, CancellationToken cancellationToken);
}

/// <summary>The mirror table could not be read or written (after retries). Carries the DynamoDB error.</summary>
public sealed class MirrorStoreException : Exception, IComponentFailure
{
    public string Component => "mirror table";

    public MirrorStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MirrorStoreException()
    {
    }

    public MirrorStoreException(string message)
        : base(message)
    {
    }
}
