using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using IdentityReplicator.Cdk.Config;

namespace IdentityReplicator.Cdk.Constructs;

/// <summary>
/// The failover operator's grants for the plan's <c>capacity:</c> tiers and <c>replicatedStores:</c> checks, each
/// scoped to the resources the context names (docs/permissions.md). Nothing is granted for a kind the context does
/// not name.
/// </summary>
internal static class CapacityGrants
{
    public static IEnumerable<PolicyStatement> Statements(Stack stack, DeploymentConfig config)
    {
        var targets = config.Failover;
        string[] regions = [config.PrimaryRegion, config.StandbyRegion];
        if (targets.BeanstalkEnvironments.Count > 0)
        {
            // Each entry is application/environment; environment names are granted in both Regions.
            var applications = targets.BeanstalkEnvironments.Select(e => e.Split('/')[0]).Distinct(StringComparer.Ordinal);
            yield return Permissions.Allow(
                "CapacityBeanstalk",
                ["elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:DescribeConfigurationSettings", "elasticbeanstalk:DescribeEnvironmentHealth", "elasticbeanstalk:UpdateEnvironment"],
                regions.SelectMany(r => targets.BeanstalkEnvironments.Select(e => $"arn:{stack.Partition}:elasticbeanstalk:{r}:{stack.Account}:environment/{e}")
                    .Concat(applications.Select(a => $"arn:{stack.Partition}:elasticbeanstalk:{r}:{stack.Account}:application/{a}"))));
        }

        if (targets.AutoScalingGroups.Count > 0)
        {
            yield return Permissions.Allow(
                "CapacityGroups",
                ["autoscaling:UpdateAutoScalingGroup"],
                regions.SelectMany(r => targets.AutoScalingGroups.Select(g => $"arn:{stack.Partition}:autoscaling:{r}:{stack.Account}:autoScalingGroup:*:autoScalingGroupName/{g}")));

            // DescribeAutoScalingGroups has no resource-level permissions: '*' is the only resource it takes.
            yield return Permissions.Allow("CapacityGroupsDescribe", ["autoscaling:DescribeAutoScalingGroups"], ["*"]);
        }

        if (targets.EcsServices.Count > 0)
        {
            // Each entry is cluster/service.
            yield return Permissions.Allow(
                "CapacityServices",
                ["ecs:DescribeServices", "ecs:UpdateService"],
                regions.SelectMany(r => targets.EcsServices.Select(s => $"arn:{stack.Partition}:ecs:{r}:{stack.Account}:service/{s}")));
        }

        if (targets.ReplicatedSecretArns.Count > 0)
        {
            yield return Permissions.Allow("ReplicatedSecrets", ["secretsmanager:DescribeSecret"], targets.ReplicatedSecretArns);
        }

        if (targets.ReplicatedKeyArns.Count > 0)
        {
            yield return Permissions.Allow("ReplicatedKeys", ["kms:DescribeKey"], targets.ReplicatedKeyArns);
        }

        if (targets.ReplicatedBuckets.Count > 0 && (targets.PrimaryDatabase is null || targets.StandbyDatabase is null))
        {
            // The S3 replication metrics; GetMetricStatistics takes no resource (granted with the database otherwise).
            yield return Permissions.Allow("S3ReplicationMetrics", ["cloudwatch:GetMetricStatistics"], ["*"]);
        }
    }
}
