using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator;

/// <summary>
/// The Replicator's log messages. Users appear only as fingerprints (never usernames, emails or attributes). A failure
/// is logged with its exception: capture handles users' data, so the exception (whose message Cognito may fill with a
/// username or an attribute value) goes on a Debug <c>…Detail</c> entry whose EventId is the line's plus 100
/// (docs/design/decisions.md).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Ignored {TriggerSource} from pool {PoolId}: not the pool being captured")]
    public static partial void TriggerFromOtherPool(ILogger logger, string triggerSource, string poolId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Ignored a trigger event that cannot be used: {Problem}")]
    public static partial void TriggerMalformed(ILogger logger, string problem);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Ignored a trigger event that cannot be used: the exception behind EventId 1002 (at Debug: its message can quote user data)")]
    public static partial void TriggerMalformedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "{TriggerSource} for {User}: {Outcome} in {ElapsedMs:0.0} ms")]
    public static partial void TriggerRecorded(ILogger logger, string triggerSource, string user, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{TriggerSource} for {User}: capture failed ({Reason}) after {ElapsedMs:0.0} ms; the event went back to Cognito unchanged and the change is left for the sweep or drift repair")]
    public static partial void TriggerCaptureFailed(ILogger logger, string triggerSource, string user, string reason, double elapsedMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "{TriggerSource} for {User}: capture failed; the exception behind EventId 1004 (at Debug: its message can quote user data)")]
    public static partial void TriggerCaptureFailedDetail(ILogger logger, string triggerSource, string user, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Returned an invocation payload unchanged that cannot be read: {Problem} ({Bytes} bytes)")]
    public static partial void PayloadUnreadable(ILogger logger, string problem, int bytes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "A trigger invocation was abandoned ({Reason}) after {ElapsedMs:0.0} ms; the event went back to Cognito unchanged")]
    public static partial void TriggerAbandoned(ILogger logger, string reason, double elapsedMs);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "A trigger invocation was abandoned: the exception behind EventId 1006 (at Debug: its message can quote user data)")]
    public static partial void TriggerAbandonedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Hint for {User} completed: {Outcome}")]
    public static partial void HintCompleted(ILogger logger, string user, string outcome);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Hint for {User}: not in the source pool yet (attempt {Attempt}); retrying")]
    public static partial void HintNotYetVisible(ILogger logger, string user, int attempt);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Hint for {User} abandoned after {Seconds:0} s: the user never appeared in the source pool (a sign-up that failed after its PreSignUp trigger)")]
    public static partial void HintAbandoned(ILogger logger, string user, double seconds);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Hint for {User} failed ({Reason}); it stays queued and is retried")]
    public static partial void HintFailed(ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Debug, Message = "Hint for {User} failed: the exception behind EventId 1013 (at Debug: its message can quote user data)")]
    public static partial void HintFailedDetail(ILogger logger, string user, Exception exception);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Debug, Message = "Hint for {User} could not be rescheduled ({Reason}); it stays due as it was and the next pass retries it")]
    public static partial void HintRescheduleFailed(ILogger logger, string user, string reason, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Hint completion pass failed ({Reason}); retrying")]
    public static partial void HintPassFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Debug, Message = "Hint completion pass failed: the exception behind EventId 1014 (at Debug: its message can quote user data)")]
    public static partial void HintPassFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Debug, Message = "Event {Kind}: {Outcome} ({Detail})")]
    public static partial void EventCaptured(ILogger logger, string kind, string outcome, string detail);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Warning, Message = "Event {Kind} could not be captured ({Reason}); it will be delivered again")]
    public static partial void EventCaptureFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Debug, Message = "Event {Kind} could not be captured: the exception behind EventId 1031 (at Debug: its message can quote user data)")]
    public static partial void EventCaptureFailedDetail(ILogger logger, string kind, Exception exception);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "Ignored an event that cannot be used: {Problem}")]
    public static partial void EventMalformed(ILogger logger, string problem);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Debug, Message = "Event {Kind}: Cognito rejected an identifier it names as invalid; dropped, not retried")]
    public static partial void EventRejectedByCognito(ILogger logger, string kind, Exception exception);

    [LoggerMessage(EventId = 1034, Level = LogLevel.Warning, Message = "Ignored an event Cognito would reject: {Problem}")]
    public static partial void EventInvalid(ILogger logger, string problem);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Hint for {User} dropped: {Problem}")]
    public static partial void HintInvalid(ILogger logger, string user, string problem);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Debug, Message = "{TriggerSource} in pool {PoolId}: {Outcome}")]
    public static partial void ClaimAdded(ILogger logger, string triggerSource, string poolId, string outcome, Exception? exception);

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Source sweep: {Users} users, {Groups} groups read; {Recorded} changes and {Tombstones} deletions recorded in {Seconds:0.0} s")]
    public static partial void SweepCompleted(ILogger logger, int users, int groups, int recorded, int tombstones, double seconds);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "Source sweep failed ({Reason}); the next one runs on schedule")]
    public static partial void SweepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Debug, Message = "Source sweep failed: the exception behind EventId 1051 (at Debug: its message can quote user data)")]
    public static partial void SweepFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Information, Message = "Source sweep skipped: {Why}")]
    public static partial void SweepSkipped(ILogger logger, string why);

    [LoggerMessage(EventId = 1054, Level = LogLevel.Information, Message = "Source sweep reads pool {PoolId} ({Control})")]
    public static partial void SweepSource(ILogger logger, string poolId, string control);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Information, Message = "Source sweep scheduled {Schedule}")]
    public static partial void SweepScheduled(ILogger logger, string schedule);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Error, Message = "Lambda runtime: {Problem}")]
    public static partial void RuntimeProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "Lambda runtime: the handler failed ({Reason}); the invocation was reported as failed")]
    public static partial void HandlerFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Debug, Message = "Lambda runtime: the handler failed; the exception behind EventId 1021 (at Debug: its message can quote user data)")]
    public static partial void HandlerFailedDetail(ILogger logger, Exception exception);
}
