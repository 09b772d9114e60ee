using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The <c>capacity:</c> section (application tiers scaled by the run).</summary>
    private sealed partial class Rules
    {
        private CapacitySection Capacity(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "parallelWithDatabase", "tiers");
            if (o is null)
            {
                return new CapacitySection();
            }

            var tiers = ImmutableArray.CreateBuilder<CapacityPlan>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (item, itemPath) in b.Items(o["tiers"], $"{path}.tiers"))
            {
                var t = b.Mapping(item, itemPath, "name", "kind", "application", "resources", "clusters", "active", "warm", "lowerAfterVerify");
                if (t is null)
                {
                    continue;
                }

                var name = b.String(t, "name", itemPath, true, "a short name for the tier, e.g. 'web'");
                var kindText = b.String(t, "kind", itemPath, true, "beanstalk, asg or ecs");
                CapacityKind? kind = kindText switch
                {
                    null => null,
                    "beanstalk" => CapacityKind.Beanstalk,
                    "asg" => CapacityKind.Asg,
                    "ecs" => CapacityKind.Ecs,
                    _ => b.Invalid<CapacityKind?>(t["kind"]!.At, $"{itemPath}.kind", $"{itemPath}.kind is '{YamlTreeReader.Shorten(kindText)}'; it must be beanstalk (an Elastic Beanstalk environment), asg (an EC2 Auto Scaling group) or ecs (an ECS service).", null),
                };
                var resources = PerPool(t, "resources", itemPath, true, (n, p) => b.Scalar(n, p));
                var application = b.String(t, "application", itemPath, kind == CapacityKind.Beanstalk, "the Elastic Beanstalk application the environments belong to");
                var clusters = PerPool(t, "clusters", itemPath, kind == CapacityKind.Ecs, (n, p) => b.Scalar(n, p));
                if (kind != CapacityKind.Beanstalk && t["application"] is { } app)
                {
                    b.Problem(app.At, $"{itemPath}.application", $"{itemPath}.application is only for kind beanstalk; remove it.");
                }

                if (kind != CapacityKind.Ecs && t["clusters"] is { } cl)
                {
                    b.Problem(cl.At, $"{itemPath}.clusters", $"{itemPath}.clusters is only for kind ecs; remove it.");
                }

                var active = b.Int(t, "active", itemPath, -1);
                var warm = b.Int(t, "warm", itemPath, -1);
                if (active < 1)
                {
                    b.Problem(t["active"]?.At ?? t.At, $"{itemPath}.active", $"{itemPath}.active is {(t["active"] is null ? "missing" : active)}; give the size (instances or tasks) the serving Region needs, at least 1.");
                }

                if (warm < 0 || (active >= 1 && warm > active))
                {
                    b.Problem(t["warm"]?.At ?? t.At, $"{itemPath}.warm", $"{itemPath}.warm is {(t["warm"] is null ? "missing" : warm)}; give the warm-standby size, from 0 up to active ({Math.Max(active, 0)}).");
                }

                if (name is not null && !seen.Add(name))
                {
                    b.Problem(t.At, $"{itemPath}.name", $"{itemPath}.name '{name}' is used by another tier; give each tier its own name.");
                }
                else if (name is not null && kind is { } k && resources is not null && active >= 1 && warm >= 0 && warm <= active)
                {
                    tiers.Add(new CapacityPlan
                    {
                        Name = name,
                        Kind = k,
                        Resources = new PerPool<string>(resources.Primary!, resources.Standby!),
                        Application = application,
                        Clusters = clusters is null ? null : new PerPool<string>(clusters.Primary!, clusters.Standby!),
                        Active = active,
                        Warm = warm,
                        LowerAfterVerify = b.Bool(t, "lowerAfterVerify", itemPath, false),
                    });
                }
            }

            if (o["tiers"] is not null && tiers.Count == 0 && b.Problems.Count == 0)
            {
                b.Problem(o.At, $"{path}.tiers", $"{path}.tiers is empty; list the application tiers to scale, or remove '{path}'.");
            }

            return new CapacitySection { Tiers = tiers.ToImmutable(), ParallelWithDatabase = b.Bool(o, "parallelWithDatabase", path, true) };
        }
    }
}
