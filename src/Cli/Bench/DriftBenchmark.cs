using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Bench;

internal sealed record DriftBenchResult(int Users, double ElapsedS, double PeakMemoryMb, int Differences, long ListUsersCalls, double CeilingS);

/// <summary>
/// <c>idrep bench drift</c>: the time and peak memory of <c>idrep drift</c> (run as its own process, as an operator
/// runs it) over two pools of N users in step, with Cognito's default quotas enforced and listings paged 60 at a time.
/// </summary>
internal sealed class DriftBenchmark(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    public async Task<DriftBenchResult> RunAsync(int users, int groups, CancellationToken cancellationToken)
    {
        progress("Starting the sandbox…");
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), loggers, time, cancellationToken);
        progress($"Creating {users} users in {groups} groups in the primary…");
        await BenchPools.SeedPrimaryAsync(sandbox, users, groups, progress, cancellationToken);
        progress("Filling the standby (quotas off)…");
        var unlimited = Enum.GetValues<QuotaCategory>().SelectMany(c => new[] { "Primary", "Standby" }.Select(r => KeyValuePair.Create($"Quotas:{r}:Rates:{c}", (string?)"10000")));
        await using (var services = ToolHost.Build(sandbox.Configuration(new Dictionary<string, string?>(unlimited)), verbose: false))
        {
            await services.GetRequiredService<FullSync>().RunAsync(new SyncRequest(), null, cancellationToken);
        }

        progress("Running 'idrep drift' with Cognito's default quotas enforced…");
        var proxy = new QuotaProxyOptions();
        sandbox.QuotaProxyOf(sandbox.Primary).Configure(proxy);
        sandbox.QuotaProxyOf(sandbox.Standby).Configure(proxy);
        var report = Path.Combine(sandbox.DataDirectory, "drift.json");
        var (seconds, peakMb, exit) = await RunMeasuredAsync(["drift", "--config", sandbox.ConfigFile, "--format", "json", "--out", report], cancellationToken);
        if (exit is not (0 or 1))
        {
            throw new InvalidOperationException($"'idrep drift' failed with exit code {exit}.");
        }

        var differences = JsonNode.Parse(await File.ReadAllTextAsync(report, cancellationToken))?["summary"]?["differences"]?.GetValue<int>() ?? -1;
        var listCalls = new[] { sandbox.Primary, sandbox.Standby }.Sum(p => sandbox.QuotaProxyOf(p).Counters.GetValueOrDefault(QuotaCategory.UserList)?.Allowed ?? 0);
        var primaryList = sandbox.QuotaProxyOf(sandbox.Primary).Counters.GetValueOrDefault(QuotaCategory.UserList)?.Allowed ?? 0;
        var ceiling = primaryList / (CognitoQuotas.DefaultRate(QuotaCategory.UserList) * QuotaOptions.PrimaryShare);
        return new DriftBenchResult(users, seconds, peakMb, differences, listCalls, ceiling);
    }

    /// <summary>Runs this idrep again with <paramref name="arguments"/>; wall time, peak resident memory (VmHWM) and exit code.</summary>
    private async Task<(double Seconds, double PeakMb, int ExitCode)> RunMeasuredAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = IdrepSelf.StartInfo(arguments);
        var started = time.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start idrep.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        long peakKb = 0;
        var status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadPeakKb(status));
            await Task.WhenAny(process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken));
        }

        await process.WaitForExitAsync(cancellationToken);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        await output;
        if (process.ExitCode is not (0 or 1))
        {
            progress(await errors);
        }

        return (seconds, peakKb / 1024.0, process.ExitCode);
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
