using System.Globalization;
using System.Security.Cryptography;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// One application's apply lease on its entity, kept on the entity's applied-state item in the replica state: while it
/// holds the lease no other worker makes Cognito calls for the entity, so an older version can never be written among
/// a newer one's calls. Taken (one conditional write) before the first call, checked before each call — renewed when
/// less than half of it is left, and each call is cancelled if it would outlast it — and released by the write that
/// records the applied version (or on its own when nothing is recorded). See docs/design/decisions.md.
/// </summary>
internal sealed class ApplyLease
{
    private readonly IReplicaStateStore _state;
    private readonly string _region;
    private readonly string _holder;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private DateTimeOffset _expiresAt;

    private ApplyLease(IReplicaStateStore state, string region, EntityId entity, string holder, TimeSpan duration, TimeProvider time, DateTimeOffset expiresAt, AppliedState? applied)
    {
        _state = state;
        _region = region;
        Entity = entity;
        _holder = holder;
        _duration = duration;
        _time = time;
        _expiresAt = expiresAt;
        Applied = applied;
    }

    public EntityId Entity { get; }

    /// <summary>What was recorded as applied when the lease was taken: decisions are made against this, not an earlier read.</summary>
    public AppliedState? Applied { get; }

    /// <summary>The lease was released (by recording, or on its own); nothing more is done under it.</summary>
    public bool Released { get; private set; }

    /// <summary>
    /// A holder id for one apply engine: host, process id and a random part, so two workers — two processes, or two
    /// engines in one — never share one, and a restarted worker does not take over its predecessor's leases early.
    /// </summary>
    public static string NewHolderId() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");

    /// <summary>Takes the entity's lease; <c>null</c> when another worker holds it and it has not run out.</summary>
    public static async Task<ApplyLease?> TryTakeAsync(IReplicaStateStore state, string region, EntityId entity, string holder, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grant = await state.TakeApplyLeaseAsync(region, entity, holder, now, now + duration, cancellationToken);
        return grant.Taken ? new ApplyLease(state, region, entity, holder, duration, time, now + duration, grant.Applied) : null;
    }

    /// <summary>
    /// Before a Cognito call: makes sure at least half the lease is left, renewing it if not. Throws
    /// <see cref="ApplyLeaseLostException"/> when it is no longer this holder's.
    /// </summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Released)
        {
            throw new ApplyLeaseLostException(Entity, "the lease was already released");
        }

        var now = _time.GetUtcNow();
        if (_expiresAt - now >= _duration / 2)
        {
            return;
        }

        var expiresAt = now + _duration;
        if (!await _state.RenewApplyLeaseAsync(_region, Entity, _holder, expiresAt, cancellationToken))
        {
            Released = true;
            throw new ApplyLeaseLostException(Entity, "it ran out and another worker took it");
        }

        _expiresAt = expiresAt;
    }

    /// <summary>
    /// How long the next call may take: until a tenth of the lease before it runs out, so that no call of this holder
    /// is still being made when another worker may take the lease.
    /// </summary>
    public TimeSpan CallBudget()
    {
        var left = _expiresAt - _duration / 10 - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Records the applied state and releases the lease in the same write. Throws <see cref="ApplyLeaseLostException"/> if it was no longer held.</summary>
    public async Task<AppliedRecord> RecordAsync(AppliedState applied, CancellationToken cancellationToken)
    {
        if (Released)
        {
            throw new ApplyLeaseLostException(Entity, "the lease was already released");
        }

        var outcome = await _state.PutAppliedAsync(_region, applied, _holder, cancellationToken);
        Released = true;
        return outcome == AppliedRecord.LeaseLost
            ? throw new ApplyLeaseLostException(Entity, "it ran out and another worker took it before the applied version was recorded")
            : outcome;
    }

    /// <summary>Gives the lease up without recording (parked, failed, or nothing to record).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!Released)
        {
            Released = true;
            await _state.ReleaseApplyLeaseAsync(_region, Entity, _holder, cancellationToken);
        }
    }
}

/// <summary>
/// An application's apply lease ran out and another worker may have taken it: the application stops before its next
/// Cognito call (or its record is refused), and the entity is applied again, compared in full, once the lease is free.
/// </summary>
public sealed class ApplyLeaseLostException : Exception
{
    internal ApplyLeaseLostException(EntityId entity, string why)
        : base($"The apply lease of {entity} was lost: {why}. The entity is applied again, compared in full, once the lease is free.")
    {
    }

    public ApplyLeaseLostException()
    {
    }

    public ApplyLeaseLostException(string message)
        : base(message)
    {
    }

    public ApplyLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
