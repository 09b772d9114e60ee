using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Execution;

/// <summary>
/// An application tier as its service reports it: the size it is set to (Beanstalk MinSize, the group's
/// DesiredCapacity, the service's desiredCount), the most it may grow to, how much of it is healthy and serving, and
/// whether it is settled (no update or deployment in progress).
/// </summary>
public sealed record TierStatus(int Size, int Max, int Healthy, bool Settled)
{
    /// <summary>At least <paramref name="size"/> healthy and nothing still moving.</summary>
    public bool HealthyAt(int size) => Settled && Healthy >= size;
}

/// <summary>The application tiers of a plan's <c>capacity:</c> section: reads their size and health, and sets their size.</summary>
public interface IApplicationCapacity
{
    /// <summary>The tier's <paramref name="resource"/> in <paramref name="region"/>, or null when it does not exist there.</summary>
    Task<TierStatus?> DescribeAsync(CapacityPlan tier, string region, string resource, string? cluster, CancellationToken cancellationToken);

    /// <summary>Sets the tier's size (what "size" means per kind: see <see cref="TierStatus"/>).</summary>
    Task ScaleAsync(CapacityPlan tier, string region, string resource, string? cluster, int size, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IApplicationCapacity"/> on AWS: Elastic Beanstalk (UpdateEnvironment of <c>aws:autoscaling:asg</c>
/// MinSize, health from DescribeEnvironmentHealth), EC2 Auto Scaling (UpdateAutoScalingGroup MinSize and
/// DesiredCapacity, InService + Healthy instances), ECS (UpdateService desiredCount, a steady PRIMARY deployment).
/// </summary>
internal sealed class AwsApplicationCapacity(
    Func<string, ElasticBeanstalkClient> beanstalk,
    Func<string, AutoScalingClient> autoScaling,
    Func<string, EcsClient> ecs) : IApplicationCapacity
{
    public async Task<TierStatus?> DescribeAsync(CapacityPlan tier, string region, string resource, string? cluster, CancellationToken cancellationToken)
    {
        switch (tier.Kind)
        {
            case CapacityKind.Beanstalk:
                var client = beanstalk(region);
                var environment = (await client.DescribeEnvironmentsAsync(tier.Application, [resource], cancellationToken)).FirstOrDefault(e => e.Status != "Terminated");
                if (environment is null)
                {
                    return null;
                }

                var settings = await client.DescribeConfigurationSettingsAsync(environment.ApplicationName ?? tier.Application ?? string.Empty, resource, cancellationToken);
                var health = await client.DescribeEnvironmentHealthAsync(resource, cancellationToken);
                int Option(string name, int fallback) =>
                    settings.FirstOrDefault(s => s.Namespace == ElasticBeanstalkClient.AsgNamespace && s.OptionName == name)?.Value is { } v && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : fallback;
                var settled = health.Status == "Ready" && (health.Color == "Green" || health.HealthStatus == "Ok");
                return new TierStatus(Option("MinSize", 1), Option("MaxSize", 4), health.InstancesOk, settled);

            case CapacityKind.Asg:
                var group = (await autoScaling(region).DescribeAutoScalingGroupsAsync([resource], cancellationToken)).FirstOrDefault();
                return group is null || group.Status is not null
                    ? null
                    : new TierStatus(group.DesiredCapacity, group.MaxSize, group.InServiceHealthyCount, group.Instances.Count == group.DesiredCapacity);

            default:
                var reply = await ecs(region).DescribeServicesAsync(new DescribeServicesRequest(cluster, [resource]), cancellationToken);
                var service = reply.Services.FirstOrDefault(s => s.Status == "ACTIVE");
                return service is null ? null : new TierStatus(service.DesiredCount, int.MaxValue, service.RunningCount, service.IsSteadyAt(service.DesiredCount));
        }
    }

    public async Task ScaleAsync(CapacityPlan tier, string region, string resource, string? cluster, int size, CancellationToken cancellationToken)
    {
        var text = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (tier.Kind)
        {
            case CapacityKind.Beanstalk:
                await beanstalk(region).UpdateEnvironmentAsync(resource, [new(ElasticBeanstalkClient.AsgNamespace, "MinSize", text)], cancellationToken);
                break;
            case CapacityKind.Asg:
                await autoScaling(region).UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest(resource, MinSize: size, DesiredCapacity: size), cancellationToken);
                break;
            default:
                await ecs(region).UpdateServiceAsync(new UpdateServiceRequest(cluster, resource, size), cancellationToken);
                break;
        }
    }
}
