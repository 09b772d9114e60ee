using System.Text.Json.Nodes;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Capture;

public enum EventCaptureOutcome
{
    /// <summary>The user or group was read and recorded (changed, unchanged or stale).</summary>
    Recorded,

    /// <summary>The user or group is gone from the primary: a tombstone was recorded.</summary>
    Tombstoned,

    /// <summary>Nothing in the event identified a user or group: a sweep of the pool was requested.</summary>
    SweepRequested,

    /// <summary>Nothing to do: a failed call, another pool, an operation that changes nothing replicated.</summary>
    Ignored,

    /// <summary>Not an event this handler understands.</summary>
    Malformed,
}

public sealed record EventCaptureResult(EventCaptureOutcome Outcome, string Kind, string Detail);

/// <summary>
/// Captures changes that fire no Cognito trigger, from events: CloudTrail records of Cognito API calls (delivered by
/// EventBridge) and <c>IdentityReplicator.UserChanged</c> hints published by applications. It never trusts what the
/// event says the state is (CloudTrail redacts it anyway): it reads the user or group from the primary again and
/// records that — a user that is gone becomes a tombstone. Events that identify nothing ask for a sweep of the pool.
/// With a <see cref="ReplicationDirection"/> it captures the pool the replication control names as the writable source
/// — the configured primary (<paramref name="reader"/>) before any failover, after one the old standby, read through
/// its own reader in <paramref name="otherPools"/> — and ignores every other pool's events before reading Cognito (the
/// reconciler's own calls on the target must not echo back, nor cost a read).
/// </summary>
public sealed class EventCapture(
    PrimaryReader reader,
    IMirrorStore mirror,
    ISweepRequests sweeps,
    CaptureOptions options,
    TimeProvider time,
    ILogger<EventCapture> logger,
    ReplicationDirection? direction = null,
    IReadOnlyList<PrimaryReader>? otherPools = null)
{
    /// <summary>Handles one EventBridge event. Throws only if the primary or the mirror failed (so the delivery is retried).</summary>
    public async Task<EventCaptureResult> HandleAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        var detailType = envelope["detail-type"] is JsonValue d && d.TryGetValue<string>(out var type) ? type : null;
        var source = envelope["source"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
        var result = detailType switch
        {
            CloudTrailEvent.DetailType when source == CloudTrailEvent.Source => await CloudTrailAsync(envelope, cancellationToken),
            UserChangedEvent.DetailType => await HintAsync(envelope, cancellationToken),
            _ => new EventCaptureResult(EventCaptureOutcome.Malformed, detailType ?? "unknown", "not a Cognito CloudTrail event or an IdentityReplicator.UserChanged hint"),
        };
        Log.EventCaptured(logger, result.Kind, result.Outcome.ToString(), result.Detail);
        ReplicationMetrics.Captured.Add(1, new("source", detailType == UserChangedEvent.DetailType ? "hint" : "cloudtrail"), new("outcome", result.Outcome.ToString()));
        return result;
    }

    private async Task<EventCaptureResult> CloudTrailAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        var record = CloudTrailEvent.Parse(envelope, out var problem);
        if (record is null)
        {
            return new(EventCaptureOutcome.Malformed, "cloudtrail", problem ?? "unreadable");
        }

        if (record.ErrorCode is not null)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, $"the call failed ({record.ErrorCode}) and changed nothing");
        }

        var change = CloudTrailChanges.Of(record.EventName);
        if (change == CloudTrailChange.None)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "changes nothing replicated");
        }

        if (await SourceAsync(record.UserPoolId, cancellationToken) is not { } source)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "another pool, or not the replication source now");
        }

        if (change == CloudTrailChange.Group)
        {
            return record.GroupName is { } group
                ? await GroupAsync(source, record.EventName, group, CaptureSource.CloudTrail, cancellationToken)
                : await SweepAsync(source, record.EventName, "no group name", cancellationToken);
        }

        return await UserAsync(source, record.EventName, record.Username, record.Sub, change == CloudTrailChange.UserGroups, CaptureSource.CloudTrail, cancellationToken);
    }

    private async Task<EventCaptureResult> HintAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        if (envelope["detail"] is not JsonObject detail)
        {
            return new(EventCaptureOutcome.Malformed, "hint", "the event has no detail object");
        }

        var pool = Text(detail["userPoolId"]);
        var username = Text(detail["username"]);
        var sub = Text(detail["sub"]);
        if (pool is null || (username is null && sub is null))
        {
            return new(EventCaptureOutcome.Malformed, "hint", "the detail needs userPoolId and sub or username");
        }

        return await SourceAsync(pool, cancellationToken) is not { } source
            ? new(EventCaptureOutcome.Ignored, "hint", "another pool, or not the replication source now")
            : await UserAsync(source, "hint", username, sub, includeGroups: true, CaptureSource.ApplicationHint, cancellationToken);
    }

    /// <summary>
    /// The reader of <paramref name="poolId"/> if its events are captured now, else <c>null</c>. A pool this function
    /// has no reader for is refused without reading the control; otherwise the control (cached) decides. An event that
    /// names no pool (calls made with a user's access token) is the current source's.
    /// </summary>
    private async Task<PrimaryReader?> SourceAsync(string? poolId, CancellationToken cancellationToken)
    {
        if (direction is null)
        {
            return poolId is null || poolId == options.PrimaryPoolId ? reader : null;
        }

        if (poolId is not null && ReaderOf(poolId) is null)
        {
            return null;
        }

        var control = await direction.CurrentAsync(cancellationToken);
        poolId ??= control.SourcePoolId;
        return control.MayRecord(poolId) ? ReaderOf(poolId) : null;
    }

    private PrimaryReader? ReaderOf(string poolId) =>
        poolId == options.PrimaryPoolId ? reader : otherPools?.FirstOrDefault(r => r.PoolId == poolId);

    private async Task<EventCaptureResult> UserAsync(PrimaryReader pool, string kind, string? username, string? sub, bool includeGroups, CaptureSource source, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        DirectoryUser? user = null;
        UserSnapshot? recorded = null;
        if (username is not null)
        {
            user = await pool.Pool.FindUserAsync(username, cancellationToken);
        }

        if (user is null && sub is not null)
        {
            (user, recorded) = await pool.FindBySubAsync(sub, mirror, cancellationToken);
        }

        if (user is not null)
        {
            var outcome = await mirror.RecordUserAsync(await pool.ObserveAsync(user, observedAt, source, includeGroups, cancellationToken), cancellationToken);
            return new(EventCaptureOutcome.Recorded, kind, outcome.ToString());
        }

        // Gone from the source pool: a tombstone, if we know who it was.
        var gone = recorded?.Username ?? (sub is null ? username : null);
        if (gone is not null)
        {
            var outcome = await mirror.RecordUserAsync(pool.Tombstone(gone, source, observedAt), cancellationToken);
            return new(EventCaptureOutcome.Tombstoned, kind, outcome.ToString());
        }

        return await SweepAsync(pool, kind, sub is null ? "the user is not named (redacted)" : "an unknown sub that is not in the source pool", cancellationToken);
    }

    private async Task<EventCaptureResult> GroupAsync(PrimaryReader pool, string kind, string name, CaptureSource source, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        var group = await pool.Pool.GetGroupAsync(name, cancellationToken);
        var observation = new GroupObservation
        {
            Name = name,
            SourcePoolId = pool.PoolId,
            ObservedAt = observedAt,
            Source = source,
            Description = group?.Description,
            Precedence = group?.Precedence,
            RoleArn = group?.RoleArn,
            Deleted = group is null,
        };
        var outcome = await mirror.RecordGroupAsync(observation, cancellationToken);
        return new(group is null ? EventCaptureOutcome.Tombstoned : EventCaptureOutcome.Recorded, kind, outcome.ToString());
    }

    /// <summary>Asks the worker to sweep the pool being captured (its sweep service watches both pools' requests).</summary>
    private async Task<EventCaptureResult> SweepAsync(PrimaryReader pool, string kind, string why, CancellationToken cancellationToken)
    {
        await sweeps.RequestAsync(pool.PoolId, time.GetUtcNow(), cancellationToken);
        return new(EventCaptureOutcome.SweepRequested, kind, why);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
