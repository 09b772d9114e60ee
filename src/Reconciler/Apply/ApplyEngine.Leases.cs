using System.Collections.Concurrent;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// How every application is fenced against other workers applying to the same pool — a second worker, a failover
/// that starts the other Region's worker first, a sync or drift repair: it runs under the entity's apply lease (see
/// <see cref="ApplyLease"/>), and one engine runs one application of an entity at a time.
/// </summary>
public sealed partial class ApplyEngine
{
    /// <summary>
    /// How long an entity whose lease another worker held is deferred without asking again: that worker usually
    /// records within a second, and one that died holds it until it runs out, so asking at every poll (ten times a
    /// second) would only spend reads and refused writes.
    /// </summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<EntityId, byte> _inFlight = new();
    private readonly ConcurrentDictionary<EntityId, DateTimeOffset> _heldElsewhere = new();

    /// <summary>This engine's apply-lease holder id: its slot (host, process-id namespace), process id, start time and a random part.</summary>
    public string LeaseHolder => _holder.Id;

    /// <summary>
    /// Runs one application under the entity's apply lease: <see cref="ApplyOutcome.Deferred"/> without a Cognito call
    /// when another worker holds it (or this engine is applying the entity already); deferred too, and the entity
    /// marked unsettled, when the lease is lost midway. The lease is released on every way out that did not record.
    /// <paramref name="alongside"/> is work the caller started that must finish before the calls but does not need the
    /// lease (recording the snapshot to apply): the lease is taken while it runs, and it is awaited whatever happens.
    /// </summary>
    private async Task<ApplyResult> UnderLeaseAsync(EntityId entity, Func<ApplyLease, Task<ApplyResult>> apply, CancellationToken cancellationToken, Task? alongside = null)
    {
        if (!_inFlight.TryAdd(entity, 0))
        {
            if (alongside is not null)
            {
                await alongside;
            }

            return Deferred(entity, "this worker is applying it already");
        }

        try
        {
            if (HeldElsewhere(entity))
            {
                if (alongside is not null)
                {
                    await alongside;
                }

                return Deferred(entity, "another worker holds its apply lease");
            }

            // Not with the caller's token: a take cancelled after DynamoDB made it would leave a lease nobody releases,
            // and a sync run again at once (or its resumed successor in this process) would wait for it.
            var taking = ApplyLease.TryTakeAsync(_state, Region, entity, _holder, _settings.ApplyLease, _time, CancellationToken.None);
            ApplyLease? lease;
            try
            {
                await Task.WhenAll(alongside is null ? [taking] : [taking, alongside]);
                lease = await taking;
            }
            catch (Exception) when (taking.IsCompletedSuccessfully && taking.Result is { } taken)
            {
                await ReleaseAsync(taken);
                throw;
            }

            if (lease is null)
            {
                if (_heldElsewhere.Count > 100_000)
                {
                    _heldElsewhere.Clear();
                }

                _heldElsewhere[entity] = _time.GetUtcNow() + AskAgainAfter;
                return Deferred(entity, "another worker holds its apply lease");
            }

            _heldElsewhere.TryRemove(entity, out _);
            if (cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync(lease);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (lease.TakenOverFrom is { } dead)
            {
                Log.ApplyLeaseTakenOver(_logger, entity.ToString(), dead);
            }

            try
            {
                return await apply(lease);
            }
            catch (ApplyLeaseLostException e)
            {
                _ledger.MarkUnsettled(entity);
                Log.ApplyLeaseLost(_logger, entity.ToString(), _settings.ApplyLease.TotalSeconds, e);
                return Deferred(entity, "its apply lease was lost midway");
            }
            finally
            {
                await ReleaseAsync(lease);
            }
        }
        finally
        {
            _inFlight.TryRemove(entity, out _);
        }
    }

    /// <summary>Whether another worker held the entity's lease less than <see cref="AskAgainAfter"/> ago.</summary>
    private bool HeldElsewhere(EntityId entity)
    {
        if (!_heldElsewhere.TryGetValue(entity, out var until))
        {
            return false;
        }

        if (_time.GetUtcNow() < until)
        {
            return true;
        }

        _heldElsewhere.TryRemove(entity, out _);
        return false;
    }

    /// <summary>Defers, without a read or a write, an entity whose lease another worker held moments ago.</summary>
    private ApplyResult? DeferredForNow(EntityId entity) => HeldElsewhere(entity) ? Deferred(entity, "another worker holds its apply lease") : null;

    private async Task ReleaseAsync(ApplyLease lease)
    {
        try
        {
            // Not with the caller's token: a worker that stops should not leave its leases to run out.
            await lease.ReleaseAsync(CancellationToken.None);
        }
        catch (MirrorStoreException e)
        {
            Log.ApplyLeaseNotReleased(_logger, lease.Entity.ToString(), _settings.ApplyLease.TotalSeconds, e);
        }
    }

    private ApplyResult Deferred(EntityId entity, string why)
    {
        Log.ApplyDeferred(_logger, entity.ToString(), why);
        return new ApplyResult(ApplyOutcome.Deferred, Detail: why);
    }

    /// <summary>The target as one application under <paramref name="lease"/> calls it: every call checks the lease first.</summary>
    private ApplyTarget LeasedTarget(ApplyLease lease)
    {
        var pool = new LeasedUserDirectory(_pool, lease);
        return _target with { Pool = pool, Groups = new GroupApply(pool, _mirror) };
    }

    /// <summary>Whether what is applied already covers the snapshot (both parts at least as new).</summary>
    private static bool Covers(AppliedState? applied, UserSnapshot snapshot) =>
        applied is not null && snapshot.ProfileVersion <= applied.ProfileVersion && snapshot.GroupsVersion <= applied.GroupsVersion;

    private static bool IsNewer(UserSnapshot recorded, UserSnapshot offered) =>
        recorded.ProfileVersion > offered.ProfileVersion || recorded.GroupsVersion > offered.GroupsVersion;

    /// <summary>
    /// Whether a listing read before the lease was taken still tells the entity's state: not if an application of it
    /// was recorded after the listing began (its calls may have come after the listing read it), nor, for a user, if
    /// its applied state differs from the one the caller read with the listing. Then the pool is read instead. The
    /// times are the recorder's clock and this one's; a full re-run right after a sync still trusts its listing.
    /// </summary>
    private static bool ListingStillTrue(ApplyLease lease, PoolInventory listing, AppliedState? readWithListing = null, bool compareRead = false) =>
        (lease.Applied is null || lease.Applied.AppliedAt < listing.ReadStartedAt)
        && (!compareRead || Equals(lease.Applied, readWithListing));
}
