using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Cli.Bench;

internal sealed record ChaosBenchOptions(int Users = 2000, int Changes = 2000, double Throttle = 0.2, double Errors = 0.01, int Kills = 3, int Seed = 1)
{
    /// <summary>Share of the stale CloudTrail events delivered again, twice each.</summary>
    public double ReplayShare { get; init; } = 0.05;

    /// <summary>Hostile deliveries (<see cref="HostilePlan"/>) injected during the writes, as a share of the application's writes.</summary>
    public double Hostile { get; init; } = 0.05;

    /// <summary>Worker processes run at once against the same configuration; the kills are spread over them.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Writes the application makes at the same time.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>The longest wait for the standby after the writes and replays; default 120 s + 0.25 s per user and change.</summary>
    public TimeSpan? ConvergenceTimeout { get; init; }

    /// <summary>The wait also ends once neither the standby's writes nor its differences have moved for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

internal sealed record ChaosBenchResult(
    ChaosBenchOptions Options,
    int Kills,
    ChaosTally Tally,
    int DriftDifferences,
    int Parked,
    bool Converged,
    double? ConvergeAfterLastKillS,
    BudgetUse Budget,
    int Replayed,
    FaultCounters Faults,
    long ProxyThrottled,
    int WorkerCrashes,
    double ElapsedS)
{
    /// <summary>What the hostile stream did (none when the share was 0).</summary>
    public HostileTally Hostile { get; init; } = HostileTally.None;

    public bool Passed => Tally.Lost == 0 && Tally.Wrong == 0 && DriftDifferences == 0 && Hostile.FailureCount == 0;

    public string ToJsonLine() => new JsonObject
    {
        ["users"] = Options.Users,
        ["changes"] = Options.Changes,
        ["throttleRate"] = Options.Throttle,
        ["errorRate"] = Options.Errors,
        ["kills"] = Kills,
        ["workers"] = Options.Workers,
        ["lost"] = Tally.Lost,
        ["wrong"] = Tally.Wrong,
        ["driftDifferences"] = DriftDifferences,
        ["parked"] = Parked,
        ["hostile"] = Hostile.Delivered,
        ["hostileRejected"] = Hostile.Rejected,
        ["hostileFailures"] = Hostile.FailureCount,
        ["converged"] = Converged,
        ["convergeAfterLastKillS"] = ConvergeAfterLastKillS is { } s ? Math.Round(s, 1) : null,
        ["standbyWritesPerS"] = Math.Round(Budget.WritesPerS, 1),
        ["standbyBudgetPerS"] = Math.Round(Budget.BudgetPerS, 1),
        ["budgetUse"] = Math.Round(Budget.Use, 3),
    }.ToJsonString();
}

/// <summary>
/// <c>idrep bench chaos</c>: replication attacked the ways production attacks it, on the sandbox (username pools).
/// The standby answers through a fault injector (throttling and 5xx at random) and Cognito's quotas; the worker runs
/// as its own process (<see cref="ChaosWorker"/>) and is SIGKILLed at random moments and started again; the
/// application creates users and changes them every way (<see cref="ChaosPlan"/>), keeping its own ledger of what it
/// intended; stale CloudTrail events are delivered again, late and twice (<see cref="CloudTrailReplay"/>). Then it
/// waits for the standby to converge, compares it user by user with the ledger and the primary
/// (<see cref="ChaosComparison"/>), and runs a drift report as <c>idrep drift</c> does.
/// </summary>
internal sealed class ChaosBenchmark(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    private static readonly TimeSpan ObserveInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    public async Task<ChaosBenchResult> RunAsync(ChaosBenchOptions options, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var plan = ChaosPlan.Generate(options.Users, options.Changes, options.Seed);
        var kills = ChaosPlan.Kills(options.Kills, plan.Count, options.Seed);
        progress("Starting the sandbox (pools that sign in by username, so deleted usernames can be created again)…");
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions { SignInByEmail = false }, loggers, time, cancellationToken);
        var proxy = sandbox.QuotaProxyOf(sandbox.Standby);
        proxy.Configure(new QuotaProxyOptions());
        var faults = sandbox.FaultsOf(sandbox.Standby);
        faults.Configure(new FaultOptions { Throttle = options.Throttle, ServerError = options.Errors, Seed = options.Seed });
        await using var tools = ToolHost.Build(sandbox.Configuration(), verbose: false);
        var isReplicated = tools.GetRequiredService<ApplyEngine>().IsReplicated;
        var budgets = tools.GetRequiredService<IOptionsMonitor<QuotaOptions>>().Get(PoolRoles.Standby);
        var hostile = HostilePlan.Generate(HostilePlan.CountFor(options.Hostile, plan.Count), plan.Count, sandbox.Primary.UserPoolId, sandbox.Standby.UserPoolId, options.Seed);

        // The application owns the primary's quotas (on AWS it would be throttled above them); the benchmark reads the
        // standby through the same faults the worker meets, so it retries as the tool does.
        var application = sandbox.Client(sandbox.Primary, new QuotaGovernor(new QuotaOptions { Share = 1.0 }, time, "chaos-application"));
        var primary = new CognitoUserDirectory(sandbox.Client(sandbox.Primary), sandbox.Primary.UserPoolId);
        var standby = new CognitoUserDirectory(sandbox.Client(sandbox.Standby, new QuotaGovernor(new QuotaOptions(), time, "chaos-observer")), sandbox.Standby.UserPoolId);
        for (var g = 0; g < ChaosPlan.GroupCount; g++)
        {
            await application.CreateGroupAsync(new CreateGroupRequest(ChaosPlan.Group(g), sandbox.Primary.UserPoolId) { Description = $"Chaos team {g}", Precedence = g }, cancellationToken);
        }

        var ledger = new ChaosLedger();
        var meter = new StandbyWriteMeter(proxy, time);
        var written = new WriteProgress();
        using var outcomes = new HostileOutcomes();
        using var injector = new HostileInjector(sandbox);
        using var metering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var killing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var metered = meter.RunAsync(metering.Token);
        bool converged;
        long settledAt;
        long? lastKill = null;
        int replayed;
        var workers = Enumerable.Range(1, options.Workers).Select(i => new ChaosWorker(sandbox.ConfigFile, progress, options.Workers == 1 ? "the worker" : $"worker {i}")).ToList();
        try
        {
            workers.ForEach(w => w.Start());
            progress(string.Create(CultureInfo.InvariantCulture, $"{(options.Workers == 1 ? "Worker started as its own process" : $"{options.Workers} workers started, each its own process, on the same configuration")}. The standby throttles {options.Throttle:P0} and fails {options.Errors:P0} of calls at random; {options.Kills} SIGKILLs planned."));
            var reached = kills.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            var monkey = Task.Run(
                async () =>
                {
                    for (var i = 0; i < kills.Count; i++)
                    {
                        await reached[i].Task.WaitAsync(killing.Token);
                        await Task.Delay(kills[i].Delay, time, killing.Token);

                        // Spread over the workers in turn: with two, each is killed while the other carries on.
                        var victim = workers[i % workers.Count];
                        victim.KillAndRestart();
                        lastKill = time.GetTimestamp();
                        progress(string.Create(CultureInfo.InvariantCulture, $"  SIGKILLed {victim.Name} (kill {i + 1} of {kills.Count}, after {kills[i].AfterWrites} writes) and started it again"));
                    }
                },
                killing.Token);
            var injecting = injector.RunAsync(hostile, written, killing.Token);

            var writing = time.GetTimestamp();
            progress($"The application writes: {options.Users} users ({options.Users - (options.Users / 2)} by SignUp + ConfirmSignUp, {options.Users / 2} by AdminCreateUser), then {options.Changes} changes of every kind; {hostile.Count} hostile deliveries go in among them…");
            await new ChaosApplication(application, sandbox, ledger, options.Concurrency).RunAsync(plan, done => Written(done, plan.Count, kills, reached, written), cancellationToken);
            await monkey;
            await injecting;
            var writesDone = time.GetTimestamp();
            progress(string.Create(CultureInfo.InvariantCulture, $"  {plan.Count} writes in {time.GetElapsedTime(writing).TotalSeconds:0} s, the last at {time.GetUtcNow():HH:mm:ss.fff}; {injector.Delivered} hostile deliveries, {injector.Failures.Count} of them broke a rule"));

            var sample = CloudTrailReplay.Sample(sandbox.EventBus.Events, sandbox.Primary.UserPoolId, ledger, options.ReplayShare, options.Seed);
            progress($"Delivering {sample.All.Count} stale CloudTrail events again, twice each (late and duplicated, as EventBridge may); {sample.OldSubs.Count} of them name the old sub of a username created again since…");
            var undelivered = await CloudTrailReplay.ReplayAsync(sandbox.EventBus, sample.All, copies: 2, cancellationToken);
            replayed = sample.All.Count;
            if (undelivered > 0)
            {
                progress($"  {undelivered} deliveries failed every attempt (EventBridge would dead-letter them)");
            }

            progress("Waiting for the standby to hold every user as intended…");
            var timeout = options.ConvergenceTimeout ?? TimeSpan.FromSeconds(120 + ((options.Users + options.Changes) / 4.0));
            (converged, settledAt) = await ConvergeAsync(ledger, standby, meter, workers, isReplicated, timeout, options.StallTimeout, cancellationToken);
            lastKill ??= writesDone;
        }
        finally
        {
            // A failed write leaves kills and hostile deliveries waiting: none may start a worker once these are stopped.
            await killing.CancelAsync();
            workers.ForEach(w => w.Dispose());
            await metering.CancelAsync();
            await metered;
        }

        progress("Comparing the standby with the ledger and the primary, user by user, and running a drift report…");
        var tally = ChaosComparison.Tally(ledger, await PoolState.ReadAsync(standby, cancellationToken), await PoolState.ReadAsync(primary, cancellationToken), isReplicated);
        var report = await tools.GetRequiredService<DriftReporter>().RunAsync(new DriftRequest(), cancellationToken);
        var mirror = tools.GetRequiredKeyedService<IMirrorStore>(PoolRoles.Primary);
        var caseSensitive = tools.GetRequiredService<IOptions<ReplicationOptions>>().Value.UsernamesCaseSensitive;
        var applied = tools.GetRequiredService<IReplicaStateStore>();
        foreach (var finding in tally.Findings.Take(20))
        {
            // Versions recorded as applied that are not older than the mirror's, beside a standby that differs, mean a
            // write was lost after it was recorded (two workers racing): nothing will apply it again.
            var key = IdentityKeys.ForUsername(finding.Username, caseSensitive);
            var recorded = await mirror.GetUserAsync(key, cancellationToken);
            var state = await applied.GetAppliedAsync(sandbox.Standby.Region, EntityId.ForUser(key), cancellationToken);
            var intended = ledger.Current(finding.Username)?.Groups;
            var mirrorGroups = recorded?.Groups is { } held && intended is not null ? (intended.SetEquals(held) ? ", memberships as intended" : $", {held.Length} membership(s) where {intended.Count} were intended") : string.Empty;
            var record = recorded is null ? "nothing" : $"{(recorded.Deleted ? "a tombstone" : "a snapshot")} from {recorded.ChangeSource} at {recorded.ChangedAt:HH:mm:ss.fff}, versions {recorded.ProfileVersion}/{recorded.GroupsVersion}{mirrorGroups}";
            var standbyState = state is null ? "nothing applied" : $"versions {state.ProfileVersion}/{state.GroupsVersion} applied at {state.AppliedAt:HH:mm:ss.fff}";
            progress($"  {finding.Verdict.ToString().ToLowerInvariant()} {finding.Username}: {finding.Detail} (its changes: {finding.Story}; the mirror holds {record}; the standby's apply state: {standbyState})");
        }

        foreach (var parked in report.Parked.Take(20))
        {
            progress($"  parked {parked.Username ?? parked.Group}: {parked.Code}: {parked.Reason}");
        }

        if (tally.PrimaryNotAsIntended.Count > 0)
        {
            progress($"  the primary itself differs from the ledger for {tally.PrimaryNotAsIntended.Count} users (a fault of the benchmark or the emulator): {string.Join(", ", tally.PrimaryNotAsIntended.Take(10))}");
        }

        var hostility = await JudgeHostileAsync(injector, outcomes, tools.GetRequiredKeyedService<IMirrorCatalog>(PoolRoles.Primary), ledger, caseSensitive, cancellationToken);
        return new ChaosBenchResult(
            options,
            workers.Sum(w => w.Kills),
            tally,
            report.Summary.Differences,
            report.Summary.Parked,
            converged,
            converged ? time.GetElapsedTime(lastKill.Value, settledAt).TotalSeconds : null,
            BudgetUse.Of(meter.Samples, budgets.BudgetFor),
            replayed,
            faults.Counters,
            proxy.Throttled,
            workers.Sum(w => w.Crashes),
            time.GetElapsedTime(started).TotalSeconds)
        {
            Hostile = hostility,
        };
    }

    /// <summary>
    /// The hostile stream's verdict: the rules each delivery broke as it ended, and every mirror item of a user or
    /// group the application never made (only hostile input names such identities); with the Replicator's own count of
    /// what it refused.
    /// </summary>
    private async Task<HostileTally> JudgeHostileAsync(HostileInjector injector, HostileOutcomes outcomes, IMirrorCatalog catalog, ChaosLedger ledger, bool caseSensitive, CancellationToken cancellationToken)
    {
        var contents = await catalog.ReadAllAsync(appliedRegion: null, cancellationToken);
        var foreign = HostileJudge.ForeignItems(contents, ledger.Usernames, caseSensitive, Enumerable.Range(0, ChaosPlan.GroupCount).Select(ChaosPlan.Group));
        var tally = new HostileTally(injector.Delivered, outcomes.Rejected, [.. injector.Failures, .. foreign], outcomes.Counts);
        if (tally.Delivered > 0)
        {
            progress($"Hostile input: {tally.Delivered} deliveries; the Replicator refused {tally.Rejected} as bad input ({string.Join(", ", tally.Outcomes.Select(o => $"{o.Key} {o.Value}"))}); {tally.FailureCount} broke a rule");
        }

        foreach (var failure in tally.Failures.Take(20))
        {
            progress($"  hostile: {failure}");
        }

        return tally;
    }

    private void Written(int done, int total, IReadOnlyList<KillPoint> kills, TaskCompletionSource[] reached, WriteProgress written)
    {
        written.Report(done);
        for (var i = 0; i < kills.Count; i++)
        {
            if (done >= kills[i].AfterWrites)
            {
                reached[i].TrySetResult();
            }
        }

        if (done % 500 == 0)
        {
            progress(string.Create(CultureInfo.InvariantCulture, $"  {done}/{total} writes"));
        }
    }

    /// <summary>
    /// Reads the standby every <see cref="ObserveInterval"/> until every user is as the ledger says; gives up at
    /// <paramref name="timeout"/>, or once neither the standby's writes nor the count of differing users moved for
    /// <paramref name="stall"/>. Returns whether it converged and when the converging read began.
    /// </summary>
    private async Task<(bool Converged, long At)> ConvergeAsync(
        ChaosLedger ledger, IUserDirectory standby, StandbyWriteMeter meter, IReadOnlyList<ChaosWorker> workers, Func<string, bool> isReplicated, TimeSpan timeout, TimeSpan stall, CancellationToken cancellationToken)
    {
        var begun = time.GetTimestamp();
        var moved = begun;
        long? told = null;
        var last = (Differing: -1, Writes: -1L);
        while (true)
        {
            foreach (var worker in workers)
            {
                worker.EnsureRunning();
            }

            var observedAt = time.GetTimestamp();
            var tally = ChaosComparison.Tally(ledger, await PoolState.ReadAsync(standby, cancellationToken), null, isReplicated);
            if (tally.Findings.Count == 0)
            {
                return (true, observedAt);
            }

            var now = (tally.Findings.Count, meter.Total);
            if (now != last)
            {
                (last, moved) = (now, observedAt);
                if (told is null || time.GetElapsedTime(told.Value) >= ProgressInterval)
                {
                    progress(string.Create(CultureInfo.InvariantCulture, $"  {tally.Findings.Count} users not yet as intended in the standby ({tally.Lost} behind, {tally.Wrong} different)"));
                    told = observedAt;
                }
            }

            if (time.GetElapsedTime(moved) > stall || time.GetElapsedTime(begun) > timeout)
            {
                var why = time.GetElapsedTime(moved) > stall ? $"no standby write and no user changed for {stall.TotalSeconds:0} s" : $"the wait's bound is {timeout.TotalSeconds:0} s";
                progress(string.Create(CultureInfo.InvariantCulture, $"  not converged: gave up after {time.GetElapsedTime(begun).TotalSeconds:0} s ({why})"));
                return (false, observedAt);
            }

            await Task.Delay(ObserveInterval, time, cancellationToken);
        }
    }
}
