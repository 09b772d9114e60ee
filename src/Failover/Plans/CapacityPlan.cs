using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

/// <summary>What kind of application tier a <c>capacity:</c> entry scales.</summary>
public enum CapacityKind
{
    /// <summary>An Elastic Beanstalk environment: its <c>aws:autoscaling:asg</c> MinSize (and MaxSize if it must grow).</summary>
    Beanstalk,

    /// <summary>An EC2 Auto Scaling group: MinSize and DesiredCapacity.</summary>
    Asg,

    /// <summary>An ECS service: desiredCount.</summary>
    Ecs,
}

/// <summary>
/// One application tier of <c>capacity:</c> (docs/failover-plan.md): the resource in each Region, the size the side
/// that serves must have (<see cref="Active"/>) and the warm-standby size of the side that waits (<see cref="Warm"/>).
/// A run raises the side it moves to to <see cref="Active"/> before DNS moves and, when <see cref="LowerAfterVerify"/>,
/// lowers the side it leaves to <see cref="Warm"/> once the cut-over is verified.
/// </summary>
public sealed record CapacityPlan
{
    public required string Name { get; init; }

    public required CapacityKind Kind { get; init; }

    /// <summary>Environment, group or service name per side.</summary>
    public required PerPool<string> Resources { get; init; }

    /// <summary>Elastic Beanstalk: the application the environments belong to.</summary>
    public string? Application { get; init; }

    /// <summary>ECS: the cluster of each side's service.</summary>
    public PerPool<string>? Clusters { get; init; }

    public required int Active { get; init; }

    public required int Warm { get; init; }

    public bool LowerAfterVerify { get; init; }

    public override string ToString() => $"{Name} ({Kind.ToString().ToLowerInvariant()})";
}

/// <summary>The <c>capacity:</c> section: the tiers, and whether scaling may run while the database is promoted.</summary>
public sealed record CapacitySection
{
    public ImmutableArray<CapacityPlan> Tiers { get; init; } = [];

    /// <summary>True (default): scaling starts with the run, beside the fence, drain and database promotion; false: after the promotion.</summary>
    public bool ParallelWithDatabase { get; init; } = true;
}
