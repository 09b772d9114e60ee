using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Preflight;

/// <summary>
/// Preflight for <c>capacity:</c>: every tier's resource exists in the Region the run moves to (and, for tiers lowered
/// after verify, in the one it leaves), and its active size fits the resource's maximum. The detail shows each tier's
/// size before and after, which <c>idrep failover plan</c> prints.
/// </summary>
internal static class CapacityCheck
{
    public static async Task<CheckResult> RunAsync(FailoverPlan plan, IApplicationCapacity? capacity, PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        if (plan.Capacity.Tiers.IsEmpty)
        {
            return new CheckResult(PreflightChecks.Capacity, true, "no application tiers to scale");
        }

        if (capacity is null)
        {
            return new CheckResult(PreflightChecks.Capacity, false, "the plan has a capacity section but no application capacity port was built");
        }

        var problems = new List<string>();
        var sizes = new List<string>();
        foreach (var tier in plan.Capacity.Tiers)
        {
            var region = plan.Region(to);
            var resource = tier.Resources.For(to);
            var status = await capacity.DescribeAsync(tier, region, resource, tier.Clusters?.For(to), cancellationToken);
            if (status is null)
            {
                problems.Add($"{tier}: {resource} does not exist in {region} (capacity.tiers[{tier.Name}].resources.{to.Name()})");
                continue;
            }

            if (tier.Active > status.Max)
            {
                problems.Add($"{tier}: active {tier.Active} is above {resource}'s maximum {status.Max} in {region}; raise the maximum or lower capacity.tiers[{tier.Name}].active");
            }

            var after = Math.Max(status.Size, tier.Active);
            var line = $"{tier.Name} {resource} ({region}) {status.Size} → {after}";
            if (tier.LowerAfterVerify)
            {
                var fromRegion = plan.Region(from);
                var fromResource = tier.Resources.For(from);
                var old = await capacity.DescribeAsync(tier, fromRegion, fromResource, tier.Clusters?.For(from), cancellationToken);
                if (old is null)
                {
                    problems.Add($"{tier}: {fromResource} does not exist in {fromRegion} (capacity.tiers[{tier.Name}].resources.{from.Name()})");
                }
                else
                {
                    line += $", {fromResource} ({fromRegion}) {old.Size} → {Math.Min(old.Size, tier.Warm)} after verify";
                }
            }

            sizes.Add(line);
        }

        return problems.Count == 0
            ? new CheckResult(PreflightChecks.Capacity, true, string.Join("; ", sizes))
            : new CheckResult(PreflightChecks.Capacity, false, string.Join("; ", problems));
    }
}
