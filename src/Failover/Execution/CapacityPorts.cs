using System.Collections.Concurrent;
using Amazon.Runtime;
using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Execution;

/// <summary>Builds <see cref="AwsApplicationCapacity"/> for a plan: one client per service and Region, at the plan's endpoints if it names them.</summary>
internal static class CapacityPorts
{
    public static AwsApplicationCapacity Create(FailoverPlan plan, AWSCredentials credentials)
    {
        var beanstalk = new ConcurrentDictionary<string, ElasticBeanstalkClient>(StringComparer.Ordinal);
        var autoScaling = new ConcurrentDictionary<string, AutoScalingClient>(StringComparer.Ordinal);
        var ecs = new ConcurrentDictionary<string, EcsClient>(StringComparer.Ordinal);
        return new AwsApplicationCapacity(
            region => beanstalk.GetOrAdd(region, r => ElasticBeanstalkClient.Create(new AwsEndpoint(r, plan.Endpoints.ElasticBeanstalk.GetValueOrDefault(r)), credentials)),
            region => autoScaling.GetOrAdd(region, r => AutoScalingClient.Create(new AwsEndpoint(r, plan.Endpoints.AutoScaling.GetValueOrDefault(r)), credentials)),
            region => ecs.GetOrAdd(region, r => EcsClient.Create(new AwsEndpoint(r, plan.Endpoints.Ecs.GetValueOrDefault(r)), credentials)));
    }
}
