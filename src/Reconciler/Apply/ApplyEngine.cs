using System.Collections.Concurrent;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Apply;

public enum ApplyOutcome
{
    /// <summary>The standby was changed to match.</summary>
    Applied,

    /// <summary>The standby already matched; only reads were needed.</summary>
    InSync,

    /// <summary>Nothing to do: this version was applied before, or the user is not replicated (e.g. unconfirmed).</summary>
    Skipped,

    /// <summary>The standby rejected it; parked with a reason.</summary>
    Parked,
}

public sealed record ApplyResult(ApplyOutcome Outcome, int Calls = 0, string? Detail = null);

/// <summary>Settings of the apply engine.</summary>
/// <param name="Region">The standby's Region (its apply state is keyed by it).</param>
/// <param name="ExcludedAttributes">Attributes never written to the standby.</param>
/// <param name="PrimarySubAttribute">The custom attribute that carries a user's original <c>sub</c>, where the standby schema has it.</param>
public sealed record ApplySettings(string Region, IReadOnlyCollection<string> ExcludedAttributes, string? PrimarySubAttribute = Core.Configuration.ReplicationOptions.DefaultPrimarySubAttribute);

/// <summary>
/// Applies snapshots to the standby pool: reads the standby user, then issues only the calls needed (create,
/// attribute update/delete, enable/disable, confirm, group membership add/remove, delete). Applying the same snapshot
/// twice makes no change the second time. What the standby rejects is parked with a reason; the rest carries on.
/// Permission and credential errors are systemic, never parked: they surface as <see cref="ApplyPermissionException"/>.
/// </summary>
public sealed class ApplyEngine
{
    private static readonly string[] VerifiedFlags = ["email_verified", "phone_number_verified"];

    private readonly IUserDirectory _standby;
    private readonly IMirrorStore _mirror;
    private readonly IReplicaStateStore _state;
    private readonly ApplySettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ApplyEngine> _logger;
    private readonly HashSet<string> _excluded;
    private readonly ConcurrentDictionary<EntityId, (long Profile, long Groups)> _appliedCache = new();
    private readonly ConcurrentDictionary<EntityId, byte> _parked = new();
    private readonly SemaphoreSlim _describeGate = new(1, 1);
    private PoolDescription? _pool;
    private DateTimeOffset _poolReadAt;

    public ApplyEngine(IUserDirectory standby, IMirrorStore mirror, IReplicaStateStore state, ApplySettings settings, TimeProvider time, ILogger<ApplyEngine> logger)
    {
        _standby = standby;
        _mirror = mirror;
        _state = state;
        _settings = settings;
        _time = time;
        _logger = logger;
        _excluded = new HashSet<string>(settings.ExcludedAttributes, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(settings.PrimarySubAttribute))
        {
            // Written by the engine itself, never compared or deleted as user data.
            _excluded.Add(settings.PrimarySubAttribute);
        }
    }

    public string Region => _settings.Region;

    /// <summary>Entities parked now (waiting for a fix).</summary>
    public int ParkedCount => _parked.Count;

    /// <summary>Loads what is parked, so a later success can unpark it. Returns how many are parked.</summary>
    public async Task<int> LoadParkedAsync(CancellationToken cancellationToken)
    {
        await foreach (var parked in _state.ListParkedAsync(Region, cancellationToken))
        {
            _parked[parked.Entity] = 0;
        }

        return _parked.Count;
    }

    /// <summary>
    /// Remembers entities a caller found parked (full sync and drift repair list them from the replica state), so that
    /// one of them that then applies cleanly is unparked even if this engine never loaded them itself.
    /// </summary>
    public void TrackParked(IEnumerable<ParkedEntity> parked)
    {
        foreach (var entity in parked)
        {
            _parked[entity.Entity] = 0;
        }
    }

    /// <summary>The standby pool's sign-in mode, schema and password policy (read once).</summary>
    public async Task<PoolDescription> DescribeStandbyAsync(CancellationToken cancellationToken)
    {
        if (_pool is not null)
        {
            return _pool;
        }

        return await DescribeAsync(force: false, cancellationToken);
    }

    /// <summary>
    /// Reads the standby pool's description again if the cached one is older than ten seconds: an operator may have
    /// added the attribute a parked user was waiting for.
    /// </summary>
    public Task<PoolDescription> RefreshStandbyAsync(CancellationToken cancellationToken) => DescribeAsync(force: true, cancellationToken);

    private async Task<PoolDescription> DescribeAsync(bool force, CancellationToken cancellationToken)
    {
        await _describeGate.WaitAsync(cancellationToken);
        try
        {
            if (_pool is null || (force && _time.GetUtcNow() - _poolReadAt > TimeSpan.FromSeconds(10)))
            {
                _pool = await _standby.DescribeAsync(cancellationToken);
                _poolReadAt = _time.GetUtcNow();
            }

            return _pool;
        }
        finally
        {
            _describeGate.Release();
        }
    }

    /// <summary>Whether this version was applied already (in-memory first, then the replica state).</summary>
    public async Task<AppliedState?> AppliedAsync(EntityId entity, long profileVersion, long groupsVersion, CancellationToken cancellationToken)
    {
        if (_appliedCache.TryGetValue(entity, out var cached) && profileVersion <= cached.Profile && groupsVersion <= cached.Groups)
        {
            return new AppliedState { Entity = entity, ProfileVersion = cached.Profile, GroupsVersion = cached.Groups };
        }

        var applied = await _state.GetAppliedAsync(Region, entity, cancellationToken);
        if (applied is not null)
        {
            Remember(entity, applied.ProfileVersion, applied.GroupsVersion);
        }

        return applied;
    }

    public async Task<ApplyResult> ApplyAsync(FeedEntry entry, CancellationToken cancellationToken) => entry.User is not null
        ? await ApplyUserAsync(entry.User, cancellationToken)
        : await ApplyGroupAsync(entry.Group!, cancellationToken);

    public async Task<ApplyResult> ApplyUserAsync(UserSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForUser(snapshot.Key);
        var applied = await AppliedAsync(entity, snapshot.ProfileVersion, snapshot.GroupsVersion, cancellationToken);
        if (applied is not null && snapshot.ProfileVersion <= applied.ProfileVersion && snapshot.GroupsVersion <= applied.GroupsVersion)
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        return await ApplyUserAsync(snapshot, applied, known: null, cancellationToken);
    }

    /// <summary>
    /// Converges one user against a listing of the standby read moments ago (full sync, drift repair): compares every
    /// part whatever the applied versions say, and issues only the calls that differ — none for a user already in
    /// step, whose applied state is then written only if it moved. Lookups are answered from the listing; a user that
    /// appeared in the standby since (creation fails with "exists") is read from the pool and updated instead.
    /// </summary>
    public Task<ApplyResult> ReconcileUserAsync(UserSnapshot snapshot, PoolInventory standby, AppliedState? applied, CancellationToken cancellationToken) =>
        ApplyUserAsync(snapshot, applied, standby, cancellationToken);

    /// <summary>Deletes a standby user that no primary user stands for (sync with --prune, drift repair).</summary>
    public async Task<ApplyResult> DeleteUnmatchedUserAsync(string standbyUsername, CancellationToken cancellationToken)
    {
        await _standby.DeleteUserAsync(standbyUsername, cancellationToken);
        var result = new ApplyResult(ApplyOutcome.Applied, 1);
        Log.DeletedUnmatched(_logger, IdentityKeys.Fingerprint(standbyUsername));
        return result;
    }

    private async Task<ApplyResult> ApplyUserAsync(UserSnapshot snapshot, AppliedState? applied, PoolInventory? known, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForUser(snapshot.Key);
        var run = new Run(this, snapshot, applied, known);
        try
        {
            var result = snapshot.Deleted ? await run.DeleteAsync(cancellationToken) : await run.UpsertAsync(cancellationToken);
            if (run.Target?.Sub is { } targetSub && snapshot.Sub is { } sourceSub
                && (applied?.TargetSub != targetSub || applied.SourceSub != sourceSub))
            {
                await _state.PutSubMappingAsync(_standby.PoolId, targetSub, new SubMapping(snapshot.Key, sourceSub, run.OriginalSub ?? sourceSub), cancellationToken);
            }

            if (known is not null && result.Outcome == ApplyOutcome.InSync && applied is not null
                && applied.ProfileVersion >= snapshot.ProfileVersion && applied.GroupsVersion >= snapshot.GroupsVersion
                && applied.TargetUsername == run.Target?.Username)
            {
                Remember(entity, applied.ProfileVersion, applied.GroupsVersion);
                await UnparkIfParkedAsync(entity, cancellationToken);
                return result;
            }

            await _state.PutAppliedAsync(
                Region,
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
                cancellationToken);
            Remember(entity, snapshot.ProfileVersion, snapshot.GroupsVersion);
            await UnparkIfParkedAsync(entity, cancellationToken);
            Record(entity, result, snapshot.ChangedAt);
            return result;
        }
        catch (ParkException park)
        {
            return await ParkAsync(entity, park.Code, park.Message, Math.Max(snapshot.ProfileVersion, snapshot.GroupsVersion), cancellationToken);
        }
        catch (CognitoException e) when (e.IsPermissionProblem)
        {
            throw new ApplyPermissionException(_standby.PoolId, Region, e);
        }
        catch (CognitoException e) when (!e.IsRetryable && e is not NotAuthorizedException)
        {
            return await ParkAsync(entity, e.ErrorCode, $"The standby pool rejected this user: {e.ErrorCode}: {e.Message}", Math.Max(snapshot.ProfileVersion, snapshot.GroupsVersion), cancellationToken);
        }
    }

    public async Task<ApplyResult> ApplyGroupAsync(GroupSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(snapshot.Name);
        var applied = await AppliedAsync(entity, snapshot.Version, 0, cancellationToken);
        if (applied is not null && snapshot.Version <= applied.ProfileVersion)
        {
            return new ApplyResult(ApplyOutcome.Skipped);
        }

        return await ApplyGroupAsync(snapshot, known: null, cancellationToken);
    }

    /// <summary>Converges one group against a listing of the standby (see <see cref="ReconcileUserAsync"/>).</summary>
    public Task<ApplyResult> ReconcileGroupAsync(GroupSnapshot snapshot, PoolInventory standby, CancellationToken cancellationToken) =>
        ApplyGroupAsync(snapshot, standby, cancellationToken);

    private async Task<ApplyResult> ApplyGroupAsync(GroupSnapshot snapshot, PoolInventory? known, CancellationToken cancellationToken)
    {
        var entity = EntityId.ForGroup(snapshot.Name);
        try
        {
            var calls = known is null ? 1 : 0;
            var outcome = ApplyOutcome.InSync;
            var existing = known is null ? await _standby.GetGroupAsync(snapshot.Name, cancellationToken) : known.Group(snapshot.Name);
            if (snapshot.Deleted)
            {
                if (existing is not null)
                {
                    await _standby.DeleteGroupAsync(snapshot.Name, cancellationToken);
                    calls++;
                    outcome = ApplyOutcome.Applied;
                }
            }
            else
            {
                var desired = new DirectoryGroup(snapshot.Name, snapshot.Description, snapshot.Precedence, snapshot.RoleArn);
                if (existing is null)
                {
                    await CreateOrUpdateGroupAsync(desired, cancellationToken);
                    calls++;
                    outcome = ApplyOutcome.Applied;
                }
                else if (existing != desired)
                {
                    await _standby.UpdateGroupAsync(desired, cancellationToken);
                    calls++;
                    outcome = ApplyOutcome.Applied;
                }
            }

            await _state.PutAppliedAsync(
                Region,
                new AppliedState { Entity = entity, ProfileVersion = snapshot.Version, ProfileHash = snapshot.Hash, AppliedAt = _time.GetUtcNow() },
                cancellationToken);
            Remember(entity, snapshot.Version, 0);
            await UnparkIfParkedAsync(entity, cancellationToken);
            var result = new ApplyResult(outcome, calls);
            Record(entity, result, snapshot.ChangedAt);
            return result;
        }
        catch (CognitoException e) when (e.IsPermissionProblem)
        {
            throw new ApplyPermissionException(_standby.PoolId, Region, e);
        }
        catch (CognitoException e) when (!e.IsRetryable && e is not NotAuthorizedException)
        {
            return await ParkAsync(entity, e.ErrorCode, $"The standby pool rejected this group: {e.ErrorCode}: {e.Message}", snapshot.Version, cancellationToken);
        }
    }

    /// <summary>Parks an entity after repeated transient failures so its bucket can move on.</summary>
    public Task<ApplyResult> ParkAfterFailuresAsync(EntityId entity, int attempts, Exception last, long version, CancellationToken cancellationToken) =>
        ParkAsync(entity, "TransientFailuresExhausted", $"Failed {attempts} times in a row, last with {Reasons.Of(last)}; it is retried by 'idrep drift --repair' (or 'idrep sync'), or by its next change in the source pool.", version, cancellationToken);

    private async Task<ApplyResult> ParkAsync(EntityId entity, string code, string reason, long version, CancellationToken cancellationToken)
    {
        await _state.ParkAsync(Region, new ParkedEntity { Entity = entity, Code = code, Reason = reason, Version = version, ParkedAt = _time.GetUtcNow() }, cancellationToken);
        _parked[entity] = 0;
        ReplicationMetrics.Parked.Add(1, new KeyValuePair<string, object?>("reason", code));
        Log.Parked(_logger, entity.ToString(), code, ParkReasonForLog(code));
        return new ApplyResult(ApplyOutcome.Parked, Detail: code);
    }

    private static string ParkReasonForLog(string code) => code switch
    {
        "SchemaMismatch" => "the standby schema lacks an attribute the user has; see 'idrep drift' for the attribute names",
        "ImmutableAttribute" => "an attribute that is immutable in the standby schema differs",
        "NoSignInAlias" => "the standby pool signs in by email/phone but the user has neither",
        _ => "see 'idrep drift' for the reason stored with it",
    };

    private async Task UnparkIfParkedAsync(EntityId entity, CancellationToken cancellationToken)
    {
        if (_parked.TryRemove(entity, out _))
        {
            await _state.UnparkAsync(Region, entity, cancellationToken);
            Log.Unparked(_logger, entity.ToString());
        }
    }

    private void Remember(EntityId entity, long profileVersion, long groupsVersion)
    {
        if (_appliedCache.Count > 200_000)
        {
            _appliedCache.Clear();
        }

        _appliedCache.AddOrUpdate(
            entity,
            (profileVersion, groupsVersion),
            (_, old) => (Math.Max(old.Profile, profileVersion), Math.Max(old.Groups, groupsVersion)));
    }

    private void Record(EntityId entity, ApplyResult result, DateTimeOffset changedAt)
    {
        var lag = changedAt == default ? 0 : (_time.GetUtcNow() - changedAt).TotalMilliseconds;
        ReplicationMetrics.Applied.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        if (result.Outcome == ApplyOutcome.Applied && changedAt != default)
        {
            ReplicationMetrics.ReplicationLag.Record(lag);
        }

        Log.Applied(_logger, entity.ToString(), result.Outcome.ToString(), result.Calls, lag);
    }

    private async Task CreateOrUpdateGroupAsync(DirectoryGroup group, CancellationToken cancellationToken)
    {
        try
        {
            await _standby.CreateGroupAsync(group, cancellationToken);
        }
        catch (GroupExistsException)
        {
            await _standby.UpdateGroupAsync(group, cancellationToken);
        }
    }

    /// <summary>
    /// Creates a group the user is in but the standby lacks: from its mirror snapshot if there is one, bare if there is
    /// none. A group the mirror knows was deleted is not created (the user's recorded membership is older than that);
    /// returns whether the group exists now.
    /// </summary>
    private async Task<bool> EnsureGroupAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = await _mirror.GetGroupAsync(name, cancellationToken);
        if (snapshot is { Deleted: true })
        {
            return false;
        }

        var group = snapshot is null
            ? new DirectoryGroup(name)
            : new DirectoryGroup(name, snapshot.Description, snapshot.Precedence, snapshot.RoleArn);
        await CreateOrUpdateGroupAsync(group, cancellationToken);
        return true;
    }

    /// <summary>Which standby status a primary status maps to; <c>null</c> when the user is not replicated.</summary>
    public static string? StandbyStatusFor(string primaryStatus) => primaryStatus switch
    {
        UserStatuses.Confirmed or UserStatuses.ResetRequired or UserStatuses.Compromised => UserStatuses.Confirmed,
        UserStatuses.ForceChangePassword => UserStatuses.ForceChangePassword,

        // Unconfirmed sign-ups cannot confirm against the standby (their code came from the primary); federated
        // users are re-created by their identity provider at their next sign-in. See docs/replication.md.
        _ => null,
    };

    /// <summary>Attributes the reconciler writes to the standby: everything but Cognito-managed ones and exclusions.</summary>
    public bool IsReplicated(string attribute) =>
        !UserProfile.IsPseudoAttribute(attribute) && attribute != "identities" && !_excluded.Contains(attribute);

    private sealed class ParkException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }

    /// <summary>One application of one user snapshot.</summary>
    private sealed class Run(ApplyEngine engine, UserSnapshot snapshot, AppliedState? applied, PoolInventory? known)
    {
        private int _calls;
        private bool _created;

        public DirectoryUser? Target { get; private set; }

        /// <summary>The user's original <c>sub</c>: the source's own mapping attribute if it has one, else the source <c>sub</c>.</summary>
        public string? OriginalSub { get; private set; }

        public async Task<ApplyResult> DeleteAsync(CancellationToken cancellationToken)
        {
            var pool = await engine.DescribeStandbyAsync(cancellationToken);
            var name = applied?.TargetUsername ?? (pool.SignsInByAlias ? null : snapshot.Username);
            if (name is null)
            {
                Log.NoCounterpart(engine._logger, EntityId.ForUser(snapshot.Key).ToString());
                return new ApplyResult(ApplyOutcome.InSync);
            }

            var existing = await Find(name, cancellationToken);
            if (existing is null)
            {
                return new ApplyResult(ApplyOutcome.InSync, _calls);
            }

            await engine._standby.DeleteUserAsync(existing.Username, cancellationToken);
            _calls++;
            return new ApplyResult(ApplyOutcome.Applied, _calls);
        }

        public async Task<ApplyResult> UpsertAsync(CancellationToken cancellationToken)
        {
            var pool = await engine.DescribeStandbyAsync(cancellationToken);
            var profile = snapshot.Profile;
            var identity = engine._settings.PrimarySubAttribute;
            OriginalSub = profile is not null && !string.IsNullOrEmpty(identity) && profile.Attributes.TryGetValue(identity, out var carried) && carried.Length > 0
                ? carried
                : snapshot.Sub;
            var existing = applied?.TargetUsername is { } mapped ? await Find(mapped, cancellationToken) : null;
            string? creationName = null;
            if (profile is not null)
            {
                var desired = Desired(profile);
                creationName = pool.CreationName(snapshot.Username, desired);
                if (existing is null && creationName is not null)
                {
                    existing = await Find(creationName, cancellationToken);
                }
            }
            else if (existing is null && !pool.SignsInByAlias)
            {
                existing = await Find(snapshot.Username, cancellationToken);
            }

            var changed = false;
            var profileIsNew = known is not null || applied is null || snapshot.ProfileVersion > applied.ProfileVersion || existing is null;
            if (profile is not null && profileIsNew)
            {
                var standbyStatus = StandbyStatusFor(profile.Status);
                if (standbyStatus is null)
                {
                    Target = existing;
                    return new ApplyResult(existing is null ? ApplyOutcome.Skipped : ApplyOutcome.InSync, _calls, $"status {profile.Status} is not replicated");
                }

                var desired = Desired(profile);
                AddIdentity(pool, desired);
                if (SchemaProblem(pool, desired, existing) is not null)
                {
                    pool = await engine.RefreshStandbyAsync(cancellationToken);
                }

                if (SchemaProblem(pool, desired, existing) is { } problem)
                {
                    throw problem;
                }

                if (existing is null)
                {
                    if (creationName is null)
                    {
                        throw new ParkException(
                            "NoSignInAlias",
                            $"Standby pool {pool.PoolId} signs in by {string.Join(" or ", pool.UsernameAttributes)}, but this user has none of them; give the user one in the primary, or make the standby a username pool.");
                    }

                    existing = await CreateAsync(pool, creationName, desired, profile, standbyStatus, cancellationToken);
                    changed = true;
                }
                else
                {
                    changed |= await UpdateAsync(pool, existing, desired, profile, standbyStatus, cancellationToken);
                }
            }

            Target = existing;
            if (existing is not null && snapshot.Groups is { } groups && (known is not null || applied is null || snapshot.GroupsVersion > applied.GroupsVersion || changed))
            {
                changed |= await SyncGroupsAsync(existing.Username, groups, justCreated: _created, cancellationToken);
            }

            return new ApplyResult(changed ? ApplyOutcome.Applied : ApplyOutcome.InSync, _calls);
        }

        private Dictionary<string, string> Desired(UserProfile profile) =>
            profile.Attributes.Where(a => engine.IsReplicated(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

        /// <summary>
        /// Adds the identity attribute where the standby schema has it: the original <c>sub</c>, carried through
        /// failovers (a source user that has one passes it on; otherwise it is the source's own <c>sub</c>).
        /// </summary>
        private void AddIdentity(PoolDescription pool, Dictionary<string, string> desired)
        {
            var attribute = engine._settings.PrimarySubAttribute;
            if (!string.IsNullOrEmpty(attribute) && OriginalSub is not null && pool.Schema.ContainsKey(attribute))
            {
                desired[attribute] = OriginalSub;
            }
        }

        private static ParkException? SchemaProblem(PoolDescription pool, Dictionary<string, string> desired, DirectoryUser? existing)
        {
            if (pool.Schema.Count == 0)
            {
                return null;
            }

            var missing = desired.Keys.Where(name => !pool.Schema.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                return new ParkException(
                    "SchemaMismatch",
                    $"Standby pool {pool.PoolId} has no attribute {string.Join(", ", missing.Select(m => $"'{m}'"))}; add it to the standby schema, or list it in Replication:ExcludeAttributes.");
            }

            if (existing is not null)
            {
                var immutable = desired
                    .Where(a => pool.Schema.TryGetValue(a.Key, out var s) && !s.Mutable && existing.Attributes.TryGetValue(a.Key, out var current) && current != a.Value)
                    .Select(a => a.Key)
                    .ToList();
                if (immutable.Count > 0)
                {
                    return new ParkException(
                        "ImmutableAttribute",
                        $"Attribute {string.Join(", ", immutable.Select(m => $"'{m}'"))} differs but is immutable in standby pool {pool.PoolId}; delete the standby user so it is re-created, or make the attribute mutable.");
                }
            }

            return null;
        }

        private async Task<DirectoryUser> CreateAsync(PoolDescription pool, string name, Dictionary<string, string> desired, UserProfile profile, string standbyStatus, CancellationToken cancellationToken)
        {
            DirectoryUser created;
            try
            {
                created = await engine._standby.CreateUserAsync(name, desired, StandbyPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                _calls++;
            }
            catch (UsernameExistsException)
            {
                // Created meanwhile (a retried call whose first reply was lost, or a concurrent writer): update instead.
                _calls++;
                var existing = await Find(name, cancellationToken, fromPool: true);
                if (existing is null)
                {
                    throw;
                }

                await UpdateAsync(pool, existing, desired, profile, standbyStatus, cancellationToken);
                return existing;
            }

            _created = true;
            if (standbyStatus == UserStatuses.Confirmed)
            {
                await engine._standby.SetPermanentPasswordAsync(created.Username, StandbyPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                _calls++;
            }

            if (!profile.Enabled)
            {
                await engine._standby.SetEnabledAsync(created.Username, false, cancellationToken);
                _calls++;
            }

            return created with { Enabled = profile.Enabled, Status = standbyStatus };
        }

        private async Task<bool> UpdateAsync(PoolDescription pool, DirectoryUser existing, Dictionary<string, string> desired, UserProfile profile, string standbyStatus, CancellationToken cancellationToken)
        {
            var changed = false;
            var updates = desired.Where(a => !existing.Attributes.TryGetValue(a.Key, out var current) || current != a.Value)
                .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            var deletes = existing.Attributes.Keys
                .Where(name => engine.IsReplicated(name) && !desired.ContainsKey(name) && !VerifiedFlags.Contains(name))
                .ToList();
            foreach (var flag in VerifiedFlags.Where(engine.IsReplicated))
            {
                // A missing flag means "not verified": an existing "true" must become "false", not be deleted.
                if (!desired.ContainsKey(flag) && existing.Attributes.TryGetValue(flag, out var current) && current == "true")
                {
                    updates[flag] = "false";
                }
            }

            // Changing an email or phone without its verified flag in the same call makes Cognito send a code.
            foreach (var (attribute, flag) in new[] { ("email", "email_verified"), ("phone_number", "phone_number_verified") })
            {
                if (updates.ContainsKey(attribute) && !updates.ContainsKey(flag) && engine.IsReplicated(flag))
                {
                    updates[flag] = desired.GetValueOrDefault(flag, "false");
                }
            }

            if (updates.Count > 0)
            {
                await engine._standby.UpdateAttributesAsync(existing.Username, updates, cancellationToken);
                _calls++;
                changed = true;
            }

            if (deletes.Count > 0)
            {
                await engine._standby.DeleteAttributesAsync(existing.Username, deletes, cancellationToken);
                _calls++;
                changed = true;
            }

            if (standbyStatus == UserStatuses.Confirmed && existing.Status == UserStatuses.ForceChangePassword)
            {
                await engine._standby.SetPermanentPasswordAsync(existing.Username, StandbyPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                _calls++;
                changed = true;
            }
            else if (standbyStatus == UserStatuses.ForceChangePassword && existing.Status != UserStatuses.ForceChangePassword)
            {
                // An admin set a temporary password in the primary: the standby user must change it too.
                await engine._standby.SetTemporaryPasswordAsync(existing.Username, StandbyPasswords.Create(pool.MinimumPasswordLength), cancellationToken);
                _calls++;
                changed = true;
            }

            if (existing.Enabled != profile.Enabled)
            {
                await engine._standby.SetEnabledAsync(existing.Username, profile.Enabled, cancellationToken);
                _calls++;
                changed = true;
            }

            return changed;
        }

        private async Task<bool> SyncGroupsAsync(string username, IReadOnlyList<string> desired, bool justCreated, CancellationToken cancellationToken)
        {
            IReadOnlyList<string> current = [];
            if (known is not null && !justCreated)
            {
                current = known.GroupsOf(username);
            }
            else if (!justCreated)
            {
                current = await engine._standby.ListGroupsForUserAsync(username, cancellationToken);
                _calls++;
            }

            var changed = false;
            foreach (var group in desired.Except(current, StringComparer.Ordinal))
            {
                try
                {
                    await engine._standby.AddToGroupAsync(username, group, cancellationToken);
                }
                catch (ResourceNotFoundException)
                {
                    _calls++;
                    if (!await engine.EnsureGroupAsync(group, cancellationToken))
                    {
                        continue;
                    }

                    await engine._standby.AddToGroupAsync(username, group, cancellationToken);
                    _calls++;
                }

                _calls++;
                changed = true;
            }

            foreach (var group in current.Except(desired, StringComparer.Ordinal))
            {
                try
                {
                    await engine._standby.RemoveFromGroupAsync(username, group, cancellationToken);
                }
                catch (ResourceNotFoundException)
                {
                    // The group is gone, and the membership with it.
                }

                _calls++;
                changed = true;
            }

            return changed;
        }

        private async Task<DirectoryUser?> Find(string name, CancellationToken cancellationToken, bool fromPool = false)
        {
            if (known is not null && !fromPool)
            {
                var pool = await engine.DescribeStandbyAsync(cancellationToken);
                return known.Find(name, pool.UsernameAttributes);
            }

            _calls++;
            return await engine._standby.FindUserAsync(name, cancellationToken);
        }
    }
}
