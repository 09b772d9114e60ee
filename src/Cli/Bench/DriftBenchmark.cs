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
        var run = await MeasuredProcess.RunAsync(["drift", "--config", sandbox.ConfigFile, "-o", "json", "--out", report], time, null, cancellationToken);
        if (run.ExitCode is not (0 or 1))
        {
            progress(run.Errors);
            throw new InvalidOperationException($"'idrep drift' failed with exit code {run.ExitCode}.");
        }

        var differences = JsonNode.Parse(await File.ReadAllTextAsync(report, cancellationToken))?["summary"]?["differences"]?.GetValue<int>() ?? -1;
        var listCalls = new[] { sandbox.Primary, sandbox.Standby }.Sum(p => sandbox.QuotaProxyOf(p).Counters.GetValueOrDefault(QuotaCategory.UserList)?.Allowed ?? 0);
        var primaryList = sandbox.QuotaProxyOf(sandbox.Primary).Counters.GetValueOrDefault(QuotaCategory.UserList)?.Allowed ?? 0;
        var ceiling = primaryList / (CognitoQuotas.DefaultRate(QuotaCategory.UserList) * QuotaOptions.PrimaryShare);
        return new DriftBenchResult(users, run.Seconds, run.PeakMb, differences, listCalls, ceiling);
    }
}
