using System.Collections.Immutable;
using System.Globalization;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Steps;

/// <summary>
/// Fences the old source: a new epoch in the control item with writes switched off, so from now on the mirror table
/// refuses snapshots from it (and from anyone holding the old epoch). Replication keeps draining what
/// was recorded before.
/// </summary>
internal sealed class FenceStep : FailoverStep
{
    public const string StepName = "fence";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) =>
        $"Fence {plan.Pools.For(from).UserPoolId} ({plan.Region(from)}): write a new epoch to the control item in mirror table '{plan.Mirror.TableName}'; its snapshots are refused from then on.";

    public override Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var from = context.Plan.Pools.For(context.From);
        var to = context.Plan.Pools.For(context.To);
        return context.AdvanceControlAsync(
            "fencing",
            control => control.SourcePoolId == to.UserPoolId
                ? (new StepOutcome(true, $"{to.UserPoolId} is the source already ({control})", Data(control)), null)
                : control.SourcePoolId != from.UserPoolId
                    ? throw new FailoverStepException($"The control item names {control.SourcePoolId} as the source, which is neither pool of this plan; check the plan's pools and mirror table ({control}).")
                    : !control.Writable
                        ? (new StepOutcome(true, $"fenced already ({control})", Data(control)), null)
                        : (null, control with { Epoch = control.Epoch + 1, Writable = false, ChangedAt = context.Time.GetUtcNow(), RunId = context.RunId }),
            (stored, fenced) => stored.Epoch >= fenced.Epoch && !(stored.Writable && stored.SourcePoolId == from.UserPoolId),
            fenced => new StepOutcome(false, $"fenced {from.UserPoolId} at epoch {fenced.Epoch}", Data(fenced)),
            cancellationToken);
    }

    private static ImmutableDictionary<string, string> Data(ReplicationControl control) => ImmutableDictionary<string, string>.Empty
        .Add("epoch", control.Epoch.ToString(CultureInfo.InvariantCulture))
        .Add("fencedAt", control.ChangedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Waits until the target has applied every change the old source recorded before the fence, and measures the RPO
/// estimate: how old the oldest unapplied change was when the fence went up (what an unplanned failover at that
/// moment would have lost). In an unplanned failover it measures and does not wait.
/// </summary>
internal sealed class DrainStep : FailoverStep
{
    public const string StepName = "drain";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [FenceStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => plan.Database.Unplanned
        ? $"Measure the changes {plan.Pools.For(from).UserPoolId} recorded that {plan.Pools.For(to).UserPoolId} has not applied (unplanned: do not wait)."
        : $"Wait (up to {plan.Timeouts.Drain}) until {plan.Pools.For(to).UserPoolId} has applied every change {plan.Pools.For(from).UserPoolId} recorded before the fence.";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var control = await context.ControlAsync(cancellationToken);
        var toPool = context.Plan.Pools.For(context.To).UserPoolId;
        if (control.SourcePoolId == toPool)
        {
            return new StepOutcome(true, "replication was reversed already; nothing left to drain", Rpo(context, 0));
        }

        var first = await context.Ports.Lag.MeasureAsync(control, cancellationToken);
        var fencedAt = context.Data.TryGetValue("fencedAt", out var ticks) ? new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero) : control.ChangedAt;
        var rpo = first.OldestUnappliedChange is { } oldest ? Math.Max(0, (fencedAt - oldest).TotalSeconds) : 0;
        if (!context.Data.ContainsKey("rpoSeconds"))
        {
            await context.SaveAsync("rpoSeconds", rpo.ToString("0.###", CultureInfo.InvariantCulture));
            await context.SaveAsync("unappliedAtFence", first.Unapplied.ToString(CultureInfo.InvariantCulture));
        }

        if (context.Plan.Database.Unplanned)
        {
            return new StepOutcome(false, $"{first.Unapplied} change(s) not applied ({first.Examined} examined); unplanned, not waiting", null);
        }

        var last = first;
        var drained = await context.WaitUntilAsync(
            async ct =>
            {
                last = await context.Ports.Lag.MeasureAsync(control, ct);
                context.Progress($"drain: {last.Unapplied} change(s) still to apply");
                return last.Unapplied == 0;
            },
            context.Plan.Timeouts.Drain,
            cancellationToken);
        if (!drained)
        {
            throw new FailoverStepException(
                $"{last.Unapplied} change(s) recorded by {control.SourcePoolId} were still not applied to {control.TargetPoolId} after {context.Plan.Timeouts.Drain}; check that 'idrep worker' runs for {control.TargetRegion}, then 'idrep failover resume'. For a primary Region that is down, set database.mode: unplanned to accept the loss.");
        }

        return new StepOutcome(false, $"all {first.Examined} change(s) from the old source applied ({first.Unapplied} were outstanding at the fence)", null);
    }

    private static ImmutableDictionary<string, string>? Rpo(StepContext context, double seconds) =>
        context.Data.ContainsKey("rpoSeconds") ? null : ImmutableDictionary<string, string>.Empty.Add("rpoSeconds", seconds.ToString("0.###", CultureInfo.InvariantCulture));
}

/// <summary>
/// Reverses replication: a new epoch naming the pool the run moves to as the writable source and the other as the
/// target. Capture and the reconciler follow it within seconds.
/// </summary>
internal sealed class ReverseReplicationStep : FailoverStep
{
    public const string StepName = "reverse-replication";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [DrainStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) =>
        $"Reverse replication: {plan.Pools.For(to).UserPoolId} ({plan.Region(to)}) becomes the source and {plan.Pools.For(from).UserPoolId} ({plan.Region(from)}) the target.";

    public override Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var from = context.Plan.Pools.For(context.From);
        var to = context.Plan.Pools.For(context.To);
        var now = context.Time.GetUtcNow();
        return context.AdvanceControlAsync(
            "reversing replication",
            control => control.SourcePoolId == to.UserPoolId && control.Writable
                ? (new StepOutcome(true, $"replication runs {to.UserPoolId} → {control.TargetPoolId} already ({control})"), null)
                : control.Writable
                    ? throw new FailoverStepException($"The control item is not fenced ({control}); the fence step must run first. Resume the run, or start a new one.")
                    : (null, new ReplicationControl
                    {
                        Epoch = control.Epoch + 1,
                        SourceRegion = context.Plan.Region(context.To),
                        SourcePoolId = to.UserPoolId,
                        TargetRegion = context.Plan.Region(context.From),
                        TargetPoolId = from.UserPoolId,
                        Writable = true,
                        ChangedAt = now,
                        SourceSince = now,
                        RunId = context.RunId,
                    }),
            (stored, _) => stored.SourcePoolId == to.UserPoolId && stored.Writable,
            reversed => new StepOutcome(false, $"epoch {reversed.Epoch}: {to.UserPoolId} → {from.UserPoolId}"),
            cancellationToken);
    }
}
