using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Rds;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IdentityReplicator.Failover.Plans;

/// <summary>A plan file that cannot be used. Every problem names the field (as a path) and the fix.</summary>
public sealed class PlanException : Exception
{
    public PlanException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public PlanException()
    {
        Problems = [];
    }

    public PlanException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public PlanException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}

/// <summary>
/// Reads a plan file (YAML, or JSON — which is YAML too) and validates it. Unknown fields are errors, with the nearest
/// known name suggested, so a typo never silently drops a setting. All problems are reported at once.
/// </summary>
public static partial class PlanReader
{
    public const int Version = 1;

    public static async Task<FailoverPlan> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new PlanException($"Plan file '{path}' (--plan) does not exist; see docs/failover-plan.md for a commented example, or run 'idrep sandbox up' for one that fits the sandbox.");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, Path.GetFullPath(path));
    }

    public static FailoverPlan Parse(string text, string? sourcePath = null)
    {
        JsonNode? root;
        try
        {
            root = ToJson(text);
        }
        catch (YamlException e)
        {
            throw new PlanException($"The plan is not valid YAML or JSON (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }

        var binder = new Binder();
        var plan = binder.Plan(root);
        if (binder.Problems.Count > 0 || plan is null)
        {
            throw new PlanException(binder.Problems.Count > 0 ? binder.Problems : ["The plan is empty; see docs/failover-plan.md."]);
        }

        return plan with
        {
            SourcePath = sourcePath,
            ContentHash = System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16],
        };
    }

    /// <summary>Durations as <c>30s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        var match = DurationPattern().Match(text.Trim());
        if (match.Success)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            value = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    private static JsonNode? ToJson(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return yaml.Documents.Count == 0 ? null : Convert(yaml.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, Convert(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode { Value: null or "~" or "null" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    /// <summary>Binds the tree to the plan, collecting problems as it goes.</summary>
    private sealed class Binder
    {
        public List<string> Problems { get; } = [];

        public FailoverPlan? Plan(JsonNode? root)
        {
            var o = Object(root, "(plan)", "version", "environment", "drill", "pools", "mirror", "aws", "endpoints", "clientConfig", "dns", "database", "healthProbes", "signIn", "preflight", "timeouts");
            if (o is null)
            {
                return null;
            }

            var version = Int(o, "version", "(plan)", Version);
            if (version != Version)
            {
                Problems.Add($"version is {version}; this idrep reads plan version {Version}. Set 'version: {Version}'.");
            }

            var environment = String(o, "environment", "(plan)", required: true, "name the environment, e.g. 'environment: production' ('execute --confirm' must repeat it)");
            var pools = PerSide(o, "pools", "(plan)", required: true, Pool);
            var mirror = Mirror(o["mirror"], "mirror");
            var parameters = ClientConfig(o["clientConfig"], "clientConfig", pools);
            var plan = new FailoverPlan
            {
                Environment = environment ?? string.Empty,
                Drill = Bool(o, "drill", "(plan)", false),
                Pools = pools ?? new PerSide<PoolPlan>(new PoolPlan("", "", "", null), new PoolPlan("", "", "", null)),
                Mirror = mirror,
                Aws = Aws(o["aws"], "aws"),
                Endpoints = Endpoints(o["endpoints"], "endpoints"),
                Parameters = parameters,
                Dns = Dns(o["dns"], "dns"),
                Database = Database(o["database"], "database"),
                HealthProbes = HealthProbes(o["healthProbes"], "healthProbes"),
                SignIn = SignIn(o["signIn"], "signIn"),
                Preflight = Preflight(o["preflight"], "preflight"),
                Timeouts = Timeouts(o["timeouts"], "timeouts"),
            };
            if (pools is not null && pools.Primary.Region == pools.Standby.Region && pools.Primary.UserPoolId == pools.Standby.UserPoolId)
            {
                Problems.Add("pools.primary and pools.standby name the same pool; the standby must be a different pool, normally in another Region.");
            }

            return plan;
        }

        private PoolPlan? Pool(JsonNode? node, string path)
        {
            var o = Object(node, path, "region", "userPoolId", "appClientId", "endpoint");
            if (o is null)
            {
                return null;
            }

            var region = Region(o, "region", path, required: true);
            var poolId = String(o, "userPoolId", path, required: true, "the user pool id, e.g. 'us-east-1_AbC123xyz'");
            if (poolId is not null && !PoolIdPattern().IsMatch(poolId))
            {
                Problems.Add($"{path}.userPoolId is '{poolId}'; it must be a user pool id such as 'us-east-1_AbC123xyz'.");
            }

            var client = String(o, "appClientId", path, required: true, "the application's app client id (the synthetic sign-in and client config use it)");
            return new PoolPlan(region ?? string.Empty, poolId ?? string.Empty, client ?? string.Empty, Url(o, "endpoint", path));
        }

        private MirrorPlan Mirror(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "tableName", "feedBuckets", "endpoints");
            return new MirrorPlan(
                (o is null ? null : String(o, "tableName", path, required: false, null)) ?? "identity-replicator-mirror",
                o is null ? 8 : Int(o, "feedBuckets", path, 8),
                o is null ? ImmutableDictionary<string, Uri>.Empty : UrlsByRegion(o["endpoints"], $"{path}.endpoints"));
        }

        private AwsPlan Aws(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "profile", "accessKeyId", "secretAccessKey");
            if (o is null)
            {
                return new AwsPlan();
            }

            var key = String(o, "accessKeyId", path, false, null);
            var secret = String(o, "secretAccessKey", path, false, null);
            if ((key is null) != (secret is null))
            {
                Problems.Add($"{path}: set both accessKeyId and secretAccessKey (for the sandbox only), or neither to use the standard credential chain.");
            }

            return new AwsPlan(String(o, "profile", path, false, null), key, secret);
        }

        private EndpointsPlan Endpoints(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "route53", "rds", "ssm", "cloudwatch");
            return o is null
                ? new EndpointsPlan()
                : new EndpointsPlan
                {
                    Route53 = Url(o, "route53", path),
                    Rds = UrlsByRegion(o["rds"], $"{path}.rds"),
                    Ssm = UrlsByRegion(o["ssm"], $"{path}.ssm"),
                    CloudWatch = UrlsByRegion(o["cloudwatch"], $"{path}.cloudwatch"),
                };
        }

        private ImmutableArray<ParameterPlan> ClientConfig(JsonNode? node, string path, PerSide<PoolPlan>? pools)
        {
            var o = node is null ? null : Object(node, path, "parameters");
            var result = ImmutableArray.CreateBuilder<ParameterPlan>();
            foreach (var (item, itemPath) in Items(o?["parameters"], $"{path}.parameters"))
            {
                var p = Object(item, itemPath, "name", "type", "regions", "values");
                if (p is null)
                {
                    continue;
                }

                var name = String(p, "name", itemPath, true, "the parameter's full name, e.g. '/myapp/cognito/user-pool-id'");
                var type = String(p, "type", itemPath, false, null) ?? "String";
                if (type is not ("String" or "StringList" or "SecureString"))
                {
                    Problems.Add($"{itemPath}.type is '{type}'; it must be String, StringList or SecureString.");
                }

                var regions = Strings(p["regions"], $"{itemPath}.regions");
                if (regions.IsDefaultOrEmpty && pools is not null)
                {
                    regions = [.. new[] { pools.Primary.Region, pools.Standby.Region }.Distinct(StringComparer.Ordinal)];
                }

                var values = PerSide(p, "values", itemPath, required: true, (n, vp) => Scalar(n, vp));
                if (name is not null && values is not null)
                {
                    result.Add(new ParameterPlan(name, type, regions, values));
                }
            }

            var duplicates = result.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            foreach (var duplicate in duplicates)
            {
                Problems.Add($"{path}.parameters names '{duplicate}' more than once; list each parameter once.");
            }

            return result.ToImmutable();
        }

        private DnsPlan? Dns(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "hostedZoneId", "records");
            if (o is null)
            {
                return null;
            }

            var zone = String(o, "hostedZoneId", path, true, "the hosted zone id, e.g. 'Z0123456789ABCDEFGHIJ'");
            var records = ImmutableArray.CreateBuilder<RecordPlan>();
            foreach (var (item, itemPath) in Items(o["records"], $"{path}.records"))
            {
                var r = Object(item, itemPath, "name", "type", "setIdentifier", "ttl", "failover", "values", "weights", "healthCheckId");
                if (r is null)
                {
                    continue;
                }

                var name = String(r, "name", itemPath, true, "the record name, e.g. 'auth.example.com.'");
                var type = String(r, "type", itemPath, true, "the record type, e.g. CNAME or A");
                if (type is not null && type is not ("A" or "AAAA" or "CNAME" or "TXT" or "MX" or "SRV" or "NS" or "PTR" or "SPF" or "CAA" or "NAPTR" or "DS"))
                {
                    Problems.Add($"{itemPath}.type is '{type}'; use a Route 53 record type such as A, AAAA, CNAME or TXT.");
                }

                var failover = String(r, "failover", itemPath, false, null);
                if (failover is not null and not ("PRIMARY" or "SECONDARY"))
                {
                    Problems.Add($"{itemPath}.failover is '{failover}'; it must be PRIMARY or SECONDARY (or left out).");
                }

                var values = PerSide(r, "values", itemPath, true, (n, vp) => Strings(n, vp) is { IsDefaultOrEmpty: false } v ? v : Scalar(n, vp) is { } s ? [s] : (ImmutableArray<string>?)null);
                var weights = PerSide(r, "weights", itemPath, false, (n, vp) => Long(n, vp));
                var setIdentifier = String(r, "setIdentifier", itemPath, false, null);
                if ((weights is not null || failover is not null) && setIdentifier is null)
                {
                    Problems.Add($"{itemPath}.setIdentifier is missing; weighted and failover records need one (as in the hosted zone).");
                }

                if (name is not null && type is not null && values is not null)
                {
                    records.Add(new RecordPlan(
                        name,
                        type,
                        setIdentifier,
                        Int(r, "ttl", itemPath, 60),
                        failover,
                        new PerSide<ImmutableArray<string>>(values.Primary!.Value, values.Standby!.Value),
                        weights is null ? null : new PerSide<long>(weights.Primary!.Value, weights.Standby!.Value),
                        String(r, "healthCheckId", itemPath, false, null)));
                }
            }

            if (records.Count == 0)
            {
                Problems.Add($"{path}.records is empty; list the record sets to change, or remove '{path}'.");
            }

            return zone is null ? null : new DnsPlan(zone, records.ToImmutable());
        }

        private DatabasePlan Database(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "kind", "globalClusterId", "clusters", "instances", "mode");
            if (o is null)
            {
                return new DatabasePlan();
            }

            var kindText = String(o, "kind", path, true, "globalCluster, replicaCluster, replicaInstance or none");
            var kind = kindText switch
            {
                "globalCluster" => DatabaseKind.GlobalCluster,
                "replicaCluster" => DatabaseKind.ReplicaCluster,
                "replicaInstance" => DatabaseKind.ReplicaInstance,
                "none" or null => DatabaseKind.None,
                _ => Invalid($"{path}.kind is '{kindText}'; it must be globalCluster, replicaCluster, replicaInstance or none.", DatabaseKind.None),
            };
            var mode = String(o, "mode", path, false, null) ?? "planned";
            if (mode is not ("planned" or "unplanned"))
            {
                Problems.Add($"{path}.mode is '{mode}'; it must be 'planned' (switchover, no data loss) or 'unplanned' (failover, AllowDataLoss).");
            }

            var resourceKey = kind == DatabaseKind.ReplicaInstance ? "instances" : "clusters";
            var wrongKey = kind == DatabaseKind.ReplicaInstance ? "clusters" : "instances";
            if (kind != DatabaseKind.None && o[wrongKey] is not null)
            {
                Problems.Add($"{path}.{wrongKey} does not apply to kind '{kindText}'; use {path}.{resourceKey}.");
            }

            var resources = kind == DatabaseKind.None ? null : PerSide(o, resourceKey, path, true, (n, p) => Scalar(n, p));
            var global = String(o, "globalClusterId", path, kind == DatabaseKind.GlobalCluster, "the global database identifier");
            return new DatabasePlan { Kind = kind, GlobalClusterId = global, Resources = resources, Unplanned = mode == "unplanned" };
        }

        private ImmutableArray<HealthProbePlan> HealthProbes(JsonNode? node, string path)
        {
            var result = ImmutableArray.CreateBuilder<HealthProbePlan>();
            foreach (var (item, itemPath) in Items(node, path))
            {
                var p = Object(item, itemPath, "name", "urls", "route53HealthChecks");
                if (p is null)
                {
                    continue;
                }

                var name = String(p, "name", itemPath, true, "a short name for reports") ?? itemPath;
                var urls = PerSide(p, "urls", itemPath, false, (n, up) => UrlValue(n, up));
                var checks = PerSide(p, "route53HealthChecks", itemPath, false, (n, cp) => Scalar(n, cp));
                if (urls is null && checks is null)
                {
                    Problems.Add($"{itemPath} has neither urls nor route53HealthChecks; give it at least one.");
                }

                result.Add(new HealthProbePlan(name, urls is null ? new PerSide<Uri?>(null, null) : new PerSide<Uri?>(urls.Primary, urls.Standby), checks is null ? new PerSide<string?>(null, null) : new PerSide<string?>(checks.Primary, checks.Standby)));
            }

            return result.ToImmutable();
        }

        private SignInPlan? SignIn(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "username");
            var username = o is null ? null : String(o, "username", path, true, "the monitoring user's username or email");
            return username is null ? null : new SignInPlan(username);
        }

        private PreflightPlan Preflight(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "maxReplicationLag", "maxDatabaseLag", "driftSample", "maxDriftedUsers", "excludeAttributes", "primarySubAttribute");
            if (o is null)
            {
                return new PreflightPlan();
            }

            var defaults = new PreflightPlan();
            return new PreflightPlan
            {
                MaxReplicationLag = Duration(o, "maxReplicationLag", path, defaults.MaxReplicationLag),
                MaxDatabaseLag = Duration(o, "maxDatabaseLag", path, defaults.MaxDatabaseLag),
                DriftSample = Int(o, "driftSample", path, defaults.DriftSample),
                MaxDriftedUsers = Int(o, "maxDriftedUsers", path, 0),
                ExcludeAttributes = Strings(o["excludeAttributes"], $"{path}.excludeAttributes") is { IsDefault: false } e ? e : [],
                PrimarySubAttribute = o["primarySubAttribute"] is null ? defaults.PrimarySubAttribute : String(o, "primarySubAttribute", path, false, null),
            };
        }

        private TimeoutsPlan Timeouts(JsonNode? node, string path)
        {
            var o = node is null ? null : Object(node, path, "drain", "promotion", "dnsSync", "verify", "pollInterval");
            var d = new TimeoutsPlan();
            return o is null
                ? d
                : new TimeoutsPlan
                {
                    Drain = Duration(o, "drain", path, d.Drain),
                    Promotion = Duration(o, "promotion", path, d.Promotion),
                    DnsSync = Duration(o, "dnsSync", path, d.DnsSync),
                    Verify = Duration(o, "verify", path, d.Verify),
                    PollInterval = Duration(o, "pollInterval", path, d.PollInterval),
                };
        }

        private PerSide<T>? PerSide<T>(JsonObject parent, string key, string path, bool required, Func<JsonNode?, string, T?> read)
        {
            var node = parent[key];
            var full = Join(path, key);
            if (node is null)
            {
                if (required)
                {
                    Problems.Add($"{full} is missing; give a value for each side: '{key}: {{ primary: …, standby: … }}'.");
                }

                return null;
            }

            var o = Object(node, full, "primary", "standby");
            if (o is null)
            {
                return null;
            }

            var primary = o["primary"] is null ? default : read(o["primary"], $"{full}.primary");
            var standby = o["standby"] is null ? default : read(o["standby"], $"{full}.standby");
            foreach (var side in new[] { "primary", "standby" }.Where(s => o[s] is null))
            {
                Problems.Add($"{full}.{side} is missing; give the value for when the {side} Region is active.");
            }

            return primary is null || standby is null ? null : new PerSide<T>(primary, standby);
        }

        private JsonObject? Object(JsonNode? node, string path, params string[] allowed)
        {
            if (node is not JsonObject o)
            {
                Problems.Add($"{path} must be a mapping (key: value lines), not {Describe(node)}.");
                return null;
            }

            foreach (var (key, _) in o)
            {
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    var nearest = allowed.MinBy(a => Distance(a.ToLowerInvariant(), key.ToLowerInvariant()))!;
                    var hint = Distance(nearest.ToLowerInvariant(), key.ToLowerInvariant()) <= Math.Max(2, key.Length / 3)
                        ? $"did you mean '{nearest}'?"
                        : $"the fields here are {string.Join(", ", allowed)}.";
                    Problems.Add($"{Join(path, key)} is not a plan field; {hint}");
                }
            }

            return o;
        }

        private IEnumerable<(JsonNode? Item, string Path)> Items(JsonNode? node, string path)
        {
            if (node is null)
            {
                yield break;
            }

            if (node is not JsonArray list)
            {
                Problems.Add($"{path} must be a list (lines starting with '- '), not {Describe(node)}.");
                yield break;
            }

            for (var i = 0; i < list.Count; i++)
            {
                yield return (list[i], $"{path}[{i}]");
            }
        }

        private string? String(JsonObject o, string key, string path, bool required, string? hint)
        {
            var node = o[key];
            if (node is null)
            {
                if (required)
                {
                    Problems.Add($"{Join(path, key)} is missing; {hint}.");
                }

                return null;
            }

            return Scalar(node, Join(path, key));
        }

        private string? Scalar(JsonNode? node, string path)
        {
            if (node is JsonValue value)
            {
                var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return text;
                }
            }

            Problems.Add($"{path} must be a non-empty value, not {Describe(node)}.");
            return null;
        }

        private ImmutableArray<string> Strings(JsonNode? node, string path)
        {
            if (node is null)
            {
                return default;
            }

            if (node is JsonArray list)
            {
                return [.. list.Select((n, i) => Scalar(n, $"{path}[{i}]")).OfType<string>()];
            }

            return default;
        }

        private long? Long(JsonNode? node, string path)
        {
            var text = Scalar(node, path);
            if (text is not null && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return value;
            }

            if (text is not null)
            {
                Problems.Add($"{path} is '{text}'; it must be a whole number of 0 or more.");
            }

            return null;
        }

        private int Int(JsonObject o, string key, string path, int fallback) =>
            o[key] is null ? fallback : (int)Math.Min(int.MaxValue, Long(o[key], Join(path, key)) ?? fallback);

        private bool Bool(JsonObject o, string key, string path, bool fallback)
        {
            if (o[key] is null)
            {
                return fallback;
            }

            var text = Scalar(o[key], Join(path, key));
            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            Problems.Add($"{Join(path, key)} is '{text}'; it must be true or false.");
            return fallback;
        }

        private TimeSpan Duration(JsonObject o, string key, string path, TimeSpan fallback)
        {
            if (o[key] is null)
            {
                return fallback;
            }

            var text = Scalar(o[key], Join(path, key));
            if (text is not null && TryParseDuration(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            Problems.Add($"{Join(path, key)} is '{text}'; give a duration such as 30s, 2m, 500ms or 00:00:30.");
            return fallback;
        }

        private string? Region(JsonObject o, string key, string path, bool required)
        {
            var text = String(o, key, path, required, "an AWS Region such as 'us-east-1'");
            if (text is not null && !RegionPattern().IsMatch(text))
            {
                Problems.Add($"{Join(path, key)} is '{text}'; it must be an AWS Region name such as 'us-east-1'.");
                return null;
            }

            return text;
        }

        private Uri? Url(JsonObject o, string key, string path) => o[key] is null ? null : UrlValue(o[key], Join(path, key));

        private Uri? UrlValue(JsonNode? node, string path)
        {
            var text = Scalar(node, path);
            if (text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            if (text is not null)
            {
                Problems.Add($"{path} is '{text}'; it must be an absolute http(s) URL.");
            }

            return null;
        }

        private ImmutableDictionary<string, Uri> UrlsByRegion(JsonNode? node, string path)
        {
            if (node is null)
            {
                return ImmutableDictionary<string, Uri>.Empty;
            }

            if (node is not JsonObject o)
            {
                Problems.Add($"{path} must map Regions to URLs, e.g. 'us-east-1: http://127.0.0.1:4566/'.");
                return ImmutableDictionary<string, Uri>.Empty;
            }

            var result = ImmutableDictionary.CreateBuilder<string, Uri>(StringComparer.Ordinal);
            foreach (var (region, value) in o)
            {
                if (!RegionPattern().IsMatch(region))
                {
                    Problems.Add($"{path}.{region} is not an AWS Region name; use names such as 'us-east-1'.");
                }
                else if (UrlValue(value, $"{path}.{region}") is { } uri)
                {
                    result[region] = uri;
                }
            }

            return result.ToImmutable();
        }

        private T Invalid<T>(string problem, T fallback)
        {
            Problems.Add(problem);
            return fallback;
        }

        private static string Join(string path, string key) => path == "(plan)" ? key : $"{path}.{key}";

        private static string Describe(JsonNode? node) => node switch
        {
            null => "empty",
            JsonArray => "a list",
            JsonObject => "a mapping",
            _ => $"'{node.ToJsonString().Trim('"')}'",
        };

        private static int Distance(string a, string b)
        {
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var previous = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var current = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                    previous = current;
                }
            }

            return row[b.Length];
        }
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[\\w-]+_[0-9a-zA-Z]+$")]
    private static partial Regex PoolIdPattern();
}
