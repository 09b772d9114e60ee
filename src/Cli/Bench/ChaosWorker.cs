using System.Diagnostics;
using System.Globalization;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// <c>idrep worker --config FILE</c> as its own OS process, the way a container runs it, that the benchmark SIGKILLs
/// (no chance to save anything on the way out) and starts again at once, as a supervisor would. The worker's output
/// is drained and its last lines kept, for a worker that dies on its own. Disposing kills the current process. Several
/// may run at once on one configuration, each named for the progress it reports.
/// </summary>
internal sealed class ChaosWorker(string configFile, Action<string> progress, string name = "the worker") : IDisposable
{
    private const int KeptLines = 40;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private readonly Lock _tailGate = new();
    private Process? _process;
    private bool _disposed;

    public string Name => name;

    public int Kills { get; private set; }

    /// <summary>Times the worker had exited on its own and was started again.</summary>
    public int Crashes { get; private set; }

    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var process = Process.Start(IdrepSelf.StartInfo(["worker", "--config", configFile])) ?? throw new InvalidOperationException("Could not start 'idrep worker'.");
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
        }
    }

    /// <summary>SIGKILL, then a new worker at once.</summary>
    public void KillAndRestart()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Stop();
            Kills++;
            Start();
        }
    }

    /// <summary>Starts a worker again if the last one exited on its own (and says so, with its last lines).</summary>
    public void EnsureRunning()
    {
        lock (_gate)
        {
            if (!_disposed && _process is { HasExited: true } exited)
            {
                Crashes++;
                progress(string.Create(CultureInfo.InvariantCulture, $"  {name} exited on its own (exit code {exited.ExitCode}); starting it again. Its last lines:{Environment.NewLine}{Tail()}"));
                exited.Dispose();
                _process = null;
                Start();
            }
        }
    }

    /// <summary>Kills the current worker; no worker starts after this.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Stop();
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }

    private string Tail()
    {
        lock (_tailGate)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tailGate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
