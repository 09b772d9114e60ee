using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

/// <summary>What a failed replicated-store check does: warn (named in the check's detail, the check passes) or block the run.</summary>
public enum ReplicatedStoreMode
{
    Warn,
    Block,
}

/// <summary>An S3 bucket pair with a replication rule from each side's bucket to the other's (the one of the side left behind is read).</summary>
public sealed record S3ReplicationPlan(PerPool<string> Buckets, PerPool<string> RuleIds);

/// <summary>
/// The <c>replicatedStores:</c> section: data AWS replicates on its own (S3 replication, Secrets Manager replicas, KMS
/// multi-Region keys) checked in preflight before the cut-over.
/// </summary>
public sealed record ReplicatedStoresPlan
{
    public ReplicatedStoreMode Mode { get; init; } = ReplicatedStoreMode.Warn;

    /// <summary>The most S3 replication may lag (CloudWatch <c>ReplicationLatency</c>).</summary>
    public TimeSpan MaxS3Lag { get; init; } = TimeSpan.FromMinutes(15);

    public ImmutableArray<S3ReplicationPlan> S3 { get; init; } = [];

    /// <summary>Secret names or ARNs that must have an InSync replica in the Region the run moves to.</summary>
    public ImmutableArray<string> Secrets { get; init; } = [];

    /// <summary>KMS multi-Region key ids (or ARNs) that must have a replica in the Region the run moves to.</summary>
    public ImmutableArray<string> KmsKeys { get; init; } = [];
}
