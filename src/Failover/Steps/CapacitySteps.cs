using System.Collections.Immutable;
using System.Globalization;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Steps;

/// <summary>
/// Raises each application tier of <c>capacity:</c> in the Region the run moves to to its active size and waits until
/// that much is healthy — before DNS sends traffic there. Idempotent: a tier already at or above the size is not
/// touched, so a resumed run never repeats a scale call (the journal also keeps what was done). Starts with the run,
/// beside the fence and the database promotion, unless the plan says <c>parallelWithDatabase: false</c>.
/// </summary>
internal sealed class CapacityStep(bool parallelWithDatabase = true) : FailoverStep
{
    public const string StepName = "capacity";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => parallelWithDatabase ? [] : [PromoteDatabaseStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) => plan.Capacity.Tiers.IsEmpty
        ? "no application tiers to scale (plan has no capacity section)"
        : $"raise in {plan.Region(to)}: " + string.Join("; ", plan.Capacity.Tiers.Select(t => $"{t.Name} {t.Resources.For(to)} to {t.Active}")) + ", then wait until healthy";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var tiers = context.Plan.Capacity.Tiers;
        if (tiers.IsEmpty)
        {
            return new StepOutcome(true, "no application tiers to scale");
        }

        var capacity = context.Ports.Capacity ?? throw new FailoverStepException("The plan has a capacity section but no application capacity port was built; this is a bug.");
        var region = context.Plan.Region(context.To);
        var results = await Task.WhenAll(tiers.Select(t => RaiseAsync(context, capacity, t, region, cancellationToken)));
        var data = results.SelectMany(r => r.Data).ToImmutableDictionary(StringComparer.Ordinal);
        return new StepOutcome(results.All(r => r.AlreadyDone), string.Join("; ", results.Select(r => r.Detail)), data);
    }

    private static async Task<(bool AlreadyDone, string Detail, Dictionary<string, string> Data)> RaiseAsync(StepContext context, IApplicationCapacity capacity, CapacityPlan tier, string region, CancellationToken cancellationToken)
    {
        var resource = tier.Resources.For(context.To);
        var cluster = tier.Clusters?.For(context.To);
        var started = context.Time.GetUtcNow();
        var status = await capacity.DescribeAsync(tier, region, resource, cluster, cancellationToken)
            ?? throw new FailoverStepException($"capacity: tier {tier} has no {resource} in {region}; check capacity.tiers[{tier.Name}].resources.{context.To.Name()} in the plan.");
        var before = context.Data.TryGetValue($"{tier.Name}.before", out var saved) ? saved : status.Size.ToString(CultureInfo.InvariantCulture);
        var alreadyDone = status.Size >= tier.Active;
        if (!alreadyDone)
        {
            if (tier.Active > status.Max)
            {
                throw new FailoverStepException($"capacity: tier {tier} in {region} may grow to {status.Max}, less than active {tier.Active}; raise its maximum or lower capacity.tiers[{tier.Name}].active.");
            }

            await context.SaveAsync($"{tier.Name}.before", before);
            await capacity.ScaleAsync(tier, region, resource, cluster, tier.Active, cancellationToken);
            await context.ActedAsync();
            context.Progress($"capacity: {tier.Name} {resource} {before} → {tier.Active} requested");
        }

        var healthy = await context.WaitUntilAsync(
            async ct => (await capacity.DescribeAsync(tier, region, resource, cluster, ct))?.HealthyAt(tier.Active) == true,
            context.Plan.Timeouts.Capacity,
            cancellationToken);
        if (!healthy)
        {
            throw new FailoverStepException($"capacity: tier {tier} {resource} in {region} did not reach {tier.Active} healthy within {context.Plan.Timeouts.Capacity} (timeouts.capacity); look at its health in the console, then resume.");
        }

        var seconds = (context.Time.GetUtcNow() - started).TotalSeconds;
        var detail = alreadyDone ? $"{tier.Name} {resource} already at {status.Size}, healthy" : $"{tier.Name} {resource} {before} → {tier.Active}, healthy after {seconds:0.0} s";
        return (alreadyDone, detail, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{tier.Name}.before"] = before,
            [$"{tier.Name}.after"] = Math.Max(status.Size, tier.Active).ToString(CultureInfo.InvariantCulture),
            [$"{tier.Name}.seconds"] = seconds.ToString("0.###", CultureInfo.InvariantCulture),
        });
    }
}

/// <summary>
/// After the cut-over is verified, lowers the tiers marked <c>lowerAfterVerify</c> in the Region the run left to their
/// warm-standby size (so a failback leaves both Regions as they were). Idempotent: a tier at or below it is not touched.
/// </summary>
internal sealed class CapacityLowerStep : FailoverStep
{
    public const string StepName = "capacity-lower";

    public override string Name => StepName;

    public override IReadOnlyList<string> After => [VerifyStep.StepName];

    public override string Describe(FailoverPlan plan, PoolRole from, PoolRole to) =>
        plan.Capacity.Tiers.Where(t => t.LowerAfterVerify).ToList() is { Count: > 0 } lower
            ? $"lower in {plan.Region(from)}: " + string.Join("; ", lower.Select(t => $"{t.Name} {t.Resources.For(from)} to {t.Warm}"))
            : "nothing to lower (no tier has lowerAfterVerify)";

    public override async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var tiers = context.Plan.Capacity.Tiers.Where(t => t.LowerAfterVerify).ToList();
        if (tiers.Count == 0 || context.Ports.Capacity is not { } capacity)
        {
            return new StepOutcome(true, "nothing to lower");
        }

        var region = context.Plan.Region(context.From);
        var details = new List<string>();
        var changed = false;
        foreach (var tier in tiers)
        {
            var resource = tier.Resources.For(context.From);
            var cluster = tier.Clusters?.For(context.From);
            var status = await capacity.DescribeAsync(tier, region, resource, cluster, cancellationToken)
                ?? throw new FailoverStepException($"capacity-lower: tier {tier} has no {resource} in {region}; check capacity.tiers[{tier.Name}].resources.{context.From.Name()}.");
            if (status.Size <= tier.Warm)
            {
                details.Add($"{tier.Name} {resource} already at {status.Size}");
                continue;
            }

            await capacity.ScaleAsync(tier, region, resource, cluster, tier.Warm, cancellationToken);
            await context.ActedAsync();
            changed = true;
            details.Add($"{tier.Name} {resource} {status.Size} → {tier.Warm}");
        }

        return new StepOutcome(!changed, string.Join("; ", details));
    }
}
