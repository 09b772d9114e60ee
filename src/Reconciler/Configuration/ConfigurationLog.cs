using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>Configuration apply's log messages: subjects are client names, identifiers and setting paths, never values or secrets.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Configuration apply {SourcePoolId} → {TargetPoolId}: {Planned} writes planned")]
    public static partial void Planned(ILogger logger, string sourcePoolId, string targetPoolId, int planned);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Configuration write {Operation} {Subject} done")]
    public static partial void Written(ILogger logger, string operation, string subject);

    /// <summary>Cognito's reason is left to the report: a refusal of a secret write could echo what it was given.</summary>
    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Configuration write {Operation} {Subject} refused ({Code}); the rest carries on")]
    public static partial void Refused(ILogger logger, string operation, string subject, string code);

    /// <summary>The exception behind EventId 2203, with its stack; not logged for a write that carries a secret.</summary>
    [LoggerMessage(EventId = 2303, Level = LogLevel.Debug, Message = "Configuration write {Operation} {Subject} refused: the exception behind EventId 2203 (at Debug: Cognito's message can quote what it was given)")]
    public static partial void RefusedDetail(ILogger logger, string operation, string subject, Exception exception);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Configuration apply done: {Applied} writes, {Refused} refused")]
    public static partial void Done(ILogger logger, int applied, int refused);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Configuration hint applied: {Subject}, {Writes} writes, {LagMs:F0} ms after capture")]
    public static partial void HintApplied(ILogger logger, string subject, int writes, double lagMs);

    /// <summary>Information: each refusal behind it is a Warning of its own (EventId 2203, with its detail at Debug).</summary>
    [LoggerMessage(EventId = 2206, Level = LogLevel.Information, Message = "Configuration hint parked: {Subject} refused ({Code}); see 'idrep drift' for the reason and the fix")]
    public static partial void HintParked(ILogger logger, string subject, string code);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Debug, Message = "Configuration hint ({Kind}, {Operation}) names an object neither the source nor a client mapping knows; left to the configuration sweep")]
    public static partial void HintUnresolved(ILogger logger, string kind, string operation);

    [LoggerMessage(EventId = 2208, Level = LogLevel.Information, Message = "Configuration sweep done: {Applied} writes, {Refused} refused (parked per object), {Deferred} objects left to the worker holding their apply lease")]
    public static partial void Swept(ILogger logger, int applied, int refused, int deferred);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Warning, Message = "Configuration sweep failed ({Reason}); the next one runs at its time")]
    public static partial void SweepFailed(ILogger logger, string reason, Exception exception);

    /// <summary>Debug: a new client (no mapping yet) takes this path on every create.</summary>
    [LoggerMessage(EventId = 2210, Level = LogLevel.Debug, Message = "Client hint: the client mapping is {State}; the pools' clients are listed by name")]
    public static partial void ClientMappingNotUsed(ILogger logger, string state);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Configuration sweep: {Subject} is being applied by another worker (its apply lease is held); left to it")]
    public static partial void SweepDeferred(ILogger logger, string subject);
}
