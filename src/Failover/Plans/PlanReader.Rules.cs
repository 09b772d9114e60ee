using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The plan's fields and rules: binds the tree to a <see cref="FailoverPlan"/>, collecting problems as it goes.</summary>
    private sealed partial class Rules(YamlBinder b)
    {
        public FailoverPlan? Plan(YamlTreeNode root)
        {
            var o = b.Mapping(root, Root, "version", "environment", "drill", "cognito", "pools", "mirror", "aws", "endpoints", "clientConfig", "dns", "database", "healthProbes", "capacity", "replicatedStores", "signIn", "journeys", "preflight", "timeouts");
            if (o is null)
            {
                return null;
            }

            var version = b.Int(o, "version", Root, Version);
            if (version != Version)
            {
                b.Problem(o["version"]?.At ?? o.At, "version", $"version is {version}; this idrep reads plan version {Version}. Set 'version: {Version}'.");
            }

            var environment = b.String(o, "environment", Root, required: true, "name the environment, e.g. 'environment: production' ('execute --confirm' must repeat it)");
            var cognito = Cognito(o["cognito"], "cognito");
            var pools = PerPool(o, "pools", Root, required: true, Pool);
            NativePools(o, pools);
            var plan = new FailoverPlan
            {
                Environment = environment ?? string.Empty,
                Drill = b.Bool(o, "drill", Root, false),
                Cognito = cognito,
                Pools = pools ?? new PerPool<PoolPlan>(new PoolPlan("", "", "", null), new PoolPlan("", "", "", null)),
                Mirror = Mirror(o["mirror"], "mirror"),
                Aws = Aws(o["aws"], "aws"),
                Endpoints = Endpoints(o["endpoints"], "endpoints"),
                Parameters = ClientConfig(o["clientConfig"], "clientConfig", pools),
                Dns = Dns(o["dns"], "dns"),
                Database = Database(o["database"], "database"),
                HealthProbes = HealthProbes(o["healthProbes"], "healthProbes"),
                Capacity = Capacity(o["capacity"], "capacity"),
                ReplicatedStores = ReplicatedStores(o["replicatedStores"], "replicatedStores"),
                SignIn = SignIn(o["signIn"], "signIn"),
                Journeys = Journeys(o["journeys"], "journeys", o["signIn"] is not null),
                Preflight = Preflight(o["preflight"], "preflight"),
                Timeouts = Timeouts(o["timeouts"], "timeouts"),
            };
            if (pools is not null && !_native && SamePool(pools.Primary, pools.Standby))
            {
                var standby = (o["pools"] as YamlTreeMapping)?["standby"]?.At ?? o.At;
                b.Problem(standby, "pools.standby", $"pools.standby names the same pool as pools.primary ({HomeRegion(pools.Standby)} {pools.Standby.UserPoolId}); the standby must be a different pool, normally in another Region.");
            }

            if (pools is not null && !plan.Journeys.MachineClients.IsEmpty)
            {
                foreach (var (role, pool) in new[] { ("primary", pools.Primary), ("standby", pools.Standby) }.Where(p => p.Item2.TokenEndpoint is null))
                {
                    b.Problem(o["journeys"]!.At, $"pools.{role}.tokenEndpoint", $"journeys.machineClients asks for tokens, but pools.{role}.tokenEndpoint is missing; give the pool domain's token URL, e.g. 'https://auth.example.com/oauth2/token'.");
                }
            }

            return plan;
        }

        /// <summary>
        /// The same pool: the same id in the same Region — the Region a real pool id names (<c>us-east-1_…</c> lives in
        /// us-east-1 whatever the plan says), or the same endpoint (the sandbox's pools are told apart by their emulator).
        /// </summary>
        private static bool SamePool(PoolPlan first, PoolPlan second) =>
            first.UserPoolId.Length > 0
            && string.Equals(first.UserPoolId, second.UserPoolId, StringComparison.Ordinal)
            && (string.Equals(HomeRegion(first), HomeRegion(second), StringComparison.Ordinal) || (first.Endpoint is not null && first.Endpoint == second.Endpoint));

        private static string HomeRegion(PoolPlan pool) => RegionInPoolId(pool.UserPoolId) ?? pool.Region;

        /// <summary>The Region an AWS pool id starts with (<c>us-east-1_AbC123</c>); null for other ids (the sandbox's <c>local_…</c>).</summary>
        private static string? RegionInPoolId(string poolId)
        {
            var separator = poolId.LastIndexOf('_');
            return separator > 0 && RegionPattern().IsMatch(poolId[..separator].ToLowerInvariant()) ? poolId[..separator] : null;
        }

        private PoolPlan? Pool(YamlTreeNode node, string path)
        {
            var o = b.Mapping(node, path, "region", "userPoolId", "appClientId", "endpoint", "tokenEndpoint", "jwksUri");
            if (o is null)
            {
                return null;
            }

            var region = Region(o, "region", path, required: true);
            var poolId = b.String(o, "userPoolId", path, required: true, "the user pool id, e.g. 'us-east-1_AbC123xyz'");
            if (poolId is not null && !PoolIdPattern().IsMatch(poolId))
            {
                b.Problem(o["userPoolId"]!.At, $"{path}.userPoolId", $"{path}.userPoolId is '{YamlTreeReader.Shorten(poolId)}'; it must be a user pool id such as 'us-east-1_AbC123xyz'.");
            }
            else if (poolId is not null && region is not null && RegionInPoolId(poolId) is { } home && home != region && !(_native && path.EndsWith(".standby", StringComparison.Ordinal)))
            {
                b.Problem(o["userPoolId"]!.At, $"{path}.userPoolId", $"{path}.userPoolId '{poolId}' is a pool in {home}, but {path}.region is {region}; give the pool's own Region, or the id of the pool in {region}.");
            }

            var client = b.String(o, "appClientId", path, required: true, "the application's app client id (the synthetic sign-in and client config use it)");
            return new PoolPlan(region ?? string.Empty, poolId ?? string.Empty, client ?? string.Empty, b.Url(o, "endpoint", path))
            {
                TokenEndpoint = b.Url(o, "tokenEndpoint", path),
                JwksUri = b.Url(o, "jwksUri", path),
            };
        }

        private MirrorPlan Mirror(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "tableName", "feedBuckets", "endpoints");
            return new MirrorPlan(
                (o is null ? null : b.String(o, "tableName", path, required: false, null)) ?? Core.Mirror.MirrorOptions.DefaultTableName,
                o is null ? Core.Mirror.MirrorOptions.DefaultFeedBuckets : b.Int(o, "feedBuckets", path, Core.Mirror.MirrorOptions.DefaultFeedBuckets),
                o is null ? ImmutableDictionary<string, Uri>.Empty : UrlsByRegion(o["endpoints"], $"{path}.endpoints"));
        }

        private AwsPlan Aws(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "profile", "accessKeyId", "secretAccessKey");
            if (o is null)
            {
                return new AwsPlan();
            }

            var key = b.String(o, "accessKeyId", path, false, null);
            var secret = b.String(o, "secretAccessKey", path, false, null);
            if ((key is null) != (secret is null))
            {
                b.Problem(o.At, path, $"{path}: set both accessKeyId and secretAccessKey (for the sandbox only), or neither to use the standard credential chain.");
            }

            return new AwsPlan(b.String(o, "profile", path, false, null), key, secret);
        }

        private EndpointsPlan Endpoints(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "route53", "rds", "ssm", "cloudwatch", "autoscaling", "elasticbeanstalk", "ecs", "secretsmanager", "kms");
            return o is null
                ? new EndpointsPlan()
                : new EndpointsPlan
                {
                    Route53 = b.Url(o, "route53", path),
                    Rds = UrlsByRegion(o["rds"], $"{path}.rds"),
                    Ssm = UrlsByRegion(o["ssm"], $"{path}.ssm"),
                    CloudWatch = UrlsByRegion(o["cloudwatch"], $"{path}.cloudwatch"),
                    AutoScaling = UrlsByRegion(o["autoscaling"], $"{path}.autoscaling"),
                    ElasticBeanstalk = UrlsByRegion(o["elasticbeanstalk"], $"{path}.elasticbeanstalk"),
                    Ecs = UrlsByRegion(o["ecs"], $"{path}.ecs"),
                    SecretsManager = UrlsByRegion(o["secretsmanager"], $"{path}.secretsmanager"),
                    Kms = UrlsByRegion(o["kms"], $"{path}.kms"),
                };
        }

        private string? Region(YamlTreeMapping o, string key, string path, bool required)
        {
            var text = b.String(o, key, path, required, "an AWS Region such as 'us-east-1'");
            if (text is not null && !RegionPattern().IsMatch(text))
            {
                b.Problem(o[key]!.At, b.Join(path, key), $"{b.Join(path, key)} is '{YamlTreeReader.Shorten(text)}'; it must be an AWS Region name such as 'us-east-1'.");
                return null;
            }

            return text;
        }

        private TimeSpan Duration(YamlTreeMapping o, string key, string path, TimeSpan fallback) =>
            b.Value(o, key, path, fallback, (string text, out TimeSpan value) => TryParseDuration(text, out value) && value > TimeSpan.Zero, "give a duration such as 30s, 2m, 500ms or 00:00:30");

        private PerPool<T>? PerPool<T>(YamlTreeMapping parent, string key, string path, bool required, Func<YamlTreeNode, string, T?> read)
        {
            var node = parent[key];
            var full = b.Join(path, key);
            if (node is null)
            {
                if (required)
                {
                    b.Problem(parent.At, full, $"{full} is missing; give a value for each side: '{key}: {{ primary: …, standby: … }}'.");
                }

                return null;
            }

            var o = b.Mapping(node, full, "primary", "standby");
            if (o is null)
            {
                return null;
            }

            var primary = o["primary"] is { } p ? read(p, $"{full}.primary") : default;
            var standby = o["standby"] is { } s ? read(s, $"{full}.standby") : default;
            foreach (var role in new[] { "primary", "standby" }.Where(role => o[role] is null))
            {
                b.Problem(o.At, $"{full}.{role}", $"{full}.{role} is missing; give the value for when the {role} Region is active.");
            }

            return primary is null || standby is null ? null : new PerPool<T>(primary, standby);
        }

        private ImmutableDictionary<string, Uri> UrlsByRegion(YamlTreeNode? node, string path)
        {
            if (node is null)
            {
                return ImmutableDictionary<string, Uri>.Empty;
            }

            if (node is not YamlTreeMapping o)
            {
                return b.Invalid(node.At, path, $"{path} must map Regions to URLs, e.g. 'us-east-1: http://127.0.0.1:4566/'.", ImmutableDictionary<string, Uri>.Empty);
            }

            var result = ImmutableDictionary.CreateBuilder<string, Uri>(StringComparer.Ordinal);
            foreach (var (region, value) in o.Entries)
            {
                if (!RegionPattern().IsMatch(region.Value))
                {
                    b.Problem(region.At, b.Join(path, region.Value), $"{b.Join(path, region.Value)} is not an AWS Region name; use names such as 'us-east-1'.");
                }
                else if (b.UrlValue(value, $"{path}.{region.Value}") is { } uri)
                {
                    result[region.Value] = uri;
                }
            }

            return result.ToImmutable();
        }
    }
}
