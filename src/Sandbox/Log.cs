using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox;

/// <summary>The sandbox's log events (6000–6099). Events are named by their id and subscription, never by their content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Local EventBridge: delivery of event {EventId} to {Subscription} failed (attempt {Attempt}); retrying in {DelayMs:0} ms")]
    public static partial void EventDeliveryFailed(ILogger logger, string eventId, string subscription, int attempt, double delayMs, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Local EventBridge: dropped event {EventId} for {Subscription} after {Attempts} attempt(s) over {AgeSeconds:0} s: {Reason} (EventBridge would send it to the target's dead-letter queue)")]
    public static partial void EventDropped(ILogger logger, string eventId, string subscription, int attempts, double ageSeconds, string reason);
}
