using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Model;
using static IdentityReplicator.Core.Mirror.MirrorAttributes;
using static IdentityReplicator.Core.Mirror.MirrorItems;
using static IdentityReplicator.Core.Mirror.MirrorTable;

namespace IdentityReplicator.Core.Mirror;

public sealed partial class DynamoDbMirrorStore
{
    /// <summary>DynamoDB's limit of items in one BatchWriteItem.</summary>
    private const int BatchLimit = 25;

    /// <summary>
    /// Fills an empty mirror with user snapshots by batch writes, each item exactly as <see cref="RecordUserAsync"/>
    /// writes a user it has not seen (snapshot and <c>sub</c> index), but without entering the change feed and without
    /// conditions: for benchmarks that need a mirror already holding a pool (a steady-state sweep), never for
    /// replication. Items already there are overwritten. Every observation is of <paramref name="sourcePoolId"/>, which
    /// must be allowed to record. Returns the users written.
    /// </summary>
    public async Task<int> SeedUsersAsync(string sourcePoolId, IEnumerable<UserObservation> observations, int concurrency, CancellationToken cancellationToken)
    {
        var epoch = await WriterEpochAsync(sourcePoolId, cancellationToken);
        var written = 0;
        await Parallel.ForEachAsync(
            Batches(observations),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                await WriteBatchAsync(batch.Items, token);
                Interlocked.Add(ref written, batch.Users);
            });
        return written;

        IEnumerable<(List<WriteRequest> Items, int Users)> Batches(IEnumerable<UserObservation> all)
        {
            var items = new List<WriteRequest>(BatchLimit);
            var users = 0;
            foreach (var observation in all)
            {
                if (!string.Equals(observation.SourcePoolId, sourcePoolId, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A seeded user of pool {observation.SourcePoolId} among users of {sourcePoolId}: seed one pool at a time.", nameof(observations));
                }

                foreach (var item in SeedItems(observation, epoch))
                {
                    items.Add(new WriteRequest(new PutRequest(item)));
                }

                users++;
                if (items.Count >= BatchLimit - 1)
                {
                    yield return (items, users);
                    (items, users) = (new List<WriteRequest>(BatchLimit), 0);
                }
            }

            if (items.Count > 0)
            {
                yield return (items, users);
            }
        }
    }

    private IEnumerable<Dictionary<string, AttributeValue>> SeedItems(UserObservation observation, long? epoch)
    {
        if (observation.Profile is null || observation.Groups is not { } groups || observation.Deleted)
        {
            throw new ArgumentException("A seeded user carries a profile and its groups.", nameof(observation));
        }

        var update = new SnapshotUpdate(epoch);
        update.UserIdentity(observation);
        update.ProfileVersion(observation.ObservedAt.UtcTicks);
        update.GroupsVersion(observation.ObservedAt.UtcTicks);
        update.UserProfile(observation, observation.Profile.Hash, exists: false, _tombstoneRetention);
        update.UserGroups(groups, ContentHash.OfNames(groups));
        yield return update.AsNewItem(SnapshotKey(EntityId.ForUser(observation.Key)));
        if (observation.Sub is { } sub)
        {
            var index = MirrorItems.Key(SubPartition(sub), SnapshotSortKey);
            index[SubIndex.Key] = S(observation.Key);
            yield return index;
        }
    }

    private async Task WriteBatchAsync(List<WriteRequest> items, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [_table] = items };
        try
        {
            while (pending.Count > 0 && pending.TryGetValue(_table, out var left) && left.Count > 0)
            {
                var response = await _dynamo.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken);
                pending = response.UnprocessedItems ?? [];
                if (pending.Count > 0)
                {
                    // Throttled in part: DynamoDB asks for a pause before the rest.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
                }
            }
        }
        catch (Amazon.DynamoDBv2.AmazonDynamoDBException e)
        {
            throw Wrap(e, "seed user snapshots");
        }
    }
}
