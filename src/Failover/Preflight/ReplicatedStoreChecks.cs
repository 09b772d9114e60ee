using System.Globalization;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Preflight;

/// <summary>
/// Preflight for <c>replicatedStores:</c>: S3 replication lag (CloudWatch, in the Region left behind, whose bucket is
/// the source), Secrets Manager replicas InSync in the target Region, KMS multi-Region keys with a replica there. With
/// <c>mode: warn</c> (the default) a problem is named in the detail and the check passes; with <c>block</c> it fails.
/// </summary>
internal static class ReplicatedStoreChecks
{
    public static async Task<CheckResult> S3Async(FailoverPlan plan, IReplicatedStores? stores, PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        var section = plan.ReplicatedStores;
        if (section.S3.IsDefaultOrEmpty || stores is null)
        {
            return new CheckResult(PreflightChecks.S3Replication, true, "no S3 buckets to check");
        }

        var lines = new List<(bool Ok, string Text)>();
        foreach (var entry in section.S3)
        {
            var (source, destination, rule) = (entry.Buckets.For(from), entry.Buckets.For(to), entry.RuleIds.For(from));
            var lag = await stores.S3LagAsync(plan.Region(from), source, destination, rule, cancellationToken);
            if (!lag.IsKnown)
            {
                lines.Add((false, $"{source} → {destination} (rule {rule}): the lag cannot be known — no replication metrics in the last {AwsReplicatedStores.Window.TotalMinutes:0} minutes; enable replication metrics on the rule"));
                continue;
            }

            var seconds = lag.LatencySeconds ?? 0;
            var ok = seconds <= section.MaxS3Lag.TotalSeconds;
            lines.Add((ok, $"{source} → {destination} (rule {rule}): latency {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s{(ok ? string.Empty : $" (over replicatedStores.maxS3Lag {section.MaxS3Lag.TotalSeconds:0} s)")}, {(lag.OperationsPending ?? 0).ToString("0", CultureInfo.InvariantCulture)} operations pending"));
        }

        return Result(PreflightChecks.S3Replication, section.Mode, lines);
    }

    public static async Task<CheckResult> SecretsAsync(FailoverPlan plan, IReplicatedStores? stores, PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        var section = plan.ReplicatedStores;
        if (section.Secrets.IsDefaultOrEmpty || stores is null)
        {
            return new CheckResult(PreflightChecks.SecretReplicas, true, "no secrets to check");
        }

        var (fromRegion, toRegion) = (plan.Region(from), plan.Region(to));
        var lines = new List<(bool Ok, string Text)>();
        foreach (var id in section.Secrets)
        {
            var secret = await stores.DescribeSecretAsync(fromRegion, id, cancellationToken);
            if (secret is null)
            {
                lines.Add((false, $"{id}: not found in {fromRegion}"));
            }
            else if (secret.PrimaryRegion == toRegion)
            {
                lines.Add((true, $"{id}: its primary is in {toRegion}"));
            }
            else if (secret.ReplicationStatus.FirstOrDefault(r => r.Region == toRegion) is { } replica)
            {
                lines.Add((replica.Status == "InSync", $"{id}: replica in {toRegion} {replica.Status}"));
            }
            else
            {
                lines.Add((false, $"{id}: no replica in {toRegion}; add one (Secrets Manager ReplicateSecretToRegions)"));
            }
        }

        return Result(PreflightChecks.SecretReplicas, section.Mode, lines);
    }

    public static async Task<CheckResult> KmsAsync(FailoverPlan plan, IReplicatedStores? stores, PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        var section = plan.ReplicatedStores;
        if (section.KmsKeys.IsDefaultOrEmpty || stores is null)
        {
            return new CheckResult(PreflightChecks.KmsReplicas, true, "no KMS keys to check");
        }

        var (fromRegion, toRegion) = (plan.Region(from), plan.Region(to));
        var lines = new List<(bool Ok, string Text)>();
        foreach (var id in section.KmsKeys)
        {
            var key = await stores.DescribeKeyAsync(fromRegion, id, cancellationToken);
            lines.Add(key switch
            {
                null => (false, $"{id}: not found in {fromRegion}"),
                { MultiRegion: false } => (false, $"{id}: not a multi-Region key; data it encrypts cannot be decrypted in {toRegion}"),
                _ when key.PrimaryRegion == toRegion || key.ReplicaRegions.Contains(toRegion) => (true, $"{id}: present in {toRegion}"),
                _ => (false, $"{id}: no replica in {toRegion}; create one (KMS ReplicateKey)"),
            });
        }

        return Result(PreflightChecks.KmsReplicas, section.Mode, lines);
    }

    private static CheckResult Result(string name, ReplicatedStoreMode mode, List<(bool Ok, string Text)> lines)
    {
        var failed = lines.Any(l => !l.Ok);
        var detail = string.Join("; ", lines.Select(l => l.Text));
        return !failed
            ? new CheckResult(name, true, detail)
            : mode == ReplicatedStoreMode.Block
                ? new CheckResult(name, false, detail)
                : new CheckResult(name, true, "warning (replicatedStores.mode: warn): " + detail);
    }
}
