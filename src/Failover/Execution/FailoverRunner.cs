using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Steps;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Failover.Execution;

/// <summary>A run cannot start or resume as asked (no such run, the plan changed, a confirmation is missing).</summary>
public sealed class FailoverException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How to run: the confirmation, which failed preflight checks to skip, and an observer of step stages (tests kill runs there).</summary>
public sealed record RunOptions
{
    /// <summary>The plan's environment name as the operator typed it (<c>--confirm</c>); see <see cref="RunKinds.Authorize"/>.</summary>
    public string? Confirmation { get; init; }

    public IReadOnlySet<string> Force { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Called with ("acted" | "completed", step name) after a step's side effect and after it is journaled.</summary>
    public Func<string, string, Task>? Observer { get; init; }

    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>What a run did: its journal record, its steps, its preflight checks; measured RTO and RPO estimate.</summary>
public sealed record RunResult(RunRecord Run, IReadOnlyList<StepRecord> Steps, IReadOnlyList<CheckResult> Checks, string? Failure)
{
    public bool Succeeded => Run.State == RunState.Succeeded;

    /// <summary>Preflight stopped the run before anything changed.</summary>
    public bool BlockedByPreflight { get; init; }

    /// <summary>Changes the old source had recorded and the target had not applied when the fence went up.</summary>
    public int? UnappliedAtFence { get; init; }

    /// <summary>The identity part of the RPO estimate: replication lag when the fence went up.</summary>
    public double? IdentityRpoSeconds { get; init; }

    /// <summary>The database replica's lag when it was promoted (CloudWatch), if reported.</summary>
    public double? DatabaseLagSeconds { get; init; }

    /// <summary>The synthetic journeys of the verify step's last attempt (none before verify ran).</summary>
    public IReadOnlyList<Journeys.JourneyResult> Journeys { get; init; } = [];
}

/// <summary>
/// Runs a plan's steps: preflight first (a failing check stops the run unless forced), then the steps as a graph —
/// each starts once the steps it comes after have succeeded, so independent ones run in parallel. Every step's start,
/// result, timing and resume data go to the journal before the next decision, so a killed run resumes where it
/// stopped (<see cref="ResumeAsync"/>) and never repeats a completed side effect. Measures RTO (from the run's start
/// to a verified cut-over) and an RPO estimate (the replication lag when the fence went up).
/// </summary>
internal sealed class FailoverRunner(FailoverPlan plan, FailoverPorts ports, TimeProvider time, ILogger logger)
{
    private readonly IReadOnlyList<FailoverStep> _steps = FailoverStep.All(plan);

    public IReadOnlyList<FailoverStep> Steps => _steps;

    public Task<IReadOnlyList<CheckResult>> PreflightAsync(PoolRole to, CancellationToken cancellationToken) =>
        new PreflightChecks(plan, ports, time, logger).RunAsync(to.Other(), to, cancellationToken);

    /// <summary>
    /// Starts a new run of <paramref name="kind"/> towards the side it moves to, once the kind's rules allow it on this
    /// plan with <see cref="RunOptions.Confirmation"/> (<see cref="RunKinds.Authorize"/>).
    /// </summary>
    public async Task<RunResult> StartAsync(RunKind kind, RunOptions options, CancellationToken cancellationToken)
    {
        kind.Authorize(plan, options.Confirmation);
        var to = kind.To();
        var unknown = options.Force.Where(f => !PreflightChecks.Names.Contains(f, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new FailoverException($"--force names unknown check(s) {string.Join(", ", unknown)}; the checks are {string.Join(", ", PreflightChecks.Names)}.");
        }

        var checks = (await PreflightAsync(to, cancellationToken))
            .Select(c => !c.Passed && options.Force.Contains(c.Name) ? c with { Forced = true } : c)
            .ToList();
        foreach (var check in checks)
        {
            Log.Check(logger, check.Name, check.Passed ? "passed" : check.Forced ? "failed, forced" : "failed");
        }

        var now = time.GetUtcNow();
        var run = new RunRecord
        {
            RunId = $"{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}",
            Kind = kind.Name(),
            Environment = plan.Environment,
            From = to.Other(),
            To = to,
            PlanHash = plan.ContentHash,
            PlanPath = plan.SourcePath,
            StartedAt = now,
        };
        var blocking = checks.Where(c => !c.Passed && !c.Forced).ToList();
        if (blocking.Count > 0)
        {
            var failure = $"Preflight failed: {string.Join("; ", blocking.Select(c => $"{c.Name}: {c.Detail}"))}. Nothing was changed. Fix it, or skip a check with --force {string.Join(",", blocking.Select(c => c.Name))}.";
            return new RunResult(run with { State = RunState.Aborted, EndedAt = time.GetUtcNow(), Summary = "preflight failed" }, [], checks, failure) { BlockedByPreflight = true };
        }

        await ports.Journal.CreateRunAsync(run, cancellationToken);
        Log.RunStarted(logger, run.RunId, run.Kind, plan.Environment, run.From.Name(), to.Name());
        return await ExecuteAsync(run, checks, options, cancellationToken);
    }

    /// <summary>Resumes a run that was killed, failed or aborted, skipping every step the journal shows as succeeded.</summary>
    public async Task<RunResult> ResumeAsync(string runId, RunOptions options, CancellationToken cancellationToken)
    {
        var run = await ports.Journal.GetRunAsync(runId, cancellationToken)
            ?? throw new FailoverException($"No run '{runId}' in the journal of mirror table '{plan.Mirror.TableName}'; 'idrep failover status' lists the runs.");
        if (run.PlanHash != plan.ContentHash)
        {
            throw new FailoverException($"Run {runId} started with a different plan (content {run.PlanHash}, this one {plan.ContentHash}); resume it with the plan file it started with{(run.PlanPath is null ? string.Empty : $" ({run.PlanPath})")}, or start a new run.");
        }

        if (run.State == RunState.Succeeded)
        {
            return new RunResult(run, await ports.Journal.GetStepsAsync(runId, cancellationToken), [], null);
        }

        run = run with { State = RunState.Running, Attempts = run.Attempts + 1, EndedAt = null, Summary = null };
        await ports.Journal.UpdateRunAsync(run, cancellationToken);
        Log.RunResumed(logger, run.RunId, run.Attempts);
        return await ExecuteAsync(run, [], options, cancellationToken);
    }

    /// <summary>
    /// A run as the journal holds it: every step in the plan's order (those it never reached as pending) and, unless it
    /// succeeded or is still running, its summary as the failure.
    /// </summary>
    public async Task<RunResult> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        var record = await ports.Journal.GetRunAsync(runId, cancellationToken) ?? throw new FailoverException($"No run '{runId}' in the journal.");
        var steps = await ports.Journal.GetStepsAsync(runId, cancellationToken);
        var ordered = _steps.Select(s => steps.FirstOrDefault(r => r.Name == s.Name) ?? new StepRecord { Name = s.Name }).ToList();
        return new RunResult(record, ordered, [], record.State is RunState.Succeeded or RunState.Running ? null : record.Summary)
        {
            Journeys = Journeys.JourneyRecords.Decode(ordered.FirstOrDefault(s => s.Name == VerifyStep.StepName)?.Data.GetValueOrDefault(Journeys.JourneyRecords.DataKey)),
        };
    }

    private async Task<RunResult> ExecuteAsync(RunRecord run, IReadOnlyList<CheckResult> checks, RunOptions options, CancellationToken cancellationToken)
    {
        var journaled = (await ports.Journal.GetStepsAsync(run.RunId, cancellationToken)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var records = new Dictionary<string, StepRecord>(journaled, StringComparer.Ordinal);
        var gate = new Lock();
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        // By name: steps that finish synchronously all return the same cached completed task.
        var observed = new HashSet<string>(StringComparer.Ordinal);
        string? failure = null;
        try
        {
            while (true)
            {
                if (failure is null)
                {
                    List<FailoverStep> ready;
                    lock (gate)
                    {
                        ready = [.. _steps.Where(s => !running.ContainsKey(s.Name)
                            && records.GetValueOrDefault(s.Name)?.State != StepState.Succeeded
                            && s.After.All(a => records.GetValueOrDefault(a)?.State == StepState.Succeeded))];
                    }

                    foreach (var step in ready)
                    {
                        running[step.Name] = RunStepAsync(run, step, records.GetValueOrDefault(step.Name), records, gate, options, cancellationToken);
                    }
                }

                var unobserved = running.Where(r => !observed.Contains(r.Key)).ToList();
                if (unobserved.Count == 0)
                {
                    break;
                }

                var finished = await Task.WhenAny(unobserved.Select(r => r.Value));
                var name = unobserved.First(r => r.Value == finished).Key;
                observed.Add(name);
                try
                {
                    await finished;
                }
                catch (FailoverStepException e)
                {
                    failure ??= e.Message;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(running.Values.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
            var aborted = run with { State = RunState.Aborted, EndedAt = time.GetUtcNow(), Summary = "aborted; resume with 'idrep failover resume --run " + run.RunId + "'" };
            await TryUpdateAsync(aborted);
            Log.RunEnded(logger, run.RunId, nameof(RunState.Aborted));
            throw;
        }

        var steps = _steps.Select(s => records.GetValueOrDefault(s.Name) ?? new StepRecord { Name = s.Name }).ToList();
        var succeeded = failure is null && steps.All(s => s.State == StepState.Succeeded);
        var verify = records.GetValueOrDefault(VerifyStep.StepName);
        var drain = records.GetValueOrDefault(DrainStep.StepName);
        var identityRpo = drain?.Data.TryGetValue("rpoSeconds", out var r) == true ? double.Parse(r, CultureInfo.InvariantCulture) : (double?)null;
        var rpo = identityRpo;
        var unapplied = drain?.Data.TryGetValue("unappliedAtFence", out var u) == true ? int.Parse(u, CultureInfo.InvariantCulture) : (int?)null;
        var databaseLag = records.GetValueOrDefault(PromoteDatabaseStep.StepName)?.Data.TryGetValue("lagSeconds", out var l) == true ? double.Parse(l, CultureInfo.InvariantCulture) : (double?)null;

        // A planned switchover loses nothing of the database; an unplanned failover loses up to the replica lag.
        if (plan.Database.Unplanned && databaseLag is { } lost)
        {
            rpo = Math.Max(rpo ?? 0, lost);
        }

        var ended = time.GetUtcNow();
        var final = run with
        {
            State = succeeded ? RunState.Succeeded : RunState.Failed,
            EndedAt = ended,
            RtoSeconds = succeeded && verify?.EndedAt is { } verified ? Math.Round((verified - run.StartedAt).TotalSeconds, 3) : null,
            RpoEstimateSeconds = rpo,
            Summary = succeeded
                ? $"the {run.To.Name()} is the primary"
                : failure ?? $"step(s) {string.Join(", ", steps.Where(s => s.State != StepState.Succeeded).Select(s => $"{s.Name} ({s.State})"))} did not finish",
        };
        await ports.Journal.UpdateRunAsync(final, CancellationToken.None);
        Log.RunEnded(logger, run.RunId, final.State.ToString());
        return new RunResult(final, steps, checks, succeeded ? null : final.Summary)
        {
            UnappliedAtFence = unapplied,
            IdentityRpoSeconds = identityRpo,
            DatabaseLagSeconds = databaseLag,
            Journeys = Journeys.JourneyRecords.Decode(verify?.Data.GetValueOrDefault(Journeys.JourneyRecords.DataKey)),
        };
    }

    private async Task RunStepAsync(RunRecord run, FailoverStep step, StepRecord? previous, Dictionary<string, StepRecord> records, Lock gate, RunOptions options, CancellationToken cancellationToken)
    {
        // Data journaled by earlier attempts of this step, and by the steps before it (the drain reads the fence's time).
        Dictionary<string, string> data;
        lock (gate)
        {
            data = records.Values.Where(s => step.After.Contains(s.Name, StringComparer.Ordinal)).SelectMany(s => s.Data)
                .Concat(previous?.Data ?? ImmutableDictionary<string, string>.Empty)
                .GroupBy(d => d.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        }

        var record = new StepRecord
        {
            Name = step.Name,
            State = StepState.Running,
            StartedAt = time.GetUtcNow(),
            Attempts = (previous?.Attempts ?? 0) + 1,
            Data = previous?.Data ?? ImmutableDictionary<string, string>.Empty,
        };
        await Journal(run, record, records, gate, cancellationToken);
        Log.StepStarted(logger, run.RunId, step.Name, record.Attempts);
        var context = new StepContext
        {
            Plan = plan,
            From = run.From,
            To = run.To,
            RunId = run.RunId,
            Ports = ports,
            Time = time,
            Data = data.ToImmutableDictionary(StringComparer.Ordinal),
            Progress = options.Progress,
            SaveAsync = async (key, value) =>
            {
                lock (gate)
                {
                    record = record with { Data = record.Data.SetItem(key, value) };
                }

                await Journal(run, record, records, gate, cancellationToken);
            },
            ActedAsync = () => options.Observer?.Invoke("acted", step.Name) ?? Task.CompletedTask,
        };

        StepOutcome outcome;
        try
        {
            outcome = await step.RunAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = e is FailoverStepException ? e.Message : $"{step.Name} failed unexpectedly: {PreflightChecks.Describe(e)}. Fix the cause, then 'idrep failover resume --run {run.RunId}'.";
            await Journal(run, record with { State = StepState.Failed, EndedAt = time.GetUtcNow(), Detail = message }, records, gate, CancellationToken.None);
            Log.StepFailed(logger, run.RunId, step.Name, message, e);
            throw new FailoverStepException(message, e);
        }

        var done = record with
        {
            State = StepState.Succeeded,
            EndedAt = time.GetUtcNow(),
            AlreadyDone = outcome.AlreadyDone,
            Detail = outcome.Detail,
            Data = outcome.Data is null ? record.Data : record.Data.SetItems(outcome.Data),
        };
        await Journal(run, done, records, gate, cancellationToken);
        Log.StepSucceeded(logger, run.RunId, step.Name, done.Seconds ?? 0, outcome.AlreadyDone);
        options.Progress($"{step.Name}: {(outcome.AlreadyDone ? "already done" : "done")} — {outcome.Detail}");
        if (options.Observer is { } observer)
        {
            await observer("completed", step.Name);
        }
    }

    private async Task Journal(RunRecord run, StepRecord record, Dictionary<string, StepRecord> records, Lock gate, CancellationToken cancellationToken)
    {
        await ports.Journal.PutStepAsync(run.RunId, record, cancellationToken);
        lock (gate)
        {
            records[record.Name] = record;
        }
    }

    private async Task TryUpdateAsync(RunRecord run)
    {
        try
        {
            await ports.Journal.UpdateRunAsync(run, CancellationToken.None);
        }
        catch (JournalException)
        {
            // The run stays "running" in the journal; resume treats both the same.
        }
    }
}
