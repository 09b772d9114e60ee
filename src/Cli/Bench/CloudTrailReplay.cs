using System.Text.Json.Nodes;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Sandbox.EventBridge;

namespace IdentityReplicator.Cli.Bench;

/// <summary>The stale events picked for replay: those naming an old sub of a re-created username, and the others.</summary>
internal sealed record ReplaySample(IReadOnlyList<JsonObject> OldSubs, IReadOnlyList<JsonObject> Followed)
{
    public IReadOnlyList<JsonObject> All => [.. OldSubs, .. Followed];
}

/// <summary>
/// EventBridge delivers at least once, late, and out of order. After the application's writes, the benchmark takes a
/// sample of the primary's CloudTrail events that are already stale — the user changed again after them — and
/// delivers each twice more into the capture path, the same envelope as before.
/// </summary>
internal static class CloudTrailReplay
{
    /// <summary>
    /// The sample: successful CloudTrail records of user changes in <paramref name="primaryPoolId"/>, naming the user by
    /// sub, that a later record for the same sub follows, or whose sub belonged to a username deleted and created again
    /// since (a live user with another sub holds it now). Each of the two sorts is sampled at <paramref name="share"/>,
    /// at least one of each when there is one (none when the share is 0).
    /// </summary>
    public static ReplaySample Sample(IReadOnlyList<JsonObject> events, string primaryPoolId, ChaosLedger ledger, double share, int seed)
    {
        var records = events
            .Select(e => (Envelope: e, Sub: SubOfUserChange(e, primaryPoolId)))
            .Where(e => e.Sub is not null)
            .ToList();
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            last[records[i].Sub!] = i;
        }

        var oldSubs = new List<JsonObject>();
        var followed = new List<JsonObject>();
        for (var i = 0; i < records.Count; i++)
        {
            if (ledger.IsOldSubOfLiveUsername(records[i].Sub!))
            {
                oldSubs.Add(records[i].Envelope);
            }
            else if (last[records[i].Sub!] > i)
            {
                followed.Add(records[i].Envelope);
            }
        }

        var random = new Random(seed);
        return new ReplaySample([.. Take(oldSubs, share, random)], [.. Take(followed, share, random)]);
    }

    /// <summary>Delivers every sampled event <paramref name="copies"/> times, concurrently; returns the deliveries that failed every attempt.</summary>
    public static async Task<int> ReplayAsync(LocalEventBus bus, IReadOnlyList<JsonObject> sample, int copies, CancellationToken cancellationToken)
    {
        var failed = 0;
        await Parallel.ForEachAsync(
            sample.SelectMany(e => Enumerable.Repeat(e, copies)),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (envelope, token) => Interlocked.Add(ref failed, await bus.RedeliverAsync(envelope, token)));
        return failed;
    }

    private static string? SubOfUserChange(JsonObject envelope, string primaryPoolId)
    {
        var record = envelope["detail-type"]?.GetValue<string>() == CloudTrailEvent.DetailType ? CloudTrailEvent.Parse(envelope, out _) : null;
        return record is { ErrorCode: null, Sub: not null } && record.UserPoolId == primaryPoolId
            && CloudTrailChanges.Of(record.EventName) is CloudTrailChange.UserProfile or CloudTrailChange.UserGroups or CloudTrailChange.UserDeleted
            ? record.Sub
            : null;
    }

    private static IEnumerable<JsonObject> Take(List<JsonObject> candidates, double share, Random random)
    {
        var count = candidates.Count == 0 || share <= 0 ? 0 : Math.Clamp((int)Math.Round(candidates.Count * share), 1, candidates.Count);
        return candidates.OrderBy(_ => random.Next()).Take(count);
    }
}
