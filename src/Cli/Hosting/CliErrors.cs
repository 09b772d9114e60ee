using IdentityReplicator.Cli.Commands;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Reconciler.Drift.Storage;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// The one place that turns whatever stops a command into its exit code and the lines the operator reads, by type,
/// never by message text: 2 for the operator's mistakes (settings, options, the plan, a run its rules refuse) and for
/// a service the command needed that failed, 1 for a refusal that is a failed check, 3 when interrupted, and 1 with
/// the whole exception for anything else (a bug). <see cref="IdrepCommand"/> applies it to every command; a command
/// that has something to say when interrupted runs its body through <see cref="RunAsync"/>.
/// </summary>
internal static class CliErrors
{
    /// <summary>The operator's mistakes: settings, options, a plan that cannot be used, a run its rules do not allow.</summary>
    public static bool IsUsageError(Exception error) =>
        error is ConfigurationException or CliUsageException or PlanException or FailoverException;

    /// <summary>A service the command needed failed or refused: AWS, the mirror table, the journal, the report store, the network, files.</summary>
    public static bool IsServiceError(Exception error) =>
        error is AwsServiceException or MirrorStoreException or JournalException or ReportStoreException or HttpRequestException or IOException or UnauthorizedAccessException;

    /// <summary>The exit code of a command that <paramref name="error"/> stopped.</summary>
    public static int ExitCodeFor(Exception error) => error switch
    {
        OperationCanceledException => IdrepCommand.Aborted,
        _ when IsUsageError(error) || IsServiceError(error) => IdrepCommand.UsageError,
        _ => IdrepCommand.CheckFailed,
    };

    /// <summary>What the operator reads about <paramref name="error"/>; <paramref name="interrupted"/> is the command's word on an interruption.</summary>
    public static IReadOnlyList<string> Describe(Exception error, string? interrupted = null) => error switch
    {
        OperationCanceledException => interrupted is null ? [] : [interrupted],
        ConfigurationException configuration => [.. configuration.Problems.Select(p => p.Message)],
        PlanException plan => ["The plan cannot be used:", .. plan.Problems.Select(p => "  " + p)],
        _ when IsUsageError(error) => [error.Message],
        _ when IsServiceError(error) => [$"Failed: {error.Message}"],
        TriggerConflictException => [error.Message],

        // Anything else is a bug: shown whole, as System.CommandLine's own handler did.
        _ => [$"Unhandled exception: {error}"],
    };

    /// <summary>Prints <see cref="Describe"/> to standard error and returns <see cref="ExitCodeFor"/>.</summary>
    public static async Task<int> ReportAsync(Exception error, string? interrupted = null)
    {
        foreach (var line in Describe(error, interrupted))
        {
            await Console.Error.WriteLineAsync(line);
        }

        return ExitCodeFor(error);
    }

    /// <summary>
    /// Runs a command's body and reports whatever stops it; <paramref name="interrupted"/> is printed when the operator
    /// interrupted it (<paramref name="cancellationToken"/> cancelled), e.g. how to carry on.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> body, string interrupted, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (Exception e)
        {
            return await ReportAsync(e, e is OperationCanceledException && cancellationToken.IsCancellationRequested ? interrupted : null);
        }
    }
}
