using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.TestSupport;

/// <summary>An in-memory <see cref="IReplicaStateStore"/> (applied versions, checkpoints, parked entities).</summary>
public sealed class InMemoryReplicaState : IReplicaStateStore
{
    private readonly ConcurrentDictionary<(string, EntityId), AppliedState> _applied = new();
    private readonly ConcurrentDictionary<(string, int), string> _checkpoints = new();
    private readonly ConcurrentDictionary<(string, EntityId), ParkedEntity> _parked = new();
    private readonly ConcurrentDictionary<(string, string), SubMapping> _mappings = new();

    public IReadOnlyCollection<ParkedEntity> Parked => [.. _parked.Values];

    public Task<AppliedState?> GetAppliedAsync(string region, EntityId entity, CancellationToken cancellationToken) =>
        Task.FromResult(_applied.GetValueOrDefault((region, entity)));

    public Task PutAppliedAsync(string region, AppliedState state, CancellationToken cancellationToken)
    {
        _applied.AddOrUpdate((region, state.Entity), state, (_, old) =>
            old.ProfileVersion <= state.ProfileVersion && old.GroupsVersion <= state.GroupsVersion ? state : old);
        return Task.CompletedTask;
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
