using System.Diagnostics;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// Headless Chromium for checking what a person would see in an HTML report. Installs the Debian package
/// <c>chromium</c> if it is missing (CI runs as root), and runs it with a fresh profile, no network chatter and no
/// sandbox (containers lack the kernel features it needs).
/// </summary>
public static class Chromium
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<string> FindOrInstallAsync()
    {
        await Install.WaitAsync();
        try
        {
            var path = Find();
            if (path is null)
            {
                await RunAsync("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
                await RunAsync("apt-get", ["install", "-y", "-qq", "chromium"], TimeSpan.FromMinutes(10));
                path = Find();
            }

            return path ?? throw new InvalidOperationException("Chromium is not installed and could not be installed; run 'apt-get install chromium'.");
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>Loads a page and returns the DOM after its scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string url)
    {
        var chromium = await FindOrInstallAsync();
        var profile = Directory.CreateTempSubdirectory("idrep-chromium-");
        try
        {
            return await RunAsync(chromium, [.. Flags(profile.FullName), "--dump-dom", url], TimeSpan.FromMinutes(1));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Renders a page to a PNG file.</summary>
    public static async Task ScreenshotAsync(string url, string png)
    {
        var chromium = await FindOrInstallAsync();
        var profile = Directory.CreateTempSubdirectory("idrep-chromium-");
        try
        {
            await RunAsync(chromium, [.. Flags(profile.FullName), "--window-size=1200,900", $"--screenshot={png}", url], TimeSpan.FromMinutes(1));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string[] Flags(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
    ];

    private static string? Find() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium" }.FirstOrDefault(File.Exists);

    private static async Task<string> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout, TimeProvider.System);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await errors;
        return await output;
    }
}
