using System.Globalization;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Bench;

internal sealed record SyncBenchOptions(int Users, int Groups, double? Scale = null, double Share = 1.0, int Concurrency = 64, bool SkipBaseline = false);

/// <summary>One category's calls in a run, and what they cost at its budget.</summary>
internal sealed record CategoryLoad(string Pool, QuotaCategory Category, long Calls, double Budget)
{
    public double Seconds => Calls / Budget;
}

internal sealed record SyncBenchResult(
    int Users,
    double ElapsedS,
    double CeilingS,
    double Efficiency,
    double BaselineS,
    double Speedup,
    double SpeedupBound,
    double Scale,
    long Throttles,
    long BaselineThrottles,
    IReadOnlyList<CategoryLoad> Loads,
    bool Converged);

/// <summary>
/// <c>idrep bench sync</c>: full sync of N users in G groups into an empty standby, on the sandbox with Cognito's
/// quotas enforced by the quota proxy (scaled so the run takes about a minute), against the quota-bound ceiling
/// (the slowest category's calls ÷ its budget) and against a baseline measured in the same run under the same proxy:
/// the standby filled as backup/restore tools fill it, one call at a time, throttling handled by retry with backoff
/// (<see cref="SequentialRestore"/>).
/// </summary>
internal sealed class SyncBenchmark(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    /// <summary>Scale that makes the default-quota ceiling of the workload about a minute (never below Cognito's defaults).</summary>
    public static double AutoScale(int users) => Math.Max(1.0, users / CognitoQuotas.DefaultRate(QuotaCategory.UserResourceUpdate) / 60.0);

    public async Task<SyncBenchResult> RunAsync(SyncBenchOptions options, CancellationToken cancellationToken)
    {
        var scale = options.Scale ?? AutoScale(options.Users);
        var proxy = new QuotaProxyOptions { Scale = scale };
        progress("Starting the sandbox…");
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), loggers, time, cancellationToken);
        progress($"Creating {options.Users} users in {options.Groups} groups in the primary…");
        await BenchPools.SeedPrimaryAsync(sandbox, options.Users, options.Groups, progress, cancellationToken);

        progress($"Full sync with the quota proxy on (Cognito's default quotas × {scale:0.##})…");
        var (elapsed, ours) = await SyncOnceAsync(sandbox, proxy, options, "bench-concurrent", cancellationToken);
        var loads = Loads(sandbox, proxy, options.Share);
        var throttles = sandbox.QuotaProxyOf(sandbox.Primary).Throttled + sandbox.QuotaProxyOf(sandbox.Standby).Throttled;
        var converged = ours.Failed == 0 && await BenchPools.CountUsersAsync(sandbox, sandbox.Standby, cancellationToken) == options.Users;
        var ceiling = loads.Max(l => l.Seconds);
        var bound = loads.Sum(l => l.Seconds) / ceiling;
        progress(string.Create(CultureInfo.InvariantCulture, $"  {elapsed:0.0} s (ceiling {ceiling:0.0} s), {throttles} throttled calls"));

        double baselineS = 0;
        long baselineThrottles = 0;
        if (!options.SkipBaseline)
        {
            progress("Emptying the standby for the baseline…");
            sandbox.QuotaProxyOf(sandbox.Primary).Configure(null);
            sandbox.QuotaProxyOf(sandbox.Standby).Configure(null);
            await BenchPools.EmptyStandbyAsync(sandbox, cancellationToken);
            progress("Baseline: as backup/restore tools do it, one call at a time, retrying throttled calls with backoff…");
            var policy = new OneAtATimePolicy(time);
            var restore = new SequentialRestore(sandbox.Client(sandbox.Primary, policy), sandbox.Primary.UserPoolId, sandbox.Client(sandbox.Standby, policy), sandbox.Standby.UserPoolId);
            sandbox.QuotaProxyOf(sandbox.Primary).Configure(proxy);
            sandbox.QuotaProxyOf(sandbox.Standby).Configure(proxy);
            var started = time.GetTimestamp();
            await restore.RunAsync(cancellationToken);
            baselineS = time.GetElapsedTime(started).TotalSeconds;
            baselineThrottles = policy.Throttles;
            converged &= await BenchPools.CountUsersAsync(sandbox, sandbox.Standby, cancellationToken) == options.Users;
            progress(string.Create(CultureInfo.InvariantCulture, $"  {baselineS:0.0} s, {baselineThrottles} throttled calls"));
        }

        return new SyncBenchResult(
            options.Users,
            elapsed,
            ceiling,
            ceiling / elapsed,
            baselineS,
            baselineS > 0 ? baselineS / elapsed : 0,
            bound,
            scale,
            throttles,
            baselineThrottles,
            loads,
            converged);
    }

    /// <summary>One full sync into the (empty) standby with a fresh mirror table; returns its wall time.</summary>
    private async Task<(double Seconds, SyncResult Result)> SyncOnceAsync(
        SandboxEnvironment sandbox, QuotaProxyOptions proxy, SyncBenchOptions options, string table, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Mirror:TableName"] = await BenchPools.NewMirrorTableAsync(sandbox, table, cancellationToken),
            ["Sync:Concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var role in new[] { "Primary", "Standby" })
        {
            foreach (var category in Enum.GetValues<QuotaCategory>())
            {
                overrides[$"Quotas:{role}:Rates:{category}"] = (proxy.RateOf(category) * options.Share).ToString("R", CultureInfo.InvariantCulture);
            }
        }

        await using var services = ToolHost.Build(sandbox.Configuration(overrides), verbose: false);
        var sync = services.GetRequiredService<FullSync>();
        sandbox.QuotaProxyOf(sandbox.Primary).Configure(proxy);
        sandbox.QuotaProxyOf(sandbox.Standby).Configure(proxy);
        var started = time.GetTimestamp();
        var result = await sync.RunAsync(new SyncRequest(), null, cancellationToken);
        return (time.GetElapsedTime(started).TotalSeconds, result);
    }

    /// <summary>Calls per category that reached each pool (the proxy's count), and their cost at the budget.</summary>
    private static List<CategoryLoad> Loads(SandboxEnvironment sandbox, QuotaProxyOptions proxy, double share) =>
        [.. new[] { ("primary", sandbox.Primary), ("standby", sandbox.Standby) }
            .SelectMany(p => sandbox.QuotaProxyOf(p.Item2).Counters.Select(c => new CategoryLoad(p.Item1, c.Key, c.Value.Allowed, proxy.RateOf(c.Key) * share)))
            .Where(l => l.Calls > 0)
            .OrderByDescending(l => l.Seconds)];
}

