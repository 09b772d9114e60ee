using System.Collections.Immutable;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The <c>replicatedStores:</c> section.</summary>
    private sealed partial class Rules
    {
        private ReplicatedStoresPlan ReplicatedStores(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "mode", "maxS3Lag", "s3", "secrets", "kmsKeys");
            if (o is null)
            {
                return new ReplicatedStoresPlan();
            }

            var modeText = b.String(o, "mode", path, false, null) ?? "warn";
            var mode = modeText switch
            {
                "warn" => ReplicatedStoreMode.Warn,
                "block" => ReplicatedStoreMode.Block,
                _ => b.Invalid(o["mode"]!.At, $"{path}.mode", $"{path}.mode is '{YamlTreeReader.Shorten(modeText)}'; it must be warn (a failed check is reported, the run goes on) or block (a failed check stops the run).", ReplicatedStoreMode.Warn),
            };
            var s3 = ImmutableArray.CreateBuilder<S3ReplicationPlan>();
            foreach (var (item, itemPath) in b.Items(o["s3"], $"{path}.s3"))
            {
                var e = b.Mapping(item, itemPath, "buckets", "ruleIds");
                if (e is null)
                {
                    continue;
                }

                var buckets = PerPool(e, "buckets", itemPath, true, (n, p) => b.Scalar(n, p));
                var rules = PerPool(e, "ruleIds", itemPath, true, (n, p) => b.Scalar(n, p));
                if (buckets is not null && rules is not null)
                {
                    s3.Add(new S3ReplicationPlan(new(buckets.Primary!, buckets.Standby!), new(rules.Primary!, rules.Standby!)));
                }
            }

            return new ReplicatedStoresPlan
            {
                Mode = mode,
                MaxS3Lag = Duration(o, "maxS3Lag", path, TimeSpan.FromMinutes(15)),
                S3 = s3.ToImmutable(),
                Secrets = o["secrets"] is null ? [] : b.Strings(o["secrets"], $"{path}.secrets"),
                KmsKeys = o["kmsKeys"] is null ? [] : b.Strings(o["kmsKeys"], $"{path}.kmsKeys"),
            };
        }
    }
}
