using System.Diagnostics;
using System.Net.Sockets;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// A Node.js emulator process on 127.0.0.1. Started with the watchdog preloaded (it exits when this process is
/// gone), ready once it gives its own answer on its port (a new port is tried when another service holds it), and killed with its whole tree on dispose. Its output is kept
/// in memory (the last lines, for error messages) and never logged: emulators print user data.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputGate = new();

    private NodeProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The last lines the process printed (for diagnosing a failed start).</summary>
    public string OutputTail
    {
        get
        {
            lock (_outputGate)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>How many ports a start tries before it gives up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// Starts the emulator on a free port and waits until it answers its own probe. When the process exits while starting
    /// (the port was taken between being chosen and being bound) or another service answers on the port, it tries again
    /// on a new port, at most <see cref="MaxAttempts"/> times, then throws <see cref="EmulatorStartException"/>.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(
        string installFolder,
        EmulatorLaunch launch,
        TimeProvider time,
        CancellationToken cancellationToken,
        Func<int>? nextPort = null)
    {
        var ports = new List<int>();
        var failures = new List<string>();
        var lastOutput = string.Empty;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var port = (nextPort ?? FreePort.Next)();
            ports.Add(port);
            var node = Launch(installFolder, launch, port);
            string? failure;
            try
            {
                failure = await node.WaitUntilReadyAsync(launch.Probe, time, TimeSpan.FromSeconds(60), cancellationToken);
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }

            if (failure is null)
            {
                return node;
            }

            failures.Add($"port {port}: {failure}");
            await node.DisposeAsync();
            lastOutput = node.OutputTail;
        }

        throw new EmulatorStartException(
            $"{launch.Name} did not start on 127.0.0.1 in {MaxAttempts} attempts, each on a new free port ({string.Join("; ", failures)}). " +
            $"Ports taken before they were bound mean other servers are starting at the same time (parallel test runs); retry, or run fewer at once. Its last output:{Environment.NewLine}{lastOutput}")
        {
            Emulator = launch.Name,
            Ports = ports,
        };
    }

    private static NodeProcess Launch(string installFolder, EmulatorLaunch launch, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(Path.Combine(installFolder, "watchdog.js"));
        start.ArgumentList.Add(Path.Combine(installFolder, launch.Script));
        foreach (var argument in launch.Arguments(port))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in launch.Environment(port))
        {
            start.Environment[key] = value;
        }

        start.Environment["IDREP_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start node for {launch.Name}.");
        var node = new NodeProcess(launch.Name, process, port);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (OperationCanceledException)
        {
            // It did not die in time; the watchdog will still end it once we are gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Null once the emulator answers its probe on its port and holds the port itself; else why this attempt failed.</summary>
    private async Task<string?> WaitUntilReadyAsync(
        Func<HttpClient, Uri, CancellationToken, Task<ProbeAnswer>> probe,
        TimeProvider time,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                return $"exited with code {_process.ExitCode} while starting (the port taken, or a crash)";
            }

            var answer = await probe(http, Url, cancellationToken);
            if (answer == ProbeAnswer.Foreign)
            {
                return "another service answered on the port";
            }

            if (answer == ProbeAnswer.Ready)
            {
                // The answer can come from another emulator of the same kind that holds the port, before this one has
                // failed to bind it: ready means this process listens there.
                return PortOwner.Listens(_process.Id, Port) switch
                {
                    false when _process.HasExited => $"exited with code {_process.ExitCode} while starting (the port taken, or a crash)",
                    false => "another emulator of the same kind answered on the port",
                    _ when _process.HasExited => $"exited with code {_process.ExitCode} after answering",
                    _ => null,
                };
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{Name} did not answer on 127.0.0.1:{Port} within {timeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{OutputTail}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}

/// <summary>Free TCP ports on 127.0.0.1.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
