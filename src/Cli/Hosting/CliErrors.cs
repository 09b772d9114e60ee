using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// The one place that turns the operator's mistakes into exit code 2 (<see cref="Commands.IdrepCommand.UsageError"/>):
/// settings that cannot be used (<see cref="ConfigurationException"/>, every problem on its own line) and other usage
/// errors (<see cref="CliUsageException"/>). Decided by type, never by message text.
/// </summary>
internal static class CliErrors
{
    public static bool IsUsageError(Exception error) => error is ConfigurationException or CliUsageException;

    /// <summary>Prints the error's message (each configuration problem on its own line) to standard error and returns exit code 2.</summary>
    public static async Task<int> ReportUsageErrorAsync(Exception error)
    {
        foreach (var line in error is ConfigurationException configuration ? configuration.Problems.Select(p => p.Message) : [error.Message])
        {
            await Console.Error.WriteLineAsync(line);
        }

        return Commands.IdrepCommand.UsageError;
    }
}
