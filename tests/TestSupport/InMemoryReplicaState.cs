using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// An in-memory <see cref="IReplicaStateStore"/> (applied versions and their apply leases, checkpoints, parked entities),
/// with the conditions of the DynamoDB store: a lease is taken when free, run out or already the holder's; a record
/// needs the lease, releases it, and never replaces newer versions.
/// </summary>
public sealed class InMemoryReplicaState : IReplicaStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, EntityId), AppliedState> _applied = [];
    private readonly Dictionary<(string, EntityId), (string Holder, DateTimeOffset ExpiresAt)> _leases = [];
    private readonly ConcurrentDictionary<(string, int), string> _checkpoints = new();
    private readonly ConcurrentDictionary<(string, EntityId), ParkedEntity> _parked = new();
    private readonly ConcurrentDictionary<(string, string), SubMapping> _mappings = new();

    public IReadOnlyCollection<ParkedEntity> Parked => [.. _parked.Values];

    public Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_applied.GetValueOrDefault((region, entity)));
        }
    }

    /// <summary>Who holds an entity's apply lease now, if anyone (expired or not).</summary>
    public string? LeaseHolder(string region, EntityId entity)
    {
        lock (_gate)
        {
            return _leases.TryGetValue((region, entity), out var lease) ? lease.Holder : null;
        }
    }

    public Task<ApplyLeaseGrant> TakeApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue((region, entity), out var lease) && lease.Holder != holder && lease.ExpiresAt >= now)
            {
                return Task.FromResult(new ApplyLeaseGrant { Taken = false, Holder = lease.Holder });
            }

            _leases[(region, entity)] = (holder, expiresAt);
            return Task.FromResult(new ApplyLeaseGrant { Taken = true, Applied = _applied.GetValueOrDefault((region, entity)) });
        }
    }

    public Task<ApplyLeaseGrant> TakeOverApplyLeaseAsync(string region, EntityId entity, string holder, string deadHolder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue((region, entity), out var lease) && lease.Holder != deadHolder)
            {
                // Not the dead holder's any more: taken only as an ordinary take would be.
                return TakeApplyLeaseAsync(region, entity, holder, now, expiresAt, cancellationToken);
            }

            _leases[(region, entity)] = (holder, expiresAt);
            return Task.FromResult(new ApplyLeaseGrant { Taken = true, Applied = _applied.GetValueOrDefault((region, entity)) });
        }
    }

    public Task<bool> RenewApplyLeaseAsync(string region, EntityId entity, string holder, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue((region, entity), out var lease) || lease.Holder != holder)
            {
                return Task.FromResult(false);
            }

            _leases[(region, entity)] = (holder, expiresAt);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseApplyLeaseAsync(string region, EntityId entity, string holder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue((region, entity), out var lease) && lease.Holder == holder)
            {
                _leases.Remove((region, entity));
            }

            return Task.CompletedTask;
        }
    }

    public Task<AppliedRecord> PutAppliedAsync(string region, AppliedState state, string holder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue((region, state.Entity), out var lease) || lease.Holder != holder)
            {
                return Task.FromResult(AppliedRecord.LeaseLost);
            }

            _leases.Remove((region, state.Entity));
            if (_applied.GetValueOrDefault((region, state.Entity)) is { } old && (old.ProfileVersion > state.ProfileVersion || old.GroupsVersion > state.GroupsVersion))
            {
                return Task.FromResult(AppliedRecord.NewerKept);
            }

            _applied[(region, state.Entity)] = state;
            return Task.FromResult(AppliedRecord.Recorded);
        }
    }

    /// <summary>Records applied state with no lease, as if a worker had applied it earlier (for arranging tests).</summary>
    public void SeedApplied(string region, AppliedState state)
    {
        lock (_gate)
        {
            _applied[(region, state.Entity)] = state;
        }
    }

    public Task<string?> GetCheckpointAsync(string region, int bucket, CancellationToken cancellationToken) =>
        Task.FromResult(_checkpoints.GetValueOrDefault((region, bucket)));

    public Task PutCheckpointAsync(string region, int bucket, string position, CancellationToken cancellationToken)
    {
        _checkpoints[(region, bucket)] = position;
        return Task.CompletedTask;
    }

    public Task ParkAsync(string region, ParkedEntity parked, CancellationToken cancellationToken)
    {
        _parked[(region, parked.Entity)] = parked;
        return Task.CompletedTask;
    }

    public Task UnparkAsync(string region, EntityId entity, CancellationToken cancellationToken)
    {
        _parked.TryRemove((region, entity), out _);
        return Task.CompletedTask;
    }

    public Task PutSubMappingAsync(string targetPoolId, string targetSub, SubMapping mapping, CancellationToken cancellationToken)
    {
        _mappings[(targetPoolId, targetSub)] = mapping;
        return Task.CompletedTask;
    }

    public Task<SubMapping?> GetSubMappingAsync(string targetPoolId, string targetSub, CancellationToken cancellationToken) =>
        Task.FromResult(_mappings.GetValueOrDefault((targetPoolId, targetSub)));

    public async IAsyncEnumerable<ParkedEntity> ListParkedAsync(string region, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var ((r, _), parked) in _parked)
        {
            if (r == region)
            {
                await Task.Yield();
                yield return parked;
            }
        }
    }
}

/// <summary>
/// A read-only <see cref="IMirrorStore"/> holding group snapshots (what the apply engine reads). Recording and the
/// feed are the DynamoDB store's job and are tested against dynalite.
/// </summary>
public sealed class GroupSnapshotsOnly : IMirrorStore
{
    private readonly ConcurrentDictionary<string, GroupSnapshot> _groups = new(StringComparer.Ordinal);

    public int FeedBuckets => 1;

    public void Add(GroupSnapshot group) => _groups[group.Name] = group;

    public Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_groups.GetValueOrDefault(name));

    public Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken) => throw new NotSupportedException();
}
