using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Rds;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The sections that say what the cut-over touches and how it is checked and timed.</summary>
    private sealed partial class Rules
    {
        private ImmutableArray<ParameterPlan> ClientConfig(YamlTreeNode? node, string path, PerPool<PoolPlan>? pools)
        {
            var o = node is null ? null : b.Mapping(node, path, "parameters");
            var result = ImmutableArray.CreateBuilder<ParameterPlan>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (item, itemPath) in b.Items(o?["parameters"], $"{path}.parameters"))
            {
                var p = b.Mapping(item, itemPath, "name", "type", "regions", "values");
                if (p is null)
                {
                    continue;
                }

                var name = b.String(p, "name", itemPath, true, "the parameter's full name, e.g. '/myapp/cognito/user-pool-id'");
                var type = b.String(p, "type", itemPath, false, null) ?? "String";
                if (type is not ("String" or "StringList" or "SecureString"))
                {
                    b.Problem(p["type"]!.At, $"{itemPath}.type", $"{itemPath}.type is '{YamlTreeReader.Shorten(type)}'; it must be String, StringList or SecureString.");
                }

                var regions = Regions(p["regions"], $"{itemPath}.regions");
                if (regions.IsDefaultOrEmpty && pools is not null)
                {
                    regions = [.. new[] { pools.Primary.Region, pools.Standby.Region }.Distinct(StringComparer.Ordinal)];
                }

                var values = PerPool(p, "values", itemPath, required: true, (n, vp) => b.Scalar(n, vp));
                if (name is not null && !seen.TryAdd(name, result.Count))
                {
                    b.Problem(p.At, itemPath, $"{itemPath} names '{name}' again ({path}.parameters[{seen[name]}] has it); list each parameter once.");
                }
                else if (name is not null && values is not null)
                {
                    result.Add(new ParameterPlan(name, type, regions, values));
                }
            }

            return result.ToImmutable();
        }

        /// <summary>A list of Region names; one name is a one-item list.</summary>
        private ImmutableArray<string> Regions(YamlTreeNode? node, string path)
        {
            var items = b.StringItems(node, path);
            foreach (var (value, at, itemPath) in items.Where(i => !RegionPattern().IsMatch(i.Value)))
            {
                b.Problem(at, itemPath, $"{itemPath} is '{YamlTreeReader.Shorten(value)}'; it must be an AWS Region name such as 'us-east-1'.");
            }

            return node is null ? default : [.. items.Select(i => i.Value)];
        }

        private DnsPlan? Dns(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "hostedZoneId", "records");
            if (o is null)
            {
                return null;
            }

            var zone = b.String(o, "hostedZoneId", path, true, "the hosted zone id, e.g. 'Z0123456789ABCDEFGHIJ'");
            var records = ImmutableArray.CreateBuilder<RecordPlan>();
            foreach (var (item, itemPath) in b.Items(o["records"], $"{path}.records"))
            {
                var r = b.Mapping(item, itemPath, "name", "type", "setIdentifier", "ttl", "failover", "values", "weights", "healthCheckId");
                if (r is null)
                {
                    continue;
                }

                var name = b.String(r, "name", itemPath, true, "the record name, e.g. 'auth.example.com.'");
                var type = b.String(r, "type", itemPath, true, "the record type, e.g. CNAME or A");
                if (type is not null && type is not ("A" or "AAAA" or "CNAME" or "TXT" or "MX" or "SRV" or "NS" or "PTR" or "SPF" or "CAA" or "NAPTR" or "DS"))
                {
                    b.Problem(r["type"]!.At, $"{itemPath}.type", $"{itemPath}.type is '{YamlTreeReader.Shorten(type)}'; use a Route 53 record type such as A, AAAA, CNAME or TXT.");
                }

                var failover = b.String(r, "failover", itemPath, false, null);
                if (failover is not null and not ("PRIMARY" or "SECONDARY"))
                {
                    b.Problem(r["failover"]!.At, $"{itemPath}.failover", $"{itemPath}.failover is '{YamlTreeReader.Shorten(failover)}'; it must be PRIMARY or SECONDARY (or left out).");
                }

                var values = PerPool(r, "values", itemPath, true, RecordValues);
                var weights = PerPool(r, "weights", itemPath, false, (n, wp) => b.Long(n, wp));
                var setIdentifier = b.String(r, "setIdentifier", itemPath, false, null);
                if ((weights is not null || failover is not null) && setIdentifier is null)
                {
                    b.Problem(r.At, $"{itemPath}.setIdentifier", $"{itemPath}.setIdentifier is missing; weighted and failover records need one (as in the hosted zone).");
                }

                if (name is not null && type is not null && values is not null)
                {
                    records.Add(new RecordPlan(
                        name,
                        type,
                        setIdentifier,
                        b.Int(r, "ttl", itemPath, 60),
                        failover,
                        new PerPool<ImmutableArray<string>>(values.Primary!.Value, values.Standby!.Value),
                        weights is null ? null : new PerPool<long>(weights.Primary!.Value, weights.Standby!.Value),
                        b.String(r, "healthCheckId", itemPath, false, null)));
                }
            }

            if (records.Count == 0)
            {
                b.Problem(o.At, $"{path}.records", $"{path}.records is empty; list the record sets to change, or remove '{path}'.");
            }

            return zone is null ? null : new DnsPlan(zone, records.ToImmutable());
        }

        /// <summary>A record's values while one side is active: a list, or one value.</summary>
        private ImmutableArray<string>? RecordValues(YamlTreeNode node, string path)
        {
            var values = b.Strings(node, path);
            return values.IsDefaultOrEmpty
                ? b.Invalid<ImmutableArray<string>?>(node.At, path, $"{path} has no value; give the record's value (or a list of values) for when that side is active.", null)
                : values;
        }

        private DatabasePlan Database(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "kind", "globalClusterId", "clusters", "instances", "mode");
            if (o is null)
            {
                return new DatabasePlan();
            }

            var kindText = b.String(o, "kind", path, true, "globalCluster, replicaCluster, replicaInstance or none");
            var kind = kindText switch
            {
                "globalCluster" => DatabaseKind.GlobalCluster,
                "replicaCluster" => DatabaseKind.ReplicaCluster,
                "replicaInstance" => DatabaseKind.ReplicaInstance,
                "none" or null => DatabaseKind.None,
                _ => b.Invalid(o["kind"]!.At, $"{path}.kind", $"{path}.kind is '{YamlTreeReader.Shorten(kindText)}'; it must be globalCluster, replicaCluster, replicaInstance or none.", DatabaseKind.None),
            };
            var mode = b.String(o, "mode", path, false, null) ?? "planned";
            if (mode is not ("planned" or "unplanned"))
            {
                b.Problem(o["mode"]!.At, $"{path}.mode", $"{path}.mode is '{YamlTreeReader.Shorten(mode)}'; it must be 'planned' (switchover, no data loss) or 'unplanned' (failover, AllowDataLoss).");
            }

            var resourceKey = kind == DatabaseKind.ReplicaInstance ? "instances" : "clusters";
            var wrongKey = kind == DatabaseKind.ReplicaInstance ? "clusters" : "instances";
            if (kind != DatabaseKind.None && o[wrongKey] is { } wrong)
            {
                b.Problem(wrong.At, $"{path}.{wrongKey}", $"{path}.{wrongKey} does not apply to kind '{kindText}'; use {path}.{resourceKey}.");
            }

            var resources = kind == DatabaseKind.None ? null : PerPool(o, resourceKey, path, true, (n, p) => b.Scalar(n, p));
            var global = b.String(o, "globalClusterId", path, kind == DatabaseKind.GlobalCluster, "the global database identifier");
            return new DatabasePlan { Kind = kind, GlobalClusterId = global, Resources = resources, Unplanned = mode == "unplanned" };
        }

        private ImmutableArray<HealthProbePlan> HealthProbes(YamlTreeNode? node, string path)
        {
            var result = ImmutableArray.CreateBuilder<HealthProbePlan>();
            foreach (var (item, itemPath) in b.Items(node, path))
            {
                var p = b.Mapping(item, itemPath, "name", "urls", "route53HealthChecks");
                if (p is null)
                {
                    continue;
                }

                var name = b.String(p, "name", itemPath, true, "a short name for reports") ?? itemPath;
                var urls = PerPool(p, "urls", itemPath, false, (n, up) => b.UrlValue(n, up));
                var checks = PerPool(p, "route53HealthChecks", itemPath, false, (n, cp) => b.Scalar(n, cp));
                if (urls is null && checks is null)
                {
                    b.Problem(p.At, itemPath, $"{itemPath} has neither urls nor route53HealthChecks; give it at least one.");
                }

                result.Add(new HealthProbePlan(name, urls is null ? new PerPool<Uri?>(null, null) : new PerPool<Uri?>(urls.Primary, urls.Standby), checks is null ? new PerPool<string?>(null, null) : new PerPool<string?>(checks.Primary, checks.Standby)));
            }

            return result.ToImmutable();
        }

        private SignInPlan? SignIn(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "username");
            var username = o is null ? null : b.String(o, "username", path, true, "the monitoring user's username or email");
            return username is null ? null : new SignInPlan(username);
        }

        private PreflightPlan Preflight(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "maxReplicationLag", "maxDatabaseLag", "driftSample", "maxDriftedUsers", "configurationDrift", "excludeAttributes", "primarySubAttribute");
            if (o is null)
            {
                return new PreflightPlan();
            }

            var defaults = new PreflightPlan();
            return new PreflightPlan
            {
                MaxReplicationLag = Duration(o, "maxReplicationLag", path, defaults.MaxReplicationLag),
                MaxDatabaseLag = Duration(o, "maxDatabaseLag", path, defaults.MaxDatabaseLag),
                DriftSample = b.Int(o, "driftSample", path, defaults.DriftSample),
                MaxDriftedUsers = b.Int(o, "maxDriftedUsers", path, 0),
                ConfigurationDrift = DriftMode(o, path),
                ExcludeAttributes = AttributeNames(o["excludeAttributes"], $"{path}.excludeAttributes"),
                PrimarySubAttribute = o["primarySubAttribute"] is null ? defaults.PrimarySubAttribute : b.String(o, "primarySubAttribute", path, false, null),
            };
        }

        /// <summary><c>preflight.configurationDrift</c>: warn (default), block or off.</summary>
        private ConfigurationDriftMode DriftMode(YamlTreeMapping o, string path)
        {
            var mode = b.String(o, "configurationDrift", path, false, null);
            return mode switch
            {
                null or "warn" => ConfigurationDriftMode.Warn,
                "block" => ConfigurationDriftMode.Block,
                "off" => ConfigurationDriftMode.Off,
                _ => b.Invalid(o["configurationDrift"]!.At, $"{path}.configurationDrift", $"{path}.configurationDrift is '{YamlTreeReader.Shorten(mode)}'; it must be 'warn' (report configuration differences; the default), 'block' (fail the standby-drift check on them) or 'off' (do not compare configuration).", ConfigurationDriftMode.Warn),
            };
        }

        /// <summary>Attribute names; one name is a one-item list, and a name never holds a comma or a space.</summary>
        private ImmutableArray<string> AttributeNames(YamlTreeNode? node, string path)
        {
            var items = b.StringItems(node, path);
            foreach (var (value, at, itemPath) in items.Where(i => i.Value.Any(c => c == ',' || char.IsWhiteSpace(c))))
            {
                var names = value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                b.Problem(at, itemPath, $"{itemPath} is '{YamlTreeReader.Shorten(value)}'; an attribute name has no commas or spaces — write one name per item: [{YamlTreeReader.Shorten(string.Join(", ", names))}].");
            }

            return [.. items.Select(i => i.Value)];
        }

        private TimeoutsPlan Timeouts(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "drain", "promotion", "dnsSync", "verify", "capacity", "pollInterval");
            var d = new TimeoutsPlan();
            return o is null
                ? d
                : new TimeoutsPlan
                {
                    Drain = Duration(o, "drain", path, d.Drain),
                    Promotion = Duration(o, "promotion", path, d.Promotion),
                    DnsSync = Duration(o, "dnsSync", path, d.DnsSync),
                    Verify = Duration(o, "verify", path, d.Verify),
                    Capacity = Duration(o, "capacity", path, d.Capacity),
                    PollInterval = Duration(o, "pollInterval", path, d.PollInterval),
                };
        }
    }
}
