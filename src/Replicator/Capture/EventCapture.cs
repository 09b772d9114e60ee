using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
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

    /// <summary>The user or group is gone from the source: a tombstone was recorded.</summary>
    Tombstoned,

    /// <summary>Nothing in the event identified a user or group: a sweep of the pool was requested.</summary>
    SweepRequested,

    /// <summary>Nothing to do: a failed call, another pool, an operation that changes nothing replicated.</summary>
    Ignored,

    /// <summary>Not an event this handler understands.</summary>
    Malformed,

    /// <summary>
    /// The event names a user the source pool does not have and the mirror never recorded (a self-service call in
    /// another pool, a user that never existed): counted and dropped, no sweep.
    /// </summary>
    Unresolved,

    /// <summary>An identifier breaks Cognito's own limits, or Cognito rejected it as invalid: dropped once, never retried.</summary>
    Invalid,
}

public sealed record EventCaptureResult(EventCaptureOutcome Outcome, string Kind, string Detail);

/// <summary>
/// Captures changes that fire no Cognito trigger, from events (CloudTrail records of Cognito API calls, applications'
/// <c>IdentityReplicator.UserChanged</c> hints): it reads the user or group the event names from the source pool —
/// <paramref name="reader"/>'s or one of <paramref name="otherPools"/> — and records that; other pools' events are ignored unread.
/// </summary>
/// <remarks>
/// It never trusts what the event says the state is (CloudTrail redacts it anyway), and never deletes what exists: a
/// username becomes a tombstone only when the source has no user by it (and, for a user named by sub, the mirror's
/// record of that username carries that sub) — a late or repeated event about an old sub whose username was taken again
/// records the user who holds it now. An event that names a user the source does not have and the mirror never recorded
/// is counted <see cref="EventCaptureOutcome.Unresolved"/> and dropped; only an event that names the source pool but no
/// user asks for a sweep of it. Identifiers Cognito would reject (<see cref="CognitoIdentifiers"/>), or did reject,
/// make the event <see cref="EventCaptureOutcome.Invalid"/>: dropped once, never retried.
/// </remarks>
public sealed class EventCapture(
    SourceReader reader,
    IMirrorStore mirror,
    ISweepRequests sweeps,
    CaptureOptions options,
    TimeProvider time,
    ILogger<EventCapture> logger,
    ReplicationControlReader? controlReader = null,
    IReadOnlyList<SourceReader>? otherPools = null,
    IConfigurationHints? configurationHints = null)
{
    /// <summary>
    /// Handles one EventBridge event. Throws only if the source pool or the mirror failed (so the delivery is retried):
    /// an event that can never succeed returns <see cref="EventCaptureOutcome.Malformed"/> or <see cref="EventCaptureOutcome.Invalid"/>.
    /// </summary>
    public async Task<EventCaptureResult> HandleAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        var detailType = envelope["detail-type"] is JsonValue d && d.TryGetValue<string>(out var type) ? type : null;
        var source = envelope["source"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
        var from = detailType == UserChangedEvent.DetailType ? "hint" : "cloudtrail";
        EventCaptureResult result;
        try
        {
            result = detailType switch
            {
                CloudTrailEvent.DetailType when source == CloudTrailEvent.Source => await CloudTrailAsync(envelope, cancellationToken),
                UserChangedEvent.DetailType => await HintAsync(envelope, cancellationToken),
                _ => new EventCaptureResult(EventCaptureOutcome.Malformed, detailType ?? "unknown", "not a Cognito CloudTrail event or an IdentityReplicator.UserChanged hint"),
            };
        }
        catch (InvalidParameterException e)
        {
            // Cognito refused an identifier the event names; it answers the same however often it is asked.
            var kind = from == "hint" ? from : Text(envelope["detail"]?["eventName"]) ?? from;
            Log.EventRejectedByCognito(logger, kind, e);
            result = new(EventCaptureOutcome.Invalid, kind, "Cognito rejected an identifier the event names (InvalidParameterException)");
        }

        Log.EventCaptured(logger, result.Kind, result.Outcome.ToString(), result.Detail);
        ReplicationMetrics.Captured.Add(1, new("source", from), new("outcome", result.Outcome.ToString()));
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

        if (change == CloudTrailChange.Configuration)
        {
            return await ConfigurationAsync(record, cancellationToken);
        }

        if (CognitoIdentifiers.Problem(record.Username, record.Sub, record.GroupName) is { } invalid)
        {
            return new(EventCaptureOutcome.Invalid, record.EventName, invalid);
        }

        if (await SourceAsync(record.UserPoolId, cancellationToken) is not { } source)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "another pool, or not the replication source now");
        }

        // Calls made with a user's access token name no pool: they may be any pool's in the account and Region.
        var poolNamed = record.UserPoolId is not null;
        if (change == CloudTrailChange.Group)
        {
            return record.GroupName is { } group
                ? await GroupAsync(source, record.EventName, group, CaptureSource.CloudTrail, cancellationToken)
                : await SweepAsync(source, record.EventName, poolNamed, "no group name", cancellationToken);
        }

        return await UserAsync(source, record.EventName, record.Username, record.Sub, change == CloudTrailChange.UserGroups, CaptureSource.CloudTrail, poolNamed, cancellationToken);
    }

    /// <summary>
    /// A configuration call's record becomes a hint naming the object (never its settings): the reconciler reads the
    /// object from both pools. Records of other pools are ignored; one that names no pool or no object is dropped (the
    /// configuration sweep catches what it was about). A duplicate or late record only costs the reconciler a re-read.
    /// </summary>
    private async Task<EventCaptureResult> ConfigurationAsync(CloudTrailEvent record, CancellationToken cancellationToken)
    {
        if (configurationHints is null)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "configuration capture is not set up here");
        }

        if (ConfigurationRecords.Of(record, out var problem) is not { } target)
        {
            return new(problem == ConfigurationRecordProblem.InvalidIdentifier ? EventCaptureOutcome.Invalid : EventCaptureOutcome.Unresolved, record.EventName, ConfigurationRecords.Describe(problem));
        }

        if (await SourceAsync(target.PoolId, cancellationToken) is not { } source)
        {
            return new(EventCaptureOutcome.Ignored, record.EventName, "another pool, or not the replication source now");
        }

        var outcome = await configurationHints.RecordAsync(
            new ConfigurationHint
            {
                SourcePoolId = source.PoolId,
                Kind = target.Kind,
                ObjectId = target.ObjectId,
                ObjectName = target.ObjectName,
                Operation = record.EventName,
                Version = time.GetUtcNow().UtcTicks,
            },
            cancellationToken);
        return new(EventCaptureOutcome.Recorded, record.EventName, $"configuration hint {ConfigurationHint.KindName(target.Kind)}: {outcome}");
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

        if (CognitoIdentifiers.Problem(username, sub, groupName: null) is { } invalid)
        {
            return new(EventCaptureOutcome.Invalid, "hint", invalid);
        }

        return await SourceAsync(pool, cancellationToken) is not { } source
            ? new(EventCaptureOutcome.Ignored, "hint", "another pool, or not the replication source now")
            : await UserAsync(source, "hint", username, sub, includeGroups: true, CaptureSource.ApplicationHint, poolNamed: true, cancellationToken);
    }

    /// <summary>
    /// The reader of <paramref name="poolId"/> if its events are captured now, else <c>null</c>. A pool this function
    /// has no reader for is refused without reading the control; otherwise the control (cached) decides. An event that
    /// names no pool (calls made with a user's access token) is the current source's.
    /// </summary>
    private async Task<SourceReader?> SourceAsync(string? poolId, CancellationToken cancellationToken)
    {
        if (controlReader is null)
        {
            return poolId is null || poolId == options.PrimaryPoolId ? reader : null;
        }

        if (poolId is not null && ReaderOf(poolId) is null)
        {
            return null;
        }

        var control = await controlReader.CurrentAsync(cancellationToken);
        poolId ??= control.SourcePoolId;
        return control.MayRecord(poolId) ? ReaderOf(poolId) : null;
    }

    private SourceReader? ReaderOf(string poolId) =>
        poolId == options.PrimaryPoolId ? reader : otherPools?.FirstOrDefault(r => r.PoolId == poolId);

    /// <summary>
    /// Records the user the event is about as the source pool has it now. The version is taken before any read: what
    /// is recorded is at least that new, and a user who takes a username after a read that found it free is recorded
    /// with a newer version than the tombstone that read may write.
    /// </summary>
    private async Task<EventCaptureResult> UserAsync(SourceReader pool, string kind, string? username, string? sub, bool includeGroups, CaptureSource source, bool poolNamed, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        if (username is not null)
        {
            if (await pool.Pool.FindUserAsync(username, cancellationToken) is { } named)
            {
                return await RecordAsync(pool, kind, named, observedAt, source, includeGroups, "read by its username", cancellationToken);
            }

            if (sub is null)
            {
                return await GoneAsync(pool, kind, await mirror.GetUserAsync(pool.KeyOf(username), cancellationToken), observedAt, source, cancellationToken);
            }
        }

        if (sub is null)
        {
            return await SweepAsync(pool, kind, poolNamed, "the user is not named (redacted)", cancellationToken);
        }

        var found = await pool.FindBySubAsync(sub, mirror, searchPool: poolNamed, cancellationToken);
        if (found.User is { } user)
        {
            return await RecordAsync(
                pool,
                kind,
                user,
                observedAt,
                source,
                includeGroups,
                user.Sub == sub ? "read by its sub" : "the sub's user is gone and its username taken again: recorded the user who holds it now",
                cancellationToken);
        }

        if (found.Recorded is not { } recorded)
        {
            return new(EventCaptureOutcome.Unresolved, kind, poolNamed
                ? "no user of the source pool has this sub, and the mirror never recorded it"
                : "names no pool, and the mirror never recorded this sub (a user of another pool?)");
        }

        // The username recorded for this sub is free. If the mirror's record is of another sub, that user's own events
        // decide about it: this one is about a user the record no longer describes.
        return recorded.Sub == sub
            ? await GoneAsync(pool, kind, recorded, observedAt, source, cancellationToken)
            : new(EventCaptureOutcome.Ignored, kind, "the username this sub had is recorded for another sub now");
    }

    private async Task<EventCaptureResult> RecordAsync(SourceReader pool, string kind, DirectoryUser user, DateTimeOffset observedAt, CaptureSource source, bool includeGroups, string how, CancellationToken cancellationToken)
    {
        var outcome = await mirror.RecordUserAsync(await pool.ObserveAsync(user, observedAt, source, includeGroups, cancellationToken), cancellationToken);
        return new(EventCaptureOutcome.Recorded, kind, $"{outcome} ({how})");
    }

    /// <summary>
    /// The source pool has no user by the username: a tombstone if the mirror holds a live record of it. A user the
    /// mirror never recorded leaves no trace (there is nothing to delete in the standby either).
    /// </summary>
    private async Task<EventCaptureResult> GoneAsync(SourceReader pool, string kind, UserSnapshot? recorded, DateTimeOffset observedAt, CaptureSource source, CancellationToken cancellationToken)
    {
        if (recorded is null)
        {
            return new(EventCaptureOutcome.Unresolved, kind, "no user by this username in the source pool, and the mirror never recorded one");
        }

        if (recorded.Deleted)
        {
            return new(EventCaptureOutcome.Ignored, kind, "already recorded as deleted");
        }

        var outcome = await mirror.RecordUserAsync(pool.Tombstone(recorded.Username, source, observedAt), cancellationToken);
        return new(EventCaptureOutcome.Tombstoned, kind, outcome.ToString());
    }

    private async Task<EventCaptureResult> GroupAsync(SourceReader pool, string kind, string name, CaptureSource source, CancellationToken cancellationToken)
    {
        var observedAt = time.GetUtcNow();
        var group = await pool.Pool.GetGroupAsync(name, cancellationToken);
        if (group is null)
        {
            // As for users: a group the mirror never recorded leaves no trace, one already deleted needs nothing.
            switch (await mirror.GetGroupAsync(name, cancellationToken))
            {
                case null:
                    return new(EventCaptureOutcome.Unresolved, kind, "no such group in the source pool, and the mirror never recorded it");
                case { Deleted: true }:
                    return new(EventCaptureOutcome.Ignored, kind, "already recorded as deleted");
            }
        }

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

    /// <summary>
    /// Asks the worker to sweep the pool being captured (its sweep service watches both pools' requests) — only for an
    /// event that names that pool: one that names no pool may be another pool's, and must not cost a sweep.
    /// </summary>
    private async Task<EventCaptureResult> SweepAsync(SourceReader pool, string kind, bool poolNamed, string why, CancellationToken cancellationToken)
    {
        if (!poolNamed)
        {
            return new(EventCaptureOutcome.Unresolved, kind, $"names no pool and {why}");
        }

        await sweeps.RequestAsync(pool.PoolId, time.GetUtcNow(), cancellationToken);
        return new(EventCaptureOutcome.SweepRequested, kind, why);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
