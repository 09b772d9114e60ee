using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler;

/// <summary>The worker's activity lines, written by <see cref="Feed.FeedActivityLog"/>: counts and states only, never a user.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "In the last minute: {Applied} applied, {Deleted} deleted, {Parked} parked, {Errors} errors ({InSync} already in step); {State}")]
    public static partial void Activity(ILogger logger, long applied, long deleted, long parked, long errors, long inSync, string state);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Information, Message = "{State}")]
    public static partial void FeedState(ILogger logger, string state);
}
