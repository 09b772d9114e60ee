using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator;

/// <summary>The token relay's log messages: client ids as short fingerprints, never a secret or a token.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Relayed a token request of client {Client} to {Region}: {Status} in {ElapsedMs:0.0} ms")]
    public static partial void RelayForwarded(ILogger logger, string client, string region, int status, double elapsedMs);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Answered invalid_client for client {Client}: the active pool has no client mapped from it")]
    public static partial void RelayUnknownClient(ILogger logger, string client);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "The token endpoint of {Region} did not answer; the caller got a 5xx")]
    public static partial void RelayUpstreamFailed(ILogger logger, string region, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "The relay cannot route: the mirror table could not be read and no mapping is cached")]
    public static partial void RelayUnavailable(ILogger logger, Exception exception);
}
