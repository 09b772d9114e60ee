using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>Secret rotation's log messages: the client name, the pool and the new secret's keyed fingerprint, never its value.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 2240, Level = LogLevel.Information, Message = "Client {ClientName} in {UserPoolId}: new secret {Fingerprint} added")]
    public static partial void SecretRotated(ILogger logger, string clientName, string userPoolId, string fingerprint);

    /// <summary>Cognito's reason is not logged: its message could quote the secret it was given.</summary>
    [LoggerMessage(EventId = 2241, Level = LogLevel.Warning, Message = "Client {ClientName} in {UserPoolId}: the new secret was refused ({Code}); the rotation stopped there")]
    public static partial void SecretRotationRefused(ILogger logger, string clientName, string userPoolId, string code);

    [LoggerMessage(EventId = 2242, Level = LogLevel.Warning, Message = "Client {ClientName} in {UserPoolId}: the new secret {Fingerprint} is active, but its fingerprint could not be recorded in the mirror table; 'idrep clients' shows it as unreadable")]
    public static partial void RotatedSecretNotRecorded(ILogger logger, string clientName, string userPoolId, string fingerprint, Exception exception);
}
