using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli;

/// <summary>The command line's and the worker host's log messages (EventIds 4001–4099). No personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Could not write the CloudWatch metrics line to standard output: {Problem}; the next interval tries again")]
    public static partial void MetricsWriteFailed(ILogger logger, string problem, Exception exception);
}
