using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// One application's apply lease on its entity, kept on the entity's applied-state item in the replica state: while it
/// holds the lease no other worker makes Cognito calls for the entity, so an older version can never be written among
/// a newer one's calls. Taken (one conditional write) before the first call — or taken over at once from a holder
/// known to be dead (<see cref="ApplyLeaseHolder"/>) — and kept short: a heartbeat renews it every fifth of its
/// duration while the application runs, so a worker that dies holding it holds it for a few seconds only. Before each
/// call it is checked, and each call is cancelled when the lease comes within a tenth of its expiry unrenewed (its
/// <see cref="Fence"/>). Released by the write that records the applied version (or on its own when nothing is
/// recorded). See docs/design/decisions.md.
/// </summary>
internal sealed class ApplyLease
{
    private readonly IReplicaStateStore _state;
    private readonly string _region;
    private readonly string _holder;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _fence;
    private DateTimeOffset _expiresAt;
    private bool _lost;
    private ITimer? _heartbeat;
    private Task _beat = Task.CompletedTask;

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
        _fence = new CancellationTokenSource(FenceDelay(expiresAt), time);
    }

    public EntityId Entity { get; }

    /// <summary>What was recorded as applied when the lease was taken: decisions are made against this, not an earlier read.</summary>
    public AppliedState? Applied { get; }

    /// <summary>The lease was released (by recording, or on its own); nothing more is done under it.</summary>
    public bool Released { get; private set; }

    /// <summary>The holder the lease was taken over from, when it was taken from a dead holder before its expiry.</summary>
    public string? TakenOverFrom { get; private init; }

    /// <summary>
    /// Cancelled when the lease is lost, or when it comes within a tenth of its expiry without being renewed: a Cognito
    /// call made under the lease runs with it, so none is still on its way when another worker may take the lease.
    /// </summary>
    public CancellationToken Fence => _fence.Token;

    /// <summary>
    /// How often the heartbeat renews a lease of <paramref name="duration"/>: a fifth of it, so that three beats in a row
    /// may fail or come late (a slow DynamoDB, a starved process) before the fence cancels the calls.
    /// </summary>
    public static TimeSpan HeartbeatInterval(TimeSpan duration) => duration / 5;

    /// <summary>
    /// Takes the entity's lease; <c>null</c> when another worker holds it and it has not run out. A lease whose holder
    /// <paramref name="holder"/> knows to be dead (a predecessor in the same slot) is taken over at once.
    /// </summary>
    public static async Task<ApplyLease?> TryTakeAsync(IReplicaStateStore state, string region, EntityId entity, ApplyLeaseHolder holder, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grant = await state.TakeApplyLeaseAsync(region, entity, holder.Id, now, now + duration, cancellationToken);
        string? takenOverFrom = null;
        if (!grant.Taken && grant.Holder is { } other && holder.IsGone(other))
        {
            now = time.GetUtcNow();
            grant = await state.TakeOverApplyLeaseAsync(region, entity, holder.Id, other, now, now + duration, cancellationToken);
            takenOverFrom = other;
        }

        if (!grant.Taken)
        {
            return null;
        }

        var lease = new ApplyLease(state, region, entity, holder.Id, duration, time, now + duration, grant.Applied) { TakenOverFrom = takenOverFrom };
        var interval = HeartbeatInterval(duration);
        lease._heartbeat = time.CreateTimer(static self => ((ApplyLease)self!).Beat(), lease, interval, interval);
        return lease;
    }

    /// <summary>
    /// Before a Cognito call: makes sure the lease is still held and at least half of it is left, renewing it if not
    /// (the heartbeat usually has). Throws <see cref="ApplyLeaseLostException"/> when it is no longer this holder's.
    /// </summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset expiresAt;
        lock (_gate)
        {
            if (Released || _lost || _fence.IsCancellationRequested)
            {
                throw new ApplyLeaseLostException(Entity, Released ? "the lease was already released" : "it ran out unrenewed, or another worker took it");
            }

            expiresAt = _expiresAt;
        }

        if (expiresAt - _time.GetUtcNow() >= _duration / 2)
        {
            return;
        }

        if (!await RenewAsync(cancellationToken))
        {
            throw new ApplyLeaseLostException(Entity, "it ran out and another worker took it");
        }
    }

    /// <summary>Records the applied state and releases the lease in the same write. Throws <see cref="ApplyLeaseLostException"/> if it was no longer held.</summary>
    public async Task<AppliedRecord> RecordAsync(AppliedState applied, CancellationToken cancellationToken)
    {
        await StopHeartbeatAsync();
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
        await StopHeartbeatAsync();
        try
        {
            if (!Released)
            {
                Released = true;
                await _state.ReleaseApplyLeaseAsync(_region, Entity, _holder, cancellationToken);
            }
        }
        finally
        {
            _fence.Dispose();
        }
    }

    /// <summary>One heartbeat: renews the lease unless the previous beat is still on its way.</summary>
    private void Beat()
    {
        lock (_gate)
        {
            if (_heartbeat is null || !_beat.IsCompleted)
            {
                return;
            }

            _beat = BeatAsync();
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            await RenewAsync(CancellationToken.None);
        }
        catch (MirrorStoreException)
        {
            // Not renewed this time: the fence cancels the calls if no later beat succeeds before it.
        }
    }

    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var expiresAt = _time.GetUtcNow() + _duration;
        if (!await _state.RenewApplyLeaseAsync(_region, Entity, _holder, expiresAt, cancellationToken))
        {
            lock (_gate)
            {
                _lost = true;
            }

            CancelFence();
            return false;
        }

        lock (_gate)
        {
            if (expiresAt > _expiresAt && !_lost)
            {
                _expiresAt = expiresAt;
                try
                {
                    _fence.CancelAfter(FenceDelay(expiresAt));
                }
                catch (ObjectDisposedException)
                {
                    // Released meanwhile.
                }
            }
        }

        return true;
    }

    private void CancelFence()
    {
        try
        {
            _fence.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>From now until a tenth of the lease before <paramref name="expiresAt"/>.</summary>
    private TimeSpan FenceDelay(DateTimeOffset expiresAt)
    {
        var left = expiresAt - _duration / 10 - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task StopHeartbeatAsync()
    {
        Task beat;
        lock (_gate)
        {
            _heartbeat?.Dispose();
            _heartbeat = null;
            beat = _beat;
        }

        await beat;
    }
}

/// <summary>
/// An application's apply lease ran out and another worker may have taken it: the application stops before its next
/// Cognito call (or its record is refused), and the entity is applied again, compared in full, once the lease is free.
/// </summary>
internal sealed class ApplyLeaseLostException : Exception
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
