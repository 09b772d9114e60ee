using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox.Lambda;

/// <summary>
/// The sandbox Replicator's loggers. Once the sandbox stops (<see cref="Stop"/>), stopping the emulators aborts the
/// trigger invocations they have in flight, and the function would warn about each ("abandoned", "capture failed"):
/// those are the sandbox's own doing, so from then on only errors get through. Until then every entry does.
/// </summary>
internal sealed class StoppingLoggers(ILoggerFactory inner) : ILoggerFactory
{
    private volatile bool _stopped;

    /// <summary>From now on, only errors and critical entries are written.</summary>
    public void Stop() => _stopped = true;

    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName), this);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The inner factory is the caller's; nothing to dispose here.</summary>
    public void Dispose() => GC.SuppressFinalize(this);

    private bool Passes(LogLevel level) => !_stopped || level >= LogLevel.Error;

    private sealed class Logger(ILogger inner, StoppingLoggers owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => owner.Passes(logLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner.Passes(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
