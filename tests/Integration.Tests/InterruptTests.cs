using System.Text.RegularExpressions;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// Ctrl+C on the long-running commands (issue 16, item 8): everything they started stops in reverse order — the worker
/// before the emulators it talks to — so the operator reads one closing line and no warnings, and the exit code is 3 as
/// for every interrupted idrep command.
/// </summary>
public sealed partial class InterruptTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Shutdown = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demo_InterruptedWhileReplicating_ExitsThreeWithoutWarningsFromTheWorker()
    {
        // Arrange: a demo busy creating users while the worker replicates them.
        using var demo = IdrepProcess.Start("demo", "--users", "3000");
        await demo.WaitForOutputAsync("Creating 3000 users", Startup);

        // Act
        var before = demo.Output.Length;
        await demo.InterruptAsync();
        await demo.WaitForExitAsync(Shutdown);
        var shutdown = demo.Output[before..];

        // Assert: on a loaded machine a trigger can outrun its budget before the interrupt; nothing is warned after it.
        Assert.True(demo.ExitCode == 3, $"exit {demo.ExitCode}: {demo.Output}");
        Assert.Contains("Demo interrupted; everything it started has been stopped.", shutdown, StringComparison.Ordinal);
        Assert.True(!LogLineAboveInformation().IsMatch(shutdown), shutdown);
    }

    [Fact]
    public async Task SandboxUp_Interrupted_ExitsThreeWithoutWarnings()
    {
        // Arrange
        using var sandbox = IdrepProcess.Start("sandbox", "up");
        await sandbox.WaitForOutputAsync("Sandbox is up.", Startup);

        // Act
        var before = sandbox.Output.Length;
        await sandbox.InterruptAsync();
        await sandbox.WaitForExitAsync(Shutdown);
        var shutdown = sandbox.Output[before..];

        // Assert
        Assert.True(sandbox.ExitCode == 3, $"exit {sandbox.ExitCode}: {sandbox.Output}");
        Assert.Contains("Sandbox interrupted; stopping everything it started.", shutdown, StringComparison.Ordinal);
        Assert.True(!LogLineAboveInformation().IsMatch(shutdown), shutdown);
    }

    // The console logger's single-line prefixes of a warning, an error and a critical entry.
    [GeneratedRegex(@"(?m)^\s*(warn|fail|crit):")]
    private static partial Regex LogLineAboveInformation();
}
