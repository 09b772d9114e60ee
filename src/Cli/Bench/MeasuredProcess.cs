using System.Diagnostics;
using System.Globalization;

namespace IdentityReplicator.Cli.Bench;

/// <summary>How a child idrep ran: wall time, peak resident memory (VmHWM) and exit code, and what it wrote to standard error.</summary>
internal sealed record MeasuredRun(double Seconds, double PeakMb, int ExitCode, string Errors)
{
    /// <summary>User + system CPU seconds, as last read before it exited (within one 20 ms poll of the end).</summary>
    public double CpuSeconds { get; init; }

    /// <summary>When it was started (a timestamp of the benchmark's <see cref="TimeProvider"/>).</summary>
    public long StartedTimestamp { get; init; }

    /// <summary>What it wrote to standard output.</summary>
    public string Output { get; init; } = string.Empty;
}

/// <summary>Runs this idrep again as its own process (as an operator runs it) and measures it.</summary>
internal static class MeasuredProcess
{
    /// <summary>
    /// Runs <c>idrep <paramref name="arguments"/></c>. Its peak memory is the kernel's high-water mark of its resident set
    /// (VmHWM in /proc/&lt;pid&gt;/status), read until it exits; standard error lines go to <paramref name="errorLine"/>.
    /// </summary>
    public static async Task<MeasuredRun> RunAsync(IEnumerable<string> arguments, TimeProvider time, Action<string>? errorLine, CancellationToken cancellationToken)
    {
        var start = IdrepSelf.StartInfo(arguments);
        var started = time.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start idrep.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = new System.Text.StringBuilder();
        var errorsRead = Task.Run(
            async () =>
            {
                while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
                {
                    errors.AppendLine(line);
                    errorLine?.Invoke(line);
                }
            },
            cancellationToken);
        long peakKb = 0;
        double cpu = 0;
        var status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadPeakKb(status));
            cpu = Math.Max(cpu, ProcessCpu.Read(process.Id) ?? 0);
            await Task.WhenAny(process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken));
        }

        await process.WaitForExitAsync(cancellationToken);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        await errorsRead;
        return new MeasuredRun(seconds, peakKb / 1024.0, process.ExitCode, errors.ToString()) { CpuSeconds = cpu, StartedTimestamp = started, Output = await output };
    }

    private static long ReadPeakKb(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process ended between two reads.
        }

        return 0;
    }
}
