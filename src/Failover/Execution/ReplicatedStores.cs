using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.SecretsManager;

namespace IdentityReplicator.Failover.Execution;

/// <summary>A KMS key as replication checks see it: multi-Region or not, and the Regions it (and its replicas) live in.</summary>
public sealed record KmsKeyRegions(bool MultiRegion, string? PrimaryRegion, IReadOnlyList<string> ReplicaRegions);

/// <summary>Reads what AWS's own replication says: S3 replication metrics, a secret's replicas, a KMS key's replicas.</summary>
public interface IReplicatedStores
{
    Task<S3ReplicationLag> S3LagAsync(string region, string sourceBucket, string destinationBucket, string ruleId, CancellationToken cancellationToken);

    /// <summary>The secret as Secrets Manager in <paramref name="region"/> describes it; null when it does not exist there.</summary>
    Task<DescribeSecretResponse?> DescribeSecretAsync(string region, string secretId, CancellationToken cancellationToken);

    /// <summary>The key as KMS in <paramref name="region"/> describes it; null when it does not exist there.</summary>
    Task<KmsKeyRegions?> DescribeKeyAsync(string region, string keyId, CancellationToken cancellationToken);
}

/// <summary><see cref="IReplicatedStores"/> on AWS: CloudWatch (<c>AWS/S3</c> metrics), Secrets Manager DescribeSecret, KMS DescribeKey.</summary>
internal sealed class AwsReplicatedStores(
    Func<string, CloudWatchClient> cloudWatch,
    Func<string, SecretsManagerClient> secrets,
    Func<string, IAmazonKeyManagementService> kms,
    TimeProvider time) : IReplicatedStores
{
    /// <summary>How far back S3 replication metrics are read (S3 publishes them once a minute).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public Task<S3ReplicationLag> S3LagAsync(string region, string sourceBucket, string destinationBucket, string ruleId, CancellationToken cancellationToken) =>
        new S3ReplicationMetrics(cloudWatch(region), time).ReadAsync(sourceBucket, destinationBucket, ruleId, Window, cancellationToken);

    public async Task<DescribeSecretResponse?> DescribeSecretAsync(string region, string secretId, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets(region).DescribeSecretAsync(new DescribeSecretRequest(secretId), cancellationToken);
        }
        catch (SecretsManagerException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<KmsKeyRegions?> DescribeKeyAsync(string region, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = (await kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).KeyMetadata;
            var configuration = metadata.MultiRegionConfiguration;
            return new KmsKeyRegions(
                metadata.MultiRegion == true,
                configuration?.PrimaryKey?.Region,
                [.. (configuration?.ReplicaKeys ?? []).Select(r => r.Region)]);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
