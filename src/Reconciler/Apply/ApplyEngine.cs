using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Apply;

public enum ApplyOutcome
{
    /// <summary>The target pool was changed to match.</summary>
    Applied,

    /// <summary>The target pool already matched; only reads were needed.</summary>
    InSync,

    /// <summary>Nothing to do: this version was applied before, or the user is not replicated (e.g. unconfirmed).</summary>
    Skipped,

    /// <summary>The target pool rejected it; parked with a reason.</summary>
    Parked,

    /// <summary>
    /// Another worker holds the entity's apply lease (or this one's lease ran out midway): nothing more was done, and
    /// it is applied again later. Neither a failure nor parked; the feed does not move past it.
    /// </summary>
    Deferred,
}

public sealed record ApplyResult(ApplyOutcome Outcome, int Calls = 0, string? Detail = null);

/// <summary>Settings of the apply engine.</summary>
/// <param name="Region">The target pool's Region (its apply state is keyed by it).</param>
/// <param name="ExcludedAttributes">Attributes never written to the target pool.</param>
/// <param name="PrimarySubAttribute">The custom attribute that carries a user's original <c>sub</c>, where the target pool's schema has it.</param>
public sealed record ApplySettings(string Region, IReadOnlyCollection<string> ExcludedAttributes, string? PrimarySubAttribute = Core.Configuration.ReplicationOptions.DefaultPrimarySubAttribute)
{
    /// <summary>How long an application holds its entity's apply lease before another worker may take it (<c>Reconciler:ApplyLease</c>).</summary>
    public TimeSpan ApplyLease { get; init; } = ReconcilerOptions.DefaultApplyLease;
}

/// <summary>
/// Applies snapshots to one pool, the target: reads the target user, then issues only the calls needed (create,
/// attribute update/delete, enable/disable, confirm, group membership add/remove, delete). Applying the same snapshot
/// twice makes no change the second time. What the target rejects is parked with a reason; the rest carries on.
/// Permission and credential errors are systemic, never parked: they surface as <see cref="ApplyPermissionException"/>.
/// </summary>
/// <remarks>
/// The parts: <see cref="UserPlanner"/> decides a user's calls without I/O and <see cref="UserApply"/> performs them;
/// <see cref="GroupApply"/> does groups; <see cref="ApplyLedger"/> keeps the applied versions and what is parked;
/// <see cref="PoolDescriptionCache"/> holds the target's schema; <see cref="ApplyLease"/> fences each application
/// against other workers (ApplyEngine.Leases.cs). This class ties them together and maps Cognito's errors to parking.
/// See docs/design/apply-engine.md.
/// </remarks>
public sealed partial class ApplyEngine
{
    private readonly IUserDirectory _pool;
    private readonly IMirrorStore _mirror;
    private readonly IReplicaStateStore _state;
    private readonly ApplySettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ApplyEngine> _logger;
    private readonly ApplyLedger _ledger;
    private readonly ApplyTarget _target;
    private readonly ApplyLeaseHolder _holder;

    // leaseHolder: who this engine is when it holds apply leases; by default a new holder of this process.
    public ApplyEngine(IUserDirectory pool, IMirrorStore mirror, IReplicaStateStore state, ApplySettings settings, TimeProvider time, ILogger<ApplyEngine> logger, ApplyLeaseHolder? leaseHolder = null)
    {
        _holder = leaseHolder ?? ApplyLeaseHolder.ForThisProcess();
        _pool = pool;
        _mirror = mirror;
        _state = state;
        _settings = settings;
        _time = time;
        _logger = logger;
        _ledger = new ApplyLedger(state, settings.Region, time, logger);
        _target = new ApplyTarget(
            pool,
            new PoolDescriptionCache(pool, time),
            new GroupApply(pool, mirror),
            new AttributeRules(settings.ExcludedAttributes, settings.PrimarySubAttribute),
            logger);
    }

    public string Region => _settings.Region;

    /// <summary>How long each application holds its entity's apply lease (<c>Reconciler:ApplyLease</c>).</summary>
    public TimeSpan ApplyLeaseDuration => _settings.ApplyLease;

    /// <summary>Entities parked now (waiting for a fix).</summary>
    public int ParkedCount => _ledger.ParkedCount;

    /// <summary>Loads what is parked, so a later success can unpark it. Returns how many are parked.</summary>
    public Task<int> LoadParkedAsync(CancellationToken cancellationToken) => _ledger.LoadParkedAsync(cancellationToken);

    /// <summary>
    /// Remembers entities a caller found parked (full sync and drift repair list them from the replica state), so that
    /// one of them that then applies cleanly is unparked even if this engine never loaded them itself.
    /// </summary>
    public void TrackParked(IEnumerable<ParkedEntity> parked) => _ledger.TrackParked(parked);

    /// <summary>
    /// Users wait for configuration: when a user needs a custom attribute the target's schema lacks, <paramref name="addMissing"/>
    /// (the schema part of configuration apply) runs first, and the user is applied after it — parked only if the
    /// attribute is still missing. <c>true</c> from it means it added attributes.
    /// </summary>
    public void WaitForSchema(Func<CancellationToken, Task<bool>> addMissing) => _target.AddMissingSchema = addMissing;

    /// <summary>The target pool's sign-in mode, schema and password policy (read once).</summary>
    public Task<PoolDescription> DescribeTargetAsync(CancellationToken cancellationToken) => _target.Description.GetAsync(cancellationToken);

    /// <summary>Whether this version was applied already (in-memory first, then the replica state).</summary>
    public Task<AppliedState?> AppliedAsync(EntityId entity, long profileVersion, long groupsVersion, CancellationToken cancellationToken) =>
        _ledger.AppliedAsync(entity, profileVersion, groupsVersion, cancellationToken);

    public async Task<ApplyResult> ApplyAsync(FeedEntry entry, CancellationToken cancellationToken) => entry.User is not null
        ? await ApplyUserAsync(entry.User, cancellationToken)
        : await ApplyGroupAsync(entry.Group!, cancellationToken);

    internal async Task<ApplyResult> ApplyUserAsync(UserSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForUser(snapshot.Key);
        if (DeferredForNow(entity) is { } deferred)
        {
            return deferred;
        }

        var unsettled = _ledger.IsUnsettled(entity);
        var applied = await AppliedAsync(entity, snapshot.ProfileVersion, snapshot.GroupsVersion, cancellationToken);
        if (!unsettled && Covers(applied, snapshot))
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        return await UnderLeaseAsync(entity, async lease =>
        {
            if (unsettled)
            {
                var newest = await _mirror.GetUserAsync(snapshot.Key, cancellationToken) is { } recorded && IsNewer(recorded, snapshot) ? recorded : snapshot;
                return await ApplyUserAsync(newest, lease, known: null, compareAll: true, cancellationToken);
            }

            // Decided again against what was applied when the lease was taken: another worker may have applied a
            // newer version since the read above.
            if (Covers(lease.Applied, snapshot))
            {
                _ledger.RememberApplied(lease.Applied!);
                return new ApplyResult(ApplyOutcome.Skipped);
            }

            return await ApplyUserAsync(snapshot, lease, known: null, compareAll: false, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Converges one user against a listing of the target read moments ago (full sync, drift repair): compares every
    /// part whatever the applied versions say, and issues only the calls that differ — none for a user already in
    /// step, whose applied state is then written only if it moved. Lookups are answered from the listing; a user that
    /// appeared in the target since (creation fails with "exists") is read from the pool and updated instead. Under
    /// the apply lease like every application: a user another worker holds is <see cref="ApplyOutcome.Deferred"/>, one it
    /// applied a newer version of is <see cref="ApplyOutcome.Skipped"/>, and one it applied since the listing was read
    /// is read from the pool rather than the listing.
    /// </summary>
    internal Task<ApplyResult> ReconcileUserAsync(UserSnapshot snapshot, PoolInventory standby, AppliedState? applied, CancellationToken cancellationToken) =>
        UnderLeaseAsync(EntityId.ForUser(snapshot.Key), lease => ReconcileUserAsync(snapshot, lease, standby, applied, cancellationToken), cancellationToken);

    /// <summary>
    /// <see cref="ReconcileUserAsync(UserSnapshot, PoolInventory, AppliedState?, CancellationToken)"/> for a user whose
    /// snapshot the caller records now (full sync, drift repair): the apply lease is taken while
    /// <paramref name="record"/> runs, so the fence adds no round trip to the user's way through; a user
    /// <paramref name="record"/> gives no snapshot for (not replicated) is <see cref="ApplyOutcome.Skipped"/>. The
    /// record is made whether or not the lease is free.
    /// </summary>
    internal Task<ApplyResult> ReconcileUserAsync(string key, Func<CancellationToken, Task<UserSnapshot?>> record, PoolInventory standby, AppliedState? applied, CancellationToken cancellationToken)
    {
        var recording = record(cancellationToken);
        return UnderLeaseAsync(
            EntityId.ForUser(key),
            async lease => await recording is { } snapshot
                ? await ReconcileUserAsync(snapshot, lease, standby, applied, cancellationToken)
                : new ApplyResult(ApplyOutcome.Skipped),
            cancellationToken,
            alongside: recording);
    }

    private async Task<ApplyResult> ReconcileUserAsync(UserSnapshot snapshot, ApplyLease lease, PoolInventory standby, AppliedState? applied, CancellationToken cancellationToken)
    {
        if (lease.Applied is { } current && (current.ProfileVersion > snapshot.ProfileVersion || current.GroupsVersion > snapshot.GroupsVersion))
        {
            _ledger.RememberApplied(current);
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        var known = ListingStillTrue(lease, standby, applied, compareRead: true) ? standby : null;
        return await ApplyUserAsync(snapshot, lease, known, compareAll: true, cancellationToken);
    }

    /// <summary>Deletes a target user that no source user stands for (sync with --prune, drift repair).</summary>
    internal async Task<ApplyResult> DeleteUnmatchedUserAsync(string targetUsername, CancellationToken cancellationToken)
    {
        await _pool.DeleteUserAsync(targetUsername, cancellationToken);
        var result = new ApplyResult(ApplyOutcome.Applied, 1);
        Log.DeletedUnmatched(_logger, IdentityKeys.Fingerprint(targetUsername));
        return result;
    }

    private Task<ApplyResult> ApplyUserAsync(UserSnapshot snapshot, ApplyLease lease, PoolInventory? known, bool compareAll, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForUser(snapshot.Key);
        var applied = lease.Applied;
        var version = Math.Max(snapshot.ProfileVersion, snapshot.GroupsVersion);
        return ParkingRejectionsAsync(entity, "user", version, async () =>
        {
            var run = new UserApply(LeasedTarget(lease), snapshot, applied, known, compareAll);
            var outcome = snapshot.Deleted ? await run.DeleteAsync(cancellationToken) : await run.UpsertAsync(cancellationToken);
            if (outcome.Park is { } park)
            {
                return await _ledger.ParkAsync(entity, park.Code, park.Reason, version, null, cancellationToken);
            }

            var result = outcome.Result!;
            if (run.Target?.Sub is { } targetSub && snapshot.Sub is { } sourceSub
                && (applied?.TargetSub != targetSub || applied.SourceSub != sourceSub))
            {
                await _state.PutSubMappingAsync(_pool.PoolId, targetSub, new SubMapping(snapshot.Key, sourceSub, run.OriginalSub ?? sourceSub), cancellationToken);
            }

            if (compareAll && result.Outcome == ApplyOutcome.InSync && applied is not null
                && applied.ProfileVersion >= snapshot.ProfileVersion && applied.GroupsVersion >= snapshot.GroupsVersion
                && applied.TargetUsername == run.Target?.Username)
            {
                await _ledger.ConfirmInStepAsync(applied, cancellationToken);
                return result;
            }

            await _ledger.RecordAppliedAsync(
                new AppliedState
                {
                    Entity = entity,
                    ProfileVersion = snapshot.ProfileVersion,
                    GroupsVersion = snapshot.GroupsVersion,
                    ProfileHash = snapshot.ProfileHash,
                    GroupsHash = snapshot.GroupsHash,
                    TargetUsername = run.Target?.Username,
                    TargetSub = run.Target?.Sub,
                    SourceSub = snapshot.Sub,
                    AppliedAt = _time.GetUtcNow(),
                },
                lease,
                cancellationToken);
            _ledger.Count(entity, result, snapshot.ChangedAt);
            return result;
        }, cancellationToken);
    }

    internal async Task<ApplyResult> ApplyGroupAsync(GroupSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(snapshot.Name);
        if (DeferredForNow(entity) is { } deferred)
        {
            return deferred;
        }

        var unsettled = _ledger.IsUnsettled(entity);
        var applied = await AppliedAsync(entity, snapshot.Version, 0, cancellationToken);
        if (!unsettled && applied is not null && snapshot.Version <= applied.ProfileVersion)
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        return await UnderLeaseAsync(entity, async lease =>
        {
            if (unsettled)
            {
                var newest = await _mirror.GetGroupAsync(snapshot.Name, cancellationToken) is { } recorded && recorded.Version > snapshot.Version ? recorded : snapshot;
                return await ApplyGroupAsync(newest, lease, known: null, cancellationToken);
            }

            if (lease.Applied is { } current && snapshot.Version <= current.ProfileVersion)
            {
                _ledger.RememberApplied(current);
                return new ApplyResult(ApplyOutcome.Skipped);
            }

            return await ApplyGroupAsync(snapshot, lease, known: null, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Converges one group against a listing of the target (see <see cref="ReconcileUserAsync(UserSnapshot, PoolInventory, AppliedState?, CancellationToken)"/>).</summary>
    internal Task<ApplyResult> ReconcileGroupAsync(GroupSnapshot snapshot, PoolInventory standby, CancellationToken cancellationToken) =>
        UnderLeaseAsync(EntityId.ForGroup(snapshot.Name), async lease =>
        {
            if (lease.Applied is { } current && current.ProfileVersion > snapshot.Version)
            {
                _ledger.RememberApplied(current);
                return new ApplyResult(ApplyOutcome.Skipped);
            }

            return await ApplyGroupAsync(snapshot, lease, ListingStillTrue(lease, standby) ? standby : null, cancellationToken);
        }, cancellationToken);

    private Task<ApplyResult> ApplyGroupAsync(GroupSnapshot snapshot, ApplyLease lease, PoolInventory? known, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(snapshot.Name);
        return ParkingRejectionsAsync(entity, "group", snapshot.Version, async () =>
        {
            var result = await LeasedTarget(lease).Groups.ConvergeAsync(snapshot, known, cancellationToken);
            await _ledger.RecordAppliedAsync(
                new AppliedState { Entity = entity, ProfileVersion = snapshot.Version, ProfileHash = snapshot.Hash, AppliedAt = _time.GetUtcNow() },
                lease,
                cancellationToken);
            _ledger.Count(entity, result, snapshot.ChangedAt);
            return result;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs one application, parking the entity when the target rejects it for good. Permission and credential errors
    /// are systemic and never parked (they would park everything); retryable errors propagate to be retried.
    /// </summary>
    private async Task<ApplyResult> ParkingRejectionsAsync(EntityId entity, string kind, long version, Func<Task<ApplyResult>> apply, CancellationToken cancellationToken)
    {
        try
        {
            return await apply();
        }
        catch (CognitoException e) when (e.IsPermissionProblem)
        {
            throw new ApplyPermissionException(_pool.PoolId, Region, e);
        }
        catch (CognitoException e) when (!e.IsRetryable && e is not NotAuthorizedException)
        {
            return await _ledger.ParkAsync(entity, e.ErrorCode, $"The target pool rejected this {kind}: {e.ErrorCode}: {e.Message}", version, e, cancellationToken);
        }
    }

    /// <summary>Parks an entity after repeated transient failures so its bucket can move on.</summary>
    internal Task<ApplyResult> ParkAfterFailuresAsync(EntityId entity, int attempts, Exception last, long version, CancellationToken cancellationToken) =>
        _ledger.ParkAsync(entity, "TransientFailuresExhausted", $"Failed {attempts} times in a row, last with {Reasons.Of(last)}; it is retried by 'idrep drift --repair' (or 'idrep sync'), or by its next change in the source pool.", version, null, cancellationToken);

    /// <summary>Which status a source user's status maps to in the target; <c>null</c> when the user is not replicated (the rule is Core's).</summary>
    public static string? TargetStatusFor(string sourceStatus) => UserStatuses.TargetStatusFor(sourceStatus);

    /// <summary>Attributes the reconciler writes to the target: everything but Cognito-managed ones and exclusions.</summary>
    public bool IsReplicated(string attribute) => _target.Rules.IsReplicated(attribute);
}
