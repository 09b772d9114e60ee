using System.Collections.Concurrent;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// The apply engine's bookkeeping for one target pool: which versions of each entity are applied (a bounded in-memory
/// cache in front of the replica state), which entities are parked (so the first clean application after a fix
/// unparks them), which lost their apply lease midway (unsettled), and the metrics and log line of each outcome.
/// </summary>
internal sealed class ApplyLedger(IReplicaStateStore state, string region, TimeProvider time, ILogger logger)
{
    private const int CacheLimit = 200_000;

    private readonly ConcurrentDictionary<EntityId, (long Profile, long Groups)> _applied = new();
    private readonly ConcurrentDictionary<EntityId, byte> _parked = new();
    private readonly ConcurrentDictionary<EntityId, byte> _unsettled = new();

    /// <summary>Entities parked now (waiting for a fix).</summary>
    public int ParkedCount => _parked.Count;

    /// <summary>Loads what is parked, so a later success can unpark it. Returns how many are parked.</summary>
    public async Task<int> LoadParkedAsync(CancellationToken cancellationToken)
    {
        await foreach (var parked in state.ListParkedAsync(region, cancellationToken))
        {
            _parked[parked.Entity] = 0;
        }

        return _parked.Count;
    }

    /// <summary>Remembers entities a caller found parked, so that one of them that then applies cleanly is unparked.</summary>
    public void TrackParked(IEnumerable<ParkedEntity> parked)
    {
        foreach (var entity in parked)
        {
            _parked[entity.Entity] = 0;
        }
    }

    /// <summary>Whether this version was applied already (in-memory first, then the replica state).</summary>
    public async Task<AppliedState?> AppliedAsync(EntityId entity, long profileVersion, long groupsVersion, CancellationToken cancellationToken)
    {
        if (_applied.TryGetValue(entity, out var cached) && profileVersion <= cached.Profile && groupsVersion <= cached.Groups)
        {
            return new AppliedState { Entity = entity, ProfileVersion = cached.Profile, GroupsVersion = cached.Groups };
        }

        var applied = await state.GetAppliedAsync(region, entity, cancellationToken);
        if (applied is not null)
        {
            Remember(entity, applied.ProfileVersion, applied.GroupsVersion);
        }

        return applied;
    }

    /// <summary>
    /// Records a clean application under its lease (the same write releases the lease): the applied state is written,
    /// remembered, and the entity unparked and settled. Throws <see cref="ApplyLeaseLostException"/> if the lease was lost.
    /// </summary>
    public async Task RecordAppliedAsync(AppliedState applied, ApplyLease lease, CancellationToken cancellationToken)
    {
        await lease.RecordAsync(applied, cancellationToken);
        Remember(applied.Entity, applied.ProfileVersion, applied.GroupsVersion);
        _unsettled.TryRemove(applied.Entity, out _);
        await UnparkIfParkedAsync(applied.Entity, cancellationToken);
    }

    /// <summary>Remembers versions found applied (e.g. by another worker, read when the lease was taken).</summary>
    public void RememberApplied(AppliedState applied) => Remember(applied.Entity, applied.ProfileVersion, applied.GroupsVersion);

    /// <summary>
    /// Marks an entity whose application lost its lease midway: calls it made may have landed among another worker's,
    /// so its next application compares every part with the newest snapshot, whatever the applied versions say.
    /// </summary>
    public void MarkUnsettled(EntityId entity) => _unsettled[entity] = 0;

    /// <summary>Whether the entity's last application lost its lease midway (see <see cref="MarkUnsettled"/>).</summary>
    public bool IsUnsettled(EntityId entity) => _unsettled.ContainsKey(entity);

    /// <summary>An entity found in step whose applied state is already current: nothing is written, but it is unparked and settled.</summary>
    public async Task ConfirmInStepAsync(AppliedState applied, CancellationToken cancellationToken)
    {
        Remember(applied.Entity, applied.ProfileVersion, applied.GroupsVersion);
        _unsettled.TryRemove(applied.Entity, out _);
        await UnparkIfParkedAsync(applied.Entity, cancellationToken);
    }

    /// <summary>
    /// Parks an entity with a code and an operator's reason; the rest carries on. <paramref name="cause"/>, the error that
    /// parked it when one did, is logged at Debug: Cognito's messages can quote the user's attribute values.
    /// </summary>
    public async Task<ApplyResult> ParkAsync(EntityId entity, string code, string reason, long version, Exception? cause, CancellationToken cancellationToken)
    {
        await state.ParkAsync(region, new ParkedEntity { Entity = entity, Code = code, Reason = reason, Version = version, ParkedAt = time.GetUtcNow() }, cancellationToken);
        _parked[entity] = 0;
        ReplicationMetrics.Parked.Add(1, new KeyValuePair<string, object?>("reason", code));
        Log.Parked(logger, entity.ToString(), code, ParkReasonForLog(code));
        if (cause is not null)
        {
            Log.ParkedDetail(logger, entity.ToString(), cause);
        }

        return new ApplyResult(ApplyOutcome.Parked, Detail: code);
    }

    /// <summary>Counts an outcome (and the replication lag of a change applied) and logs it.</summary>
    public void Count(EntityId entity, ApplyResult result, DateTimeOffset changedAt)
    {
        var lag = changedAt == default ? 0 : (time.GetUtcNow() - changedAt).TotalMilliseconds;
        ReplicationMetrics.Applied.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        if (result.Outcome == ApplyOutcome.Applied && changedAt != default)
        {
            ReplicationMetrics.ReplicationLag.Record(lag);
        }

        Log.Applied(logger, entity.ToString(), result.Outcome.ToString(), result.Calls, lag);
    }

    // The stored reason can name attributes; the log line says where to read it instead.
    private static string ParkReasonForLog(string code) => code switch
    {
        "SchemaMismatch" => "the target pool's schema lacks an attribute the user has; see 'idrep drift' for the attribute names",
        "ImmutableAttribute" => "an attribute that is immutable in the target pool's schema differs",
        "NoSignInAlias" => "the target pool signs in by email/phone but the user has neither",
        _ => "see 'idrep drift' for the reason stored with it",
    };

    private async Task UnparkIfParkedAsync(EntityId entity, CancellationToken cancellationToken)
    {
        if (_parked.TryRemove(entity, out _))
        {
            await state.UnparkAsync(region, entity, cancellationToken);
            Log.Unparked(logger, entity.ToString());
        }
    }

    private void Remember(EntityId entity, long profileVersion, long groupsVersion)
    {
        if (_applied.Count > CacheLimit)
        {
            _applied.Clear();
        }

        _applied.AddOrUpdate(
            entity,
            (profileVersion, groupsVersion),
            (_, old) => (Math.Max(old.Profile, profileVersion), Math.Max(old.Groups, groupsVersion)));
    }
}
