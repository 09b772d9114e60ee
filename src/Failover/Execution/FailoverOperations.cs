using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Failover.Execution;

/// <summary>A plan previewed for a run towards <see cref="To"/>: its readiness checks and its steps. Nothing was changed.</summary>
public sealed record PlanPreview(PoolRole To, ReplicationControl? Control, IReadOnlyList<CheckResult> Checks, IReadOnlyList<StepPreview> Steps)
{
    public PoolRole From => To.Other();

    /// <summary>Every readiness check passed.</summary>
    public bool Ready => Checks.All(c => c.Passed);

    /// <summary>The journeys verify will run against the pool the run moves to, and what each checks.</summary>
    public IReadOnlyList<Journeys.JourneyPreview> Journeys { get; init; } = [];
}

/// <summary>One step of a previewed plan: its name, the steps it comes after, and what it will do.</summary>
public sealed record StepPreview(string Name, IReadOnlyList<string> After, string Does);

/// <summary>Which way replication runs (the control item; <c>null</c> before the first failover) and the latest runs.</summary>
public sealed record FailoverStatus(ReplicationControl? Control, IReadOnlyList<RunRecord> Runs);

/// <summary>
/// What an operator does with a plan — preview it, start a run of a <see cref="RunKind"/>, resume a run, read the
/// journal — each with the ports it needs (<see cref="FailoverPorts.Create"/> unless a test gives its own). The
/// <c>idrep failover</c> commands parse their options, call one of these and print what it returns.
/// </summary>
public sealed class FailoverOperations(FailoverPlan plan, TimeProvider time, ILogger logger, Func<PoolRole, FailoverPorts>? ports = null)
{
    private readonly Func<PoolRole, FailoverPorts> _ports = ports ?? (role => FailoverPorts.Create(plan, role, time));

    /// <summary>The readiness checks and the steps of a run towards <paramref name="to"/>; changes nothing.</summary>
    public async Task<PlanPreview> PreviewAsync(PoolRole to, CancellationToken cancellationToken)
    {
        using var ports = _ports(to);
        var runner = Runner(ports);
        var checks = await runner.PreflightAsync(to, cancellationToken);
        var control = await ports.Control.GetAsync(cancellationToken);
        return new PlanPreview(to, control, checks, [.. runner.Steps.Select(s => new StepPreview(s.Name, s.After, s.Describe(plan, to.Other(), to)))])
        {
            Journeys = Journeys.JourneyRunner.Describe(plan, to),
        };
    }

    /// <summary>
    /// Starts a run of <paramref name="kind"/>: refused before any AWS client is built when the kind's rules do not
    /// allow it (<see cref="RunKinds.Authorize"/>), then run with the ports of the side it moves to.
    /// </summary>
    public async Task<RunResult> StartAsync(RunKind kind, RunOptions options, CancellationToken cancellationToken)
    {
        kind.Authorize(plan, options.Confirmation);
        using var ports = _ports(kind.To());
        return await Runner(ports).StartAsync(kind, options, cancellationToken);
    }

    /// <summary>
    /// Carries on a run: its direction, read from the journal, decides the Region whose mirror table replica is used
    /// (both replicas hold the journal). It asks for no confirmation: the run was authorized when it started.
    /// </summary>
    public async Task<RunResult> ResumeAsync(string runId, RunOptions options, CancellationToken cancellationToken)
    {
        RunRecord record;
        using (var probe = _ports(PoolRole.Standby))
        {
            record = await probe.Journal.GetRunAsync(runId, cancellationToken)
                ?? throw new FailoverException($"No run '{runId}' in the journal; 'idrep failover status --plan …' lists the runs.");
        }

        using var ports = _ports(record.To);
        return await Runner(ports).ResumeAsync(runId, options, cancellationToken);
    }

    /// <summary>One run as the journal holds it (<see cref="FailoverRunner.GetRunAsync"/>).</summary>
    public async Task<RunResult> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        using var ports = _ports(PoolRole.Standby);
        return await Runner(ports).GetRunAsync(runId, cancellationToken);
    }

    /// <summary>The replication control item and the <paramref name="latest"/> runs, newest first.</summary>
    public async Task<FailoverStatus> StatusAsync(int latest, CancellationToken cancellationToken)
    {
        using var ports = _ports(PoolRole.Standby);
        var control = await ports.Control.GetAsync(cancellationToken);
        return new FailoverStatus(control, await ports.Journal.ListRunsAsync(latest, cancellationToken));
    }

    private FailoverRunner Runner(FailoverPorts ports) => new(plan, ports, time, logger);
}
