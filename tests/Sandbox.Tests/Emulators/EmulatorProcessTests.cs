using System.Diagnostics;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Emulators;

public sealed class EmulatorProcessTests
{
    [Fact]
    public async Task EnsureInstalledAsync_CalledTwice_ReturnsOneInstallWithTheEmulatorsAndTheWatchdog()
    {
        var first = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var second = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.True(File.Exists(Path.Combine(first, "node_modules", "cognito-local", "lib", "bin", "start.js")));
        Assert.True(File.Exists(Path.Combine(first, "node_modules", "dynalite", "cli.js")));
        Assert.True(File.Exists(Path.Combine(first, "watchdog.js")));
    }

    [Fact]
    public async Task DisposeAsync_RunningEmulator_StopsItsProcess()
    {
        var install = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var dynalite = await Dynalite.StartAsync(install, Path.GetTempPath(), TimeProvider.System, CancellationToken.None);
        var pid = dynalite.ProcessId;
        Assert.True(Processes.IsAlive(pid));

        await dynalite.DisposeAsync();

        Assert.False(Processes.IsAlive(pid));
    }

    [Fact]
    public async Task Watchdog_OwnerProcessDies_EmulatorExitsByItself()
    {
        var install = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        using var owner = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var start = new ProcessStartInfo("node") { UseShellExecute = false };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(Path.Combine(install, "watchdog.js"));
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add("setInterval(() => {}, 1000)");
        start.Environment["IDREP_OWNER_PID"] = owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var orphan = Process.Start(start)!;
        try
        {
            Assert.False(orphan.WaitForExit(500));

            owner.Kill();
            await owner.WaitForExitAsync();

            await orphan.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
            Assert.True(orphan.HasExited);
        }
        finally
        {
            if (!orphan.HasExited)
            {
                orphan.Kill();
            }
        }
    }
}
