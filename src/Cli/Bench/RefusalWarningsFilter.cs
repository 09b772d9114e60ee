using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// Loggers that pass everything on except the Replicator's warnings about input it refused — EventIds 1002 (a trigger
/// event that cannot be used), 1005 (a payload that cannot be read), 1032 (an event that cannot be used) and 1034 (an
/// identifier Cognito would reject). Under the chaos benchmark's hostile input there is one per delivery; the
/// benchmark reports them counted by kind instead, from the Replicator's metrics.
/// </summary>
internal sealed class RefusalWarningsFilter(ILoggerFactory inner) : ILoggerFactory
{
    private const string ReplicatorCategories = "IdentityReplicator.Replicator.";
    private static readonly HashSet<int> Refusals = [1002, 1005, 1032, 1034];

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(ReplicatorCategories, StringComparison.Ordinal) ? new Filtered(inner.CreateLogger(categoryName)) : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!Refusals.Contains(eventId.Id))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
