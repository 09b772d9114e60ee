using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.VirtualPool;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Bench;

/// <summary>What <c>idrep bench drift|sweep --virtual</c> measured (the JSON line of docs/performance.md).</summary>
internal sealed record VirtualBenchResult(
    int Users,
    double ElapsedS,
    double BoundS,
    double PeakMemoryMb,
    int DifferencesFound,
    int DifferencesInjected,
    double QuotaScale,
    long UserListCalls)
{
    public double Efficiency => ElapsedS > 0 ? BoundS / ElapsedS : 0;

    /// <summary>User + system CPU seconds of the measured process: beside <see cref="ElapsedS"/>, whether it waited on its quota or on a starved CPU.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>
    /// CPU seconds this benchmark process spent while the measured process ran: the two virtual pools (their pages) and
    /// their quota proxies, which share the machine's cores with it (the mirror's emulator, a Node.js process, is not counted).
    /// </summary>
    public double ServerCpuSeconds { get; init; }

    /// <summary>What the elapsed time is of: <c>drift</c>, or <see cref="VirtualBenchmark.SteadySweep"/>.</summary>
    public string Measures { get; init; } = "drift";

    /// <summary>Where the elapsed time went, from the calls the quota proxy let through.</summary>
    public ListingPhases? Phases { get; init; }

    public JsonObject ToJson() => new()
    {
        ["users"] = Users,
        ["elapsedS"] = Math.Round(ElapsedS, 2),
        ["boundS"] = Math.Round(BoundS, 2),
        ["efficiency"] = Math.Round(Efficiency, 3),
        ["peakMemoryMb"] = Math.Round(PeakMemoryMb, 1),
        ["differencesFound"] = DifferencesFound,
        ["differencesInjected"] = DifferencesInjected,
        ["quotaScale"] = QuotaScale,
        ["cpuSeconds"] = Math.Round(CpuSeconds, 2),
        ["serverCpuSeconds"] = Math.Round(ServerCpuSeconds, 2),
        ["measures"] = Measures,
        ["phases"] = Phases?.ToJson(),
    };
}

/// <summary>
/// The measured process's elapsed time split at the slower pool's UserList calls: the start before the first, the
/// listing from the first to the last, the tail after it (pairing, reading differing users again, writing the report);
/// and the UserList calls per second the listing actually issued against the budget it had.
/// </summary>
internal sealed record ListingPhases(double StartS, double ListingS, double TailS, double UserListPerS, double UserListBudgetPerS)
{
    /// <summary>Splits <paramref name="run"/> at <paramref name="span"/> (the slower pool's UserList calls), measured with <paramref name="time"/>.</summary>
    public static ListingPhases? Of(MeasuredRun run, CallSpan? span, double budgetPerS, TimeProvider time)
    {
        if (span is null)
        {
            return null;
        }

        var start = time.GetElapsedTime(run.StartedTimestamp, span.FirstTimestamp).TotalSeconds;
        var listing = time.GetElapsedTime(span.FirstTimestamp, span.LastTimestamp).TotalSeconds;
        return new ListingPhases(start, listing, Math.Max(0, run.Seconds - start - listing), listing > 0 ? span.Calls / listing : 0, budgetPerS);
    }

    public JsonObject ToJson() => new()
    {
        ["startS"] = Math.Round(StartS, 2),
        ["listingS"] = Math.Round(ListingS, 2),
        ["tailS"] = Math.Round(TailS, 2),
        ["userListPerS"] = Math.Round(UserListPerS, 2),
        ["userListBudgetPerS"] = Math.Round(UserListBudgetPerS, 2),
    };
}

/// <summary>Which operation the virtual benchmark measures.</summary>
internal enum VirtualBenchKind
{
    Drift,
    Sweep,
}

/// <summary>
/// <c>idrep bench drift|sweep --virtual</c>: <c>idrep drift</c> (or one pass of the primary sweep, <c>idrep sweep</c>)
/// run as its own process over two virtual pools of N users (<see cref="VirtualSandbox"/>) with a chosen number of
/// injected differences, behind the quota proxy at Cognito's quotas times <c>quotaScale</c> (the client's budgets are
/// scaled alike). The bound is the UserList listing of the slower pool — ⌈N/60⌉ ListUsers pages, the membership pages of
/// every group and the ListGroups pages — at its configured share of the scaled 30 calls/s.
/// </summary>
internal sealed class VirtualBenchmark(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    /// <summary>What a sweep benchmark measures: one pass over a pool the mirror already holds.</summary>
    public const string SteadySweep = "sweep, steady state (mirror pre-filled)";

    /// <summary>The default quota scale: Cognito's own quotas up to 50,000 users, then enough to keep the bound near two minutes.</summary>
    public static double DefaultScale(int users) => Math.Max(1, Math.Ceiling(users / 50_000.0));

    public async Task<VirtualBenchResult> RunAsync(VirtualBenchKind kind, VirtualPoolOptions pool, double quotaScale, CancellationToken cancellationToken)
    {
        progress($"Starting two virtual pools of {pool.Users} users ({pool.Differences} differences injected into the standby), quotas ×{quotaScale}…");
        var options = new SandboxOptions();
        await using var sandbox = await VirtualSandbox.StartAsync(pool, quotaScale, options, loggers, time, cancellationToken);
        if (kind == VirtualBenchKind.Sweep)
        {
            var filling = time.GetTimestamp();
            var filled = await MirrorPrefill.FillAsync(sandbox, options, time, cancellationToken);
            progress(string.Create(CultureInfo.InvariantCulture, $"Pre-filled the mirror with {filled} users by batch writes in {time.GetElapsedTime(filling).TotalSeconds:0.0} s (not measured): the sweep measured is a steady-state pass."));
        }

        var report = Path.Combine(sandbox.DataDirectory, "drift.json");
        string[] arguments = kind == VirtualBenchKind.Drift
            ? ["drift", "--config", sandbox.ConfigFile, "--format", "json", "--out", report]
            : ["sweep", "--config", sandbox.ConfigFile, "--json"];
        progress($"Running 'idrep {arguments[0]}' as its own process…");
        var serverCpu = Environment.CpuUsage.TotalTime;
        var run = await MeasuredProcess.RunAsync(arguments, time, progress, cancellationToken);
        serverCpu = Environment.CpuUsage.TotalTime - serverCpu;
        if (run.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"'idrep {arguments[0]}' failed with exit code {run.ExitCode}.");
        }

        // Drift: the differences its report found. Sweep: what it recorded (users and groups the pre-filled mirror did not hold).
        var found = kind == VirtualBenchKind.Drift
            ? JsonNode.Parse(await File.ReadAllTextAsync(report, cancellationToken))?["summary"]?["differences"]?.GetValue<int>() ?? -1
            : JsonNode.Parse(run.Output)?["recorded"]?.GetValue<int>() ?? -1;
        var calls = new[] { VirtualSide.Primary, VirtualSide.Standby }.Sum(s => sandbox.QuotaProxyOf(s).Counters.GetValueOrDefault(QuotaCategory.UserList)?.Allowed ?? 0);
        var primaryBound = Bound(pool, VirtualSide.Primary, QuotaOptions.PrimaryShare * quotaScale);
        var standbyBound = Bound(pool, VirtualSide.Standby, QuotaOptions.StandbyShare * quotaScale);
        var slower = kind == VirtualBenchKind.Sweep || primaryBound >= standbyBound ? VirtualSide.Primary : VirtualSide.Standby;
        var bound = slower == VirtualSide.Primary ? primaryBound : standbyBound;
        var share = slower == VirtualSide.Primary ? QuotaOptions.PrimaryShare : QuotaOptions.StandbyShare;
        var phases = ListingPhases.Of(run, sandbox.TimelineOf(slower).Of(QuotaCategory.UserList), CognitoQuotas.DefaultRate(QuotaCategory.UserList) * share * quotaScale, time);
        return new VirtualBenchResult(pool.Users, run.Seconds, bound, run.PeakMb, found, kind == VirtualBenchKind.Drift ? pool.Differences : 0, quotaScale, calls)
        {
            CpuSeconds = run.CpuSeconds,
            ServerCpuSeconds = serverCpu.TotalSeconds,
            Measures = kind == VirtualBenchKind.Drift ? "drift" : SteadySweep,
            Phases = phases,
        };
    }

    /// <summary>Seconds the UserList calls of one pool's full listing take at <paramref name="share"/> of 30 calls/s.</summary>
    public static double Bound(VirtualPoolOptions pool, VirtualSide side, double share) =>
        UserListPages(pool, side) / (CognitoQuotas.DefaultRate(QuotaCategory.UserList) * share);

    /// <summary>ListUsers pages, ListUsersInGroup pages of every group, and ListGroups pages of one side's full listing.</summary>
    public static long UserListPages(VirtualPoolOptions pool, VirtualSide side)
    {
        var users = new VirtualUsers(pool, side);
        var present = side == VirtualSide.Primary ? pool.Users : pool.Users - Count(users, VirtualDifference.Missing);
        var members = new long[pool.Groups];
        for (var i = 0; i < pool.Users && pool.Groups > 0; i++)
        {
            members[i % pool.Groups] += users.User(i)?.Group is null ? 0 : 1;
        }

        const int page = CognitoQuotas.ListUsersPageLimit;
        return Pages(present) + members.Sum(Pages) + Pages(pool.Groups);

        static long Pages(long items) => Math.Max(1, (items + page - 1) / page);
    }

    private static int Count(VirtualUsers users, VirtualDifference kind) =>
        Enumerable.Range(0, users.Count).Count(i => users.DifferenceOf(i) == kind);
}
