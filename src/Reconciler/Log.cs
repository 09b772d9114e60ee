using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler;

/// <summary>
/// The reconciler's log messages. Entities appear only as fingerprints. A failure is logged with its exception: on the
/// line itself where the exception's message cannot hold user data, else on a Debug <c>…Detail</c> entry whose EventId is
/// the line's plus 100 (Cognito's messages can quote a username or an attribute value; docs/design/decisions.md).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Applied {Entity}: {Outcome} with {Calls} Cognito calls, {LagMs:0} ms after the change")]
    public static partial void Applied(ILogger logger, string entity, string outcome, int calls, double lagMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Parked {Entity} ({Code}): {Reason}")]
    public static partial void Parked(ILogger logger, string entity, string code, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Parked {Entity}: the exception behind EventId 2002 (at Debug: its message can quote user data)")]
    public static partial void ParkedDetail(ILogger logger, string entity, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Unparked {Entity}: it applied cleanly")]
    public static partial void Unparked(ILogger logger, string entity);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Could not apply {Entity} ({Reason}); attempt {Attempt}, retrying on the next poll")]
    public static partial void ApplyFailed(ILogger logger, string entity, string reason, int attempt);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Could not apply {Entity}: the exception behind EventId 2004 (at Debug: its message can quote user data)")]
    public static partial void ApplyFailedDetail(ILogger logger, string entity, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Feed poll failed ({Reason}); retrying")]
    public static partial void PollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Feed poll failed: the exception behind EventId 2005 (at Debug: its message can quote user data)")]
    public static partial void PollFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Permission problem ({Code}), nothing parked, retrying in {Seconds:0} s: {Problem}")]
    public static partial void PermissionDenied(ILogger logger, string code, string problem, double seconds, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Reconciler started for target pool {PoolId} in {Region}: {Buckets} feed buckets, resuming from {Resumed} saved checkpoints, {Parked} parked entities")]
    public static partial void Started(ILogger logger, string poolId, string region, int buckets, int resumed, int parked);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Deleted user {Entity} has no known counterpart in the target pool; nothing to delete")]
    public static partial void NoCounterpart(ILogger logger, string entity);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Deleted target user {User}: no source user stands for it")]
    public static partial void DeletedUnmatched(ILogger logger, string user);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Sync read {SourceUsers} source users and {SourceGroups} groups, {TargetUsers} target users; {Differences} differences")]
    public static partial void SyncRead(ILogger logger, int sourceUsers, int sourceGroups, int targetUsers, int differences);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Sync could not converge user {User} ({Reason}); the next run retries it")]
    public static partial void SyncUserFailed(ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Debug, Message = "Sync could not converge user {User}: the exception behind EventId 2011 (at Debug: its message can quote user data)")]
    public static partial void SyncUserFailedDetail(ILogger logger, string user, Exception exception);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Sync done: {Applied} changed, {InSync} already in step, {Failed} failed, {Deleted} deleted, in {Seconds:0.0} s")]
    public static partial void SyncDone(ILogger logger, int applied, int inSync, int failed, int deleted, double seconds);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Drift report: {Differences} differences, {Parked} parked, {MirrorBehind} users behind in the mirror")]
    public static partial void DriftReported(ILogger logger, int differences, int parked, int mirrorBehind);

    [LoggerMessage(EventId = 2090, Level = LogLevel.Information, Message = "Drift compact read: {SourceUsers} source and {TargetUsers} target users listed, {ReadAgain} read again, {SpillFiles} spill files")]
    public static partial void DriftCompactRead(ILogger logger, int sourceUsers, int targetUsers, int readAgain, int spillFiles);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Scheduled drift report failed ({Reason}); next run at {Next:u}")]
    public static partial void DriftFailed(ILogger logger, string reason, DateTimeOffset next);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Debug, Message = "Scheduled drift report failed: the exception behind EventId 2014 (at Debug: its message can quote user data)")]
    public static partial void DriftFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Could not publish the DriftReportCompleted event ({Reason})")]
    public static partial void DriftEventFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Drift repair could not fix {Entity} ({Reason})")]
    public static partial void RepairFailed(ILogger logger, string entity, string reason);

    [LoggerMessage(EventId = 2116, Level = LogLevel.Debug, Message = "Drift repair could not fix {Entity}: the exception behind EventId 2016 (at Debug: its message can quote user data)")]
    public static partial void RepairFailedDetail(ILogger logger, string entity, Exception exception);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Information, Message = "Drift report stored at {Location}")]
    public static partial void DriftReportStored(ILogger logger, string location);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "Reconciler cannot start: {Problem}")]
    public static partial void CannotStart(ILogger logger, string problem, Exception? exception);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Replication control at epoch {Epoch}: {SourcePoolId} → {TargetPoolId} (source writable: {Writable}; this worker writes the target: {HasLeg})")]
    public static partial void DirectionChanged(ILogger logger, long epoch, string sourcePoolId, string targetPoolId, bool writable, bool hasLeg);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Debug, Message = "Deferred {Entity}: {Why}; it is applied later")]
    public static partial void ApplyDeferred(ILogger logger, string entity, string why);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Lost the apply lease of {Entity} midway (Reconciler:ApplyLease is {LeaseSeconds:0} s); it is applied again, compared in full, once the lease is free")]
    public static partial void ApplyLeaseLost(ILogger logger, string entity, double leaseSeconds, Exception exception);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Could not release the apply lease of {Entity}; other workers wait up to {LeaseSeconds:0} s for it to run out")]
    public static partial void ApplyLeaseNotReleased(ILogger logger, string entity, double leaseSeconds, Exception exception);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Information, Message = "Took over the apply lease of {Entity} from {DeadHolder}, a worker of this host that is gone, without waiting for it to run out")]
    public static partial void ApplyLeaseTakenOver(ILogger logger, string entity, string deadHolder);
}
