using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator;

/// <summary>The native replica companion's log messages (EventIds 1400–1499; their Debug details 1500–1599).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Native mode: the canary is written every {IntervalSeconds:0.#} s in the primary and read every {PollMs:0} ms at the replica")]
    public static partial void CanaryStarted(ILogger logger, double intervalSeconds, double pollMs);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Native mode: added the canary attribute {Attribute} to the schema of pool {PoolId}")]
    public static partial void CanaryAttributeAdded(ILogger logger, string poolId, string attribute);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Native mode: created the canary user (disabled) in pool {PoolId}")]
    public static partial void CanaryUserCreated(ILogger logger, string poolId);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Native mode: a canary pass failed ({Reason}); retried at the next tick")]
    public static partial void CanaryFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Debug, Message = "Native mode: a canary pass failed; the exception behind EventId 1404")]
    public static partial void CanaryFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Debug, Message = "Native mode: a canary arrived at the replica after {LagMs:0} ms")]
    public static partial void CanaryArrived(ILogger logger, double lagMs);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Native mode: wrote the replica's Regional setting {Path} of pool {PoolId} in {Region}")]
    public static partial void RegionalSettingWritten(ILogger logger, string poolId, string region, string path);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Debug, Message = "Native mode: the replica's Regional settings of pool {PoolId} are in step")]
    public static partial void RegionalSettingsInStep(ILogger logger, string poolId);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Native mode: the replica's Regional setting {Path} differs from the primary's (Replication:Native:ApplySettings is off)")]
    public static partial void RegionalSettingDiffers(ILogger logger, string path);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Warning, Message = "Native mode: a Regional-settings pass failed ({Reason}); retried at the next")]
    public static partial void RegionalSettingsFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Debug, Message = "Native mode: a Regional-settings pass failed; the exception behind EventId 1413")]
    public static partial void RegionalSettingsFailedDetail(ILogger logger, Exception exception);
}
