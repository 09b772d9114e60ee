using System.Collections.Concurrent;
using Amazon.Runtime;
using IdentityReplicator.Core.AutoScaling;
using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Ecs;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.ElasticBeanstalk;
using IdentityReplicator.Core.Kms;
using IdentityReplicator.Core.SecretsManager;
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

    /// <summary>The replicated-store reads, or null when the plan names no replicated store.</summary>
    public static AwsReplicatedStores? ReplicatedStores(FailoverPlan plan, AWSCredentials credentials, TimeProvider time)
    {
        var stores = plan.ReplicatedStores;
        if (stores.S3.IsDefaultOrEmpty && stores.Secrets.IsDefaultOrEmpty && stores.KmsKeys.IsDefaultOrEmpty)
        {
            return null;
        }

        var cloudWatch = new ConcurrentDictionary<string, CloudWatchClient>(StringComparer.Ordinal);
        var secrets = new ConcurrentDictionary<string, SecretsManagerClient>(StringComparer.Ordinal);
        var kms = new ConcurrentDictionary<string, Amazon.KeyManagementService.IAmazonKeyManagementService>(StringComparer.Ordinal);
        return new AwsReplicatedStores(
            region => cloudWatch.GetOrAdd(region, r => CloudWatchClient.Create(new AwsEndpoint(r, plan.Endpoints.CloudWatch.GetValueOrDefault(r)), credentials)),
            region => secrets.GetOrAdd(region, r => SecretsManagerClient.Create(new AwsEndpoint(r, plan.Endpoints.SecretsManager.GetValueOrDefault(r)), credentials)),
            region => kms.GetOrAdd(region, r => KmsClients.Create(new AwsEndpoint(r, plan.Endpoints.Kms.GetValueOrDefault(r)), credentials)),
            time);
    }
}
