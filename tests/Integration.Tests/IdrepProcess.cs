using System.Diagnostics;
using System.Text;

namespace IdentityReplicator.Integration.Tests;

/// <summary>Runs the built <c>idrep</c> command as a child process (as an operator would), with its output captured.</summary>
internal sealed class IdrepProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private IdrepProcess(Process process)
    {
        _process = process;
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard output alone (<see cref="Output"/> has both streams).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _standardOutput.ToString();
            }
        }
    }

    public static IdrepProcess Start(params string[] arguments) => Start(null, arguments);

    /// <summary>
    /// Starts idrep with <paramref name="environment"/> as its only <c>IDREP_</c> variables (those of the test process
    /// are removed, except the emulator cache), as a container configured by its task definition runs it.
    /// </summary>
    public static IdrepProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("IDREP_", StringComparison.Ordinal) && k != "IDREP_CACHE_DIR").ToList())
            {
                start.Environment.Remove(inherited);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(CliPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start idrep.");
        var idrep = new IdrepProcess(process);
        process.OutputDataReceived += (_, e) => idrep.Append(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => idrep.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return idrep;
    }

    public static Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments) => RunAsync(timeout, null, arguments);

    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var idrep = Start(environment, arguments);
        await idrep._process.WaitForExitAsync().WaitAsync(timeout, TimeProvider.System);
        idrep._process.WaitForExit();
        return (idrep.ExitCode, idrep.Output);
    }

    /// <summary>Waits for the process to end (and its output to be read) within <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout, TimeProvider.System);
        _process.WaitForExit();
    }

    /// <summary>Completes once a line of output (either stream) contains <paramref name="text"/>: a signal, not a poll.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _awaited.Add((text, seen));
        }

        return seen.Task.WaitAsync(timeout, TimeProvider.System);
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it: the command may clean up and say so.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: no chance to clean up or save anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line, bool standardOutput = false)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
                if (standardOutput)
                {
                    _standardOutput.AppendLine(line);
                }

                foreach (var awaited in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
                {
                    _awaited.Remove(awaited);
                    awaited.Seen.TrySetResult();
                }
            }
        }
    }

    /// <summary>A file of the repository these tests were built from (e.g. <c>Dockerfile</c>).</summary>
    public static string RepositoryFile(params string[] path)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IdentityReplicator.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine([root?.FullName ?? throw new InvalidOperationException("Cannot find the solution folder."), .. path]);
    }

    /// <summary>The idrep.dll built beside these tests (same configuration).</summary>
    private static string CliPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = RepositoryFile("src", "Cli", "bin", configuration, "net10.0", "idrep.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first; idrep.dll is missing.", path);
    }
}
