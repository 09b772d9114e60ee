using System.Diagnostics;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Emulators;

public sealed class EmulatorProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EnsureInstalledAsync_CalledTwice_ReturnsOneInstallWithTheEmulatorsAndTheWatchdog()
    {
        var first = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var second = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.True(File.Exists(Path.Combine(first, "node_modules", "cognito-local", "lib", "bin", "start.js")));
        Assert.True(File.Exists(Path.Combine(first, "node_modules", "dynalite", "cli.js")));
        Assert.True(File.Exists(Path.Combine(first, "node_modules", "s3rver", "lib", "s3rver.js")));
        Assert.True(File.Exists(Path.Combine(first, "watchdog.js")));
        Assert.True(File.Exists(Path.Combine(first, "s3-local.js")));
    }

    [Fact]
    public async Task S3Local_Started_ListensOnLoopbackWithItsBucketAndStopsOnDispose()
    {
        var install = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var data = Directory.CreateTempSubdirectory("idrep-s3-").FullName;
        var started = TimeProvider.System.GetTimestamp();
        var s3 = await S3Local.StartAsync(install, data, "sandbox", ["idrep-test-bucket"], TimeProvider.System, CancellationToken.None);
        output.WriteLine($"s3rver listened after {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:0} ms");
        var pid = s3.ProcessId;
        try
        {
            using var http = new HttpClient { BaseAddress = s3.Url };
            var listing = await http.GetStringAsync("idrep-test-bucket");

            Assert.Equal("127.0.0.1", s3.Url.Host);
            Assert.Contains("<Name>idrep-test-bucket</Name>", listing, StringComparison.Ordinal);
        }
        finally
        {
            await s3.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }

        Assert.False(Processes.IsAlive(pid));
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
