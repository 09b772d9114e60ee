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
/// With a <see cref="ReplicationDirection"/>, events of the primary are ignored while the replication control says it
/// is not the writable source (after a failover the reconciler writes it, and its own calls must not echo back).
/// </summary>
public sealed class EventCapture(
    IUserDirectory primary,
    IMirrorStore mirror,
    ISweepRequests sweeps,
    PrimaryReader reader,
    CaptureOptions options,
    TimeProvider time,
    ILogger<EventCapture> logger,
    ReplicationDirection? direction = null)
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

        if (!await IsCapturedAsync(record.UserPoolId ?? options.PrimaryPoolId, cancellationToken))
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "another pool, or not the replication source now");
        }

        if (change == CloudTrailChange.Group)
        {
            return record.GroupName is { } group
                ? await GroupAsync(record.EventName, group, CaptureSource.CloudTrail, cancellationToken)
                : await SweepAsync(record.EventName, "no group name", cancellationToken);
        }

        return await UserAsync(record.EventName, record.Username, record.Sub, change == CloudTrailChange.UserGroups, CaptureSource.CloudTrail, cancellationToken);
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

        return !await IsCapturedAsync(pool, cancellationToken)
            ? new(EventCaptureOutcome.Ignored, "hint", "another pool, or not the replication source now")
            : await UserAsync("hint", username, sub, includeGroups: true, CaptureSource.ApplicationHint, cancellationToken);
    }

    private async Task<bool> IsCapturedAsync(string poolId, CancellationToken cancellationToken) =>
        poolId == options.PrimaryPoolId && (direction is null || (await direction.CurrentAsync(cancellationToken)).MayRecord(poolId));

    private async Task<EventCaptureResult> UserAsync(string kind, string? username, string? sub, bool includeGroups, CaptureSource source, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        DirectoryUser? user = null;
        UserSnapshot? recorded = null;
        if (username is not null)
        {
            user = await primary.FindUserAsync(username, cancellationToken);
        }

        if (user is null && sub is not null)
        {
            (user, recorded) = await reader.FindBySubAsync(sub, mirror, cancellationToken);
        }

        if (user is not null)
        {
            var outcome = await mirror.RecordUserAsync(await reader.ObserveAsync(user, observedAt, source, includeGroups, cancellationToken), cancellationToken);
            return new(EventCaptureOutcome.Recorded, kind, outcome.ToString());
        }

        // Gone from the primary: a tombstone, if we know who it was.
        var gone = recorded?.Username ?? (sub is null ? username : null);
        if (gone is not null)
        {
            var outcome = await mirror.RecordUserAsync(reader.Tombstone(gone, source, observedAt), cancellationToken);
            return new(EventCaptureOutcome.Tombstoned, kind, outcome.ToString());
        }

        return await SweepAsync(kind, sub is null ? "the user is not named (redacted)" : "an unknown sub that is not in the primary", cancellationToken);
    }

    private async Task<EventCaptureResult> GroupAsync(string kind, string name, CaptureSource source, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        var group = await primary.GetGroupAsync(name, cancellationToken);
        var observation = new GroupObservation
        {
            Name = name,
            SourcePoolId = primary.PoolId,
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

    private async Task<EventCaptureResult> SweepAsync(string kind, string why, CancellationToken cancellationToken)
    {
        await sweeps.RequestAsync(options.PrimaryPoolId, time.GetUtcNow(), cancellationToken);
        return new(EventCaptureOutcome.SweepRequested, kind, why);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
