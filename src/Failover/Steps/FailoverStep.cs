using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Steps;

/// <summary>What a step reports: whether it found the work done (and changed nothing), what it did, and data to keep.</summary>
internal sealed record StepOutcome(bool AlreadyDone, string Detail, ImmutableDictionary<string, string>? Data = null);

/// <summary>A step failed; the message says what went wrong and what to do. The run stops and can be resumed.</summary>
internal sealed class FailoverStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a step works with: the plan, the direction of the run, the ports, and the data it journaled before.</summary>
internal sealed class StepContext
{
    public required FailoverPlan Plan { get; init; }

    public required PoolRole From { get; init; }

    public required PoolRole To { get; init; }

    public required string RunId { get; init; }

    public required FailoverPorts Ports { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Data this step journaled in an earlier attempt (empty on the first).</summary>
    public ImmutableDictionary<string, string> Data { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Journals data immediately (e.g. a Route 53 change id), so a killed run can pick it up.</summary>
    public required Func<string, string, Task> SaveAsync { get; init; }

    /// <summary>Called right after a step's side effect (tests kill the run there).</summary>
    public required Func<Task> ActedAsync { get; init; }

    public Action<string> Progress { get; init; } = _ => { };

    /// <summary>The control as stored, or the configured roles the plan implies (before any failover).</summary>
    public async Task<ReplicationControl> ControlAsync(CancellationToken cancellationToken) =>
        await Ports.Control.GetAsync(cancellationToken) ?? Plan.ConfiguredControl();

    /// <summary>
    /// Moves the control item on by compare-and-set: <paramref name="decide"/> looks at the stored control and returns an
    /// outcome (nothing to do) or the next control; a write that lost a race to someone else is decided again. The
    /// stored control must read back as <paramref name="readBack"/> accepts.
    /// </summary>
    public async Task<StepOutcome> AdvanceControlAsync(
        string doing,
        Func<ReplicationControl, (StepOutcome? Done, ReplicationControl? Next)> decide,
        Func<ReplicationControl, ReplicationControl, bool> readBack,
        Func<ReplicationControl, StepOutcome> succeeded,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var control = await ControlAsync(cancellationToken);
            var (done, next) = decide(control);
            if (done is not null)
            {
                return done;
            }

            if (await Ports.Control.TryAdvanceAsync(next!, control.Epoch, cancellationToken))
            {
                await ActedAsync();
                var stored = await ControlAsync(cancellationToken);
                return readBack(stored, next!)
                    ? succeeded(next!)
                    : throw new FailoverStepException($"The control item reads back as {stored} after {doing} at epoch {next!.Epoch}; check the mirror table's replication.");
            }

            // Someone else moved the epoch between our read and our write: decide again.
        }

        throw new FailoverStepException($"The control item kept changing while {doing}; is another failover running? Check 'idrep failover status'.");
    }

    /// <summary>Polls <paramref name="done"/> every <see cref="TimeoutsPlan.PollInterval"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + timeout;
        while (true)
        {
            if (await done(cancellationToken))
            {
                return true;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(Plan.Timeouts.PollInterval, Time, cancellationToken);
        }
    }
}

/// <summary>
/// One step of a failover. Every step is idempotent: it checks whether its work is done, acts only if not, then
/// verifies. Run twice, or resumed after a kill at any point, it never repeats a side effect that completed.
/// </summary>
internal abstract class FailoverStep
{
    public abstract string Name { get; }

    /// <summary>Steps that must have succeeded before this one starts (steps without a path between them run in parallel).</summary>
    public abstract IReadOnlyList<string> After { get; }

    /// <summary>What the step will do, in one line, for <c>idrep failover plan</c>.</summary>
    public abstract string Describe(FailoverPlan plan, PoolRole from, PoolRole to);

    public abstract Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>The steps of a run, in an order that respects <see cref="After"/>.</summary>
    public static IReadOnlyList<FailoverStep> All(FailoverPlan? plan = null) => plan?.Cognito.IsNative == true ? Native.NativeSteps.All(plan) :
    [
        new FenceStep(),
        new DrainStep(),
        new CapacityStep(plan?.Capacity.ParallelWithDatabase ?? true),
        new PromoteDatabaseStep(),
        new ReverseReplicationStep(),
        new ClientConfigStep(),
        new DnsStep(),
        new VerifyStep(),
        new CapacityLowerStep(),
    ];
}
