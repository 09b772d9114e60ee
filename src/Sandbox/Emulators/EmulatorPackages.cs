using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// Installs the emulators (cognito-local, dynalite, s3rver) from the lockfile embedded in this assembly with
/// <c>npm ci</c>, once per lockfile version, into a per-user cache folder. Concurrent callers (parallel test
/// assemblies) wait for one install under a file lock.
/// </summary>
internal static class EmulatorPackages
{
    private static readonly string[] Files = ["package.json", "package-lock.json", "watchdog.js", "coalesce-writes.js", "s3-local.js"];
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>Where installs are cached: <c>IDREP_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/identity-replicator</c>, else <c>~/.cache/identity-replicator</c>.</summary>
    public static string CacheRoot
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable("IDREP_CACHE_DIR");
            if (!string.IsNullOrEmpty(explicitDir))
            {
                return explicitDir;
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "identity-replicator");
        }
    }

    /// <summary>How often a first-run install says it is still going.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the folder holding <c>node_modules</c> and <c>watchdog.js</c>, installing first if needed; a first-run
    /// install is announced through <paramref name="progress"/> and says it is still going every <see cref="ProgressInterval"/>.
    /// </summary>
    public static Task<string> EnsureInstalledAsync(ILogger logger, TimeProvider time, CancellationToken cancellationToken, Action<string>? progress = null) =>
        EnsureInstalledAsync(typeof(EmulatorPackages).Assembly, "emulators", Files, logger, time, cancellationToken, progress);

    /// <summary>
    /// Installs another npm package embedded in <paramref name="assembly"/> the same way (e.g. the tests' conformance
    /// client): resources <c>&lt;name&gt;/&lt;file&gt;</c>, one of them a <c>package-lock.json</c>, into
    /// <c>&lt;cache&gt;/&lt;name&gt;-&lt;hash&gt;</c>. Returns that folder.
    /// </summary>
    public static async Task<string> EnsureInstalledAsync(Assembly assembly, string name, IReadOnlyList<string> files, ILogger logger, TimeProvider time, CancellationToken cancellationToken, Action<string>? progress = null)
    {
        var contents = files.ToDictionary(f => f, f => ReadResource(assembly, name, f));
        var version = Convert.ToHexStringLower(SHA256.HashData(contents.Values.SelectMany(c => c).ToArray()))[..12];
        var target = Path.Combine(CacheRoot, name + "-" + version);
        var marker = Path.Combine(target, ".installed");
        if (File.Exists(marker))
        {
            return target;
        }

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(CacheRoot);
            await using var fileLock = await AcquireLockAsync(target + ".lock", time, cancellationToken);
            if (File.Exists(marker))
            {
                return target;
            }

            EnsureTool("node");
            EnsureTool("npm");
            var staging = $"{target}.tmp-{Environment.ProcessId}";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            Directory.CreateDirectory(staging);
            foreach (var (file, bytes) in contents)
            {
                await File.WriteAllBytesAsync(Path.Combine(staging, file), bytes, cancellationToken);
            }

            logger.LogInformation("Installing the npm package {Name} (npm ci, first use only) into {Folder}", name, target);
            progress?.Invoke(name == "emulators" ? "Installing the local emulators (first run, about a minute)…" : $"Installing {name} (first run)…");
            var started = time.GetTimestamp();
            using (progress is null ? null : time.CreateTimer(_ => progress($"  still installing ({time.GetElapsedTime(started).TotalSeconds:0} s)…"), null, ProgressInterval, ProgressInterval))
            {
                await RunNpmCiAsync(staging, cancellationToken);
            }

            progress?.Invoke($"  installed in {time.GetElapsedTime(started).TotalSeconds:0} s; later runs start in seconds.");
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            await File.WriteAllTextAsync(marker, version, cancellationToken);
            return target;
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static byte[] ReadResource(Assembly assembly, string prefix, string name)
    {
        using var stream = assembly.GetManifestResourceStream($"{prefix}/{name}")
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} lacks its embedded {prefix}/{name}; rebuild the solution.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static async Task<FileStream> AcquireLockAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            }
        }
    }

    private static async Task RunNpmCiAsync(string folder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'npm ci' in {folder} failed with exit code {process.ExitCode}; check that the npm registry is reachable. npm said:{Environment.NewLine}{await stderr}{await stdout}");
        }
    }

    private static void EnsureTool(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        if (!path.Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, name))))
        {
            throw new InvalidOperationException($"'{name}' is not on PATH; the sandbox needs Node.js 20 or newer with npm to run its emulators.");
        }
    }
}
