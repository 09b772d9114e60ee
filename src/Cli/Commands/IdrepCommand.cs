using System.CommandLine;
using IdentityReplicator.Cli.Hosting;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// The <c>idrep</c> command line. Exit codes: 0 success, 1 a check failed (drift, not converged), 2 usage,
/// configuration or service error, 3 aborted — for whatever stops a command, decided in one place: <see cref="CliErrors"/>.
/// </summary>
internal static class IdrepCommand
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int UsageError = 2;
    public const int Aborted = 3;

    /// <summary>How long an interrupted command may take to stop what it started before the process ends anyway (exit 130).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static RootCommand Build()
    {
        var root = new RootCommand("IdentityReplicator: keeps a standby Cognito user pool in another Region in step with the primary.");
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(HealthCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(SandboxCommand.Build());
        root.Subcommands.Add(TriggersCommand.Build());
        root.Subcommands.Add(WorkerCommand.Build());
        root.Subcommands.Add(SyncCommand.Build());
        root.Subcommands.Add(DriftCommand.Build());
        root.Subcommands.Add(SweepCommand.Build());
        root.Subcommands.Add(UsersCommand.Build());
        root.Subcommands.Add(ClientsCommand.Build());
        root.Subcommands.Add(RelayCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(FailoverCommand.Build());
        root.Subcommands.Add(AssessCommand.Build());
        root.Subcommands.Add(ReplicaSettingsCommand.Build());
        root.Subcommands.Add(HelpCommand.Build());
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        TerminalOutput.Configure(root, Console.IsOutputRedirected);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            foreach (var suggestion in Suggestions.For(result))
            {
                await Console.Error.WriteLineAsync(suggestion);
            }

            await Console.Error.WriteLineAsync($"Run 'idrep help{Suggestions.Path(result)["idrep".Length..]}' for usage.");
            return UsageError;
        }

        try
        {
            // Without System.CommandLine's handler, which would print any exception with its stack and exit 1. Ctrl+C
            // cancels the command, which then stops what it started (the demo: its worker, then the emulators) and
            // exits 3; System.CommandLine's default of 2 s before it ends the process with 130 cut that short.
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = ShutdownTimeout });
        }
        catch (Exception e)
        {
            return await CliErrors.ReportAsync(e);
        }
    }
}
