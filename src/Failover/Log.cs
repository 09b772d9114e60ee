using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Failover;

/// <summary>
/// The failover tool's log messages: runs, steps and checks by name (never user data). A failed step is logged with its
/// exception: steps act on DNS, client configuration, the database, the control item and the plan's drill user, so its
/// message holds no one's personal data. A check that could not run logs its exception at Debug (the drift check reads
/// sampled users; docs/design/decisions.md).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Run {RunId} ({Kind}) of {Environment} started: {From} → {To}")]
    public static partial void RunStarted(ILogger logger, string runId, string kind, string environment, string from, string to);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Run {RunId} resumed (attempt {Attempt})")]
    public static partial void RunResumed(ILogger logger, string runId, int attempt);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Run {RunId} ended: {State}")]
    public static partial void RunEnded(ILogger logger, string runId, string state);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Run {RunId}: step {Step} started (attempt {Attempt})")]
    public static partial void StepStarted(ILogger logger, string runId, string step, int attempt);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Run {RunId}: step {Step} succeeded in {Seconds:0.00} s (already done: {AlreadyDone})")]
    public static partial void StepSucceeded(ILogger logger, string runId, string step, double seconds, bool alreadyDone);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Run {RunId}: step {Step} failed: {Reason}")]
    public static partial void StepFailed(ILogger logger, string runId, string step, string reason, Exception exception);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Preflight check {Check}: {Outcome}")]
    public static partial void Check(ILogger logger, string check, string outcome);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Debug, Message = "Preflight check {Check} could not run: the exception (at Debug: the drift check's can quote user data)")]
    public static partial void CheckCouldNotRun(ILogger logger, string check, Exception exception);
}
