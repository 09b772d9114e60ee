using System.Globalization;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Cdk.Config;

/// <summary>
/// What a deployment is made of, read from CDK context (<c>cdk.json</c> or <c>-c key=value</c>). Every problem is
/// named with its context key and how to set it.
/// </summary>
internal sealed record DeploymentConfig
{
    public required string Account { get; init; }

    public required string PrimaryRegion { get; init; }

    public required string StandbyRegion { get; init; }

    /// <summary>Existing pools (set both), or <see cref="CreatePools"/> to define them here.</summary>
    public string? PrimaryUserPoolId { get; init; }

    public string? StandbyUserPoolId { get; init; }

    public bool CreatePools { get; init; }

    /// <summary>The code's default (<see cref="MirrorOptions.DefaultTableName"/>): the stacks and the code cannot disagree.</summary>
    public string TableName { get; init; } = MirrorOptions.DefaultTableName;

    /// <summary>The code's default (<see cref="MirrorOptions.DefaultFeedBuckets"/>): the function, the worker and the table agree.</summary>
    public int FeedBuckets { get; init; } = MirrorOptions.DefaultFeedBuckets;

    /// <summary>The folder holding the Replicator's Native AOT <c>bootstrap</c> (see docs/deploy.md).</summary>
    public required string ReplicatorAsset { get; init; }

    /// <summary>The registry path of the .NET container images the worker image is built from (build argument DOTNET_IMAGES).</summary>
    public string? DotnetImages { get; init; }

    /// <summary>A worker image already pushed to a registry (instead of building the Dockerfile at deploy time).</summary>
    public string? WorkerImage { get; init; }

    /// <summary>The repository root (the worker image's build context).</summary>
    public required string SourceRoot { get; init; }

    public string? AlarmEmail { get; init; }

    public string? VpcId { get; init; }

    /// <summary>
    /// The availability zones of the worker's VPC in each Region (contexts <c>primaryZones</c>, <c>standbyZones</c>,
    /// comma-separated), by default the Region's <c>a</c> and <c>b</c> zones: synthesis never looks zones up, so it runs
    /// offline (no credentials) and the template names real zones, never the CDK's "dummy1a" stand-ins.
    /// </summary>
    public IReadOnlyList<string> PrimaryZones { get; init; } = [];

    public IReadOnlyList<string> StandbyZones { get; init; } = [];

    /// <summary>What the templates would lack for a real deploy (printed when synthesizing for the placeholder account).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The availability zones the worker's VPC uses in <paramref name="region"/>.</summary>
    public IReadOnlyList<string> ZonesFor(string region)
    {
        var given = region == PrimaryRegion ? PrimaryZones : region == StandbyRegion ? StandbyZones : [];
        return given.Count > 0 ? given : [region + "a", region + "b"];
    }

    public const int DefaultReservedConcurrency = 50;

    /// <summary>The share of each Cognito quota the whole Replicator function may use unless context says otherwise.</summary>
    public const double DefaultFunctionQuotaShare = 0.2;

    public const int DefaultLogRetentionDays = 30;

    public const int DefaultReportRetentionDays = 90;

    public const string DefaultDriftSchedule = "cron(0 3 * * ? *)";

    public int ReservedConcurrency { get; init; } = DefaultReservedConcurrency;

    /// <summary>The share of each Cognito quota the whole Replicator function may use to read its pool (split over its instances).</summary>
    public double FunctionQuotaShare { get; init; } = DefaultFunctionQuotaShare;

    public string EventBusName { get; init; } = EventBridgeOptions.DefaultBusName;

    public bool UsernamesCaseSensitive { get; init; }

    /// <summary>IAM roles the pools' groups carry (the worker passes them when it creates or updates a group).</summary>
    public IReadOnlyList<string> GroupRoleArns { get; init; } = [];

    /// <summary>What the failover operator's policy may touch; each part is left out of the policy when unset.</summary>
    public FailoverTargets Failover { get; init; } = new();

    /// <summary>The token relay in both Regions behind one name (contexts <c>relay…</c>); null: no relay deployed.</summary>
    public RelaySettings? Relay { get; init; }

    public int LogRetentionDays { get; init; } = DefaultLogRetentionDays;

    public int ReportRetentionDays { get; init; } = DefaultReportRetentionDays;

    /// <summary>When the drift report runs (EventBridge Scheduler expression, UTC).</summary>
    public string DriftSchedule { get; init; } = DefaultDriftSchedule;

    public const int DefaultNativeLagAlarmMs = 60_000;

    /// <summary>
    /// Cognito's native replica copies the users (context <c>replicationMode: native</c>): the worker and the relay run
    /// with <c>Replication:Mode</c> native and the standby's Region alarms on the canary's lag instead of the change feed.
    /// </summary>
    public bool NativeReplication { get; init; }

    /// <summary>The native replica's canary lag p99 (ms) above which the standby's Region alarms (context <c>nativeLagAlarmMs</c>).</summary>
    public int NativeLagAlarmMs { get; init; } = DefaultNativeLagAlarmMs;

    /// <summary>The account templates are synthesized for when none is known (no context, no credentials): deployable nowhere.</summary>
    public const string PlaceholderAccount = "000000000000";

    public static DeploymentConfig FromContext(Func<string, string?> context, string sourceRoot, string? defaultAccount = null)
    {
        var problems = new List<string>();
        string Required(string key, string what)
        {
            var value = context(key);
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"Context '{key}' is not set: {what}. Set it in cdk/cdk.json or pass -c {key}=…");
                return string.Empty;
            }

            return value;
        }

        int Number(string key, int fallback, int min, int max)
        {
            var text = context(key);
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                problems.Add($"Context '{key}' is '{text}'; it must be a whole number from {min} to {max}.");
                return fallback;
            }

            return value;
        }

        string? Optional(string key) => context(key) is { Length: > 0 } value ? value.Trim() : null;

        string[] List(string key) => (context(key) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        double Fraction(string key, double fallback)
        {
            var text = context(key);
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1)
            {
                problems.Add($"Context '{key}' is '{text}'; it must be a number above 0 and at most 1, e.g. 0.2.");
                return fallback;
            }

            return value;
        }

        var config = new DeploymentConfig
        {
            Account = Optional("account") ?? defaultAccount ?? PlaceholderAccount,
            PrimaryRegion = Required("primaryRegion", "the Region of the primary pool, e.g. us-east-1"),
            StandbyRegion = Required("standbyRegion", "the Region of the standby pool, e.g. us-west-2"),
            PrimaryUserPoolId = context("primaryUserPoolId"),
            StandbyUserPoolId = context("standbyUserPoolId"),
            CreatePools = string.Equals(context("createPools"), "true", StringComparison.OrdinalIgnoreCase),
            TableName = context("tableName") is { Length: > 0 } table ? table : MirrorOptions.DefaultTableName,
            FeedBuckets = Number("feedBuckets", MirrorOptions.DefaultFeedBuckets, MirrorOptions.MinFeedBuckets, MirrorOptions.MaxFeedBuckets),
            ReplicatorAsset = Path.GetFullPath(context("replicatorAsset") is { Length: > 0 } asset ? asset : Path.Combine(sourceRoot, "artifacts", "replicator")),
            DotnetImages = Optional("dotnetImages"),
            WorkerImage = Optional("workerImage"),
            SourceRoot = sourceRoot,
            AlarmEmail = context("alarmEmail"),
            VpcId = context("vpcId"),
            PrimaryZones = List("primaryZones"),
            StandbyZones = List("standbyZones"),
            ReservedConcurrency = Number("reservedConcurrency", DefaultReservedConcurrency, 1, 1000),
            FunctionQuotaShare = Fraction("functionQuotaShare", DefaultFunctionQuotaShare),
            EventBusName = Optional("eventBusName") ?? EventBridgeOptions.DefaultBusName,
            GroupRoleArns = List("groupRoleArns"),
            UsernamesCaseSensitive = string.Equals(context("usernamesCaseSensitive"), "true", StringComparison.OrdinalIgnoreCase),
            Failover = new FailoverTargets
            {
                HostedZoneId = Optional("failoverHostedZoneId"),
                HealthCheckIds = List("failoverHealthCheckIds"),
                ParameterPrefix = Optional("failoverParameterPrefix"),
                ParameterKeyArns = List("failoverParameterKeyArns"),
                GlobalClusterId = Optional("failoverGlobalClusterId"),
                PrimaryDatabase = Optional("failoverPrimaryDatabase"),
                StandbyDatabase = Optional("failoverStandbyDatabase"),
                BeanstalkEnvironments = List("failoverBeanstalkEnvironments"),
                AutoScalingGroups = List("failoverAutoScalingGroups"),
                EcsServices = List("failoverEcsServices"),
                ReplicatedSecretArns = List("failoverReplicatedSecretArns"),
                ReplicatedKeyArns = List("failoverReplicatedKeyArns"),
                ReplicatedBuckets = List("failoverReplicatedBuckets"),
            },
            Relay = RelaySettings.FromContext(context, problems),
            LogRetentionDays = Number("logRetentionDays", DefaultLogRetentionDays, 1, 3653),
            ReportRetentionDays = Number("reportRetentionDays", DefaultReportRetentionDays, 1, 3653),
            DriftSchedule = context("driftSchedule") is { Length: > 0 } schedule ? schedule : DefaultDriftSchedule,
            NativeReplication = string.Equals(Optional("replicationMode"), ReplicationModes.Native, StringComparison.Ordinal),
            NativeLagAlarmMs = Number("nativeLagAlarmMs", DefaultNativeLagAlarmMs, 1000, 3_600_000),
        };

        if (Optional("replicationMode") is { } mode && !ReplicationModes.All.Contains(mode, StringComparer.Ordinal))
        {
            problems.Add($"Context 'replicationMode' is '{mode}'; use '{ReplicationModes.Replicator}' (the default) or '{ReplicationModes.Native}' (Cognito's native replica copies the users).");
        }

        if (config.NativeReplication && (config.CreatePools || config.PrimaryUserPoolId != config.StandbyUserPoolId))
        {
            problems.Add("Context 'replicationMode' is native: Cognito's replica has the primary's pool id in the standby's Region; set 'createPools' to false and 'standbyUserPoolId' to the same id as 'primaryUserPoolId'.");
        }

        if (!Regex.IsMatch(config.Account, "^[0-9]{12}$"))
        {
            problems.Add($"Context 'account' is '{config.Account}'; it must be a 12-digit AWS account id.");
        }

        foreach (var (key, region) in new[] { ("primaryRegion", config.PrimaryRegion), ("standbyRegion", config.StandbyRegion) })
        {
            if (region.Length > 0 && !Regex.IsMatch(region, "^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
            {
                problems.Add($"Context '{key}' is '{region}'; it must be an AWS Region name such as us-east-1.");
            }
        }

        if (config.PrimaryRegion.Length > 0 && config.PrimaryRegion == config.StandbyRegion)
        {
            problems.Add("Contexts 'primaryRegion' and 'standbyRegion' are the same Region; the standby belongs in another Region.");
        }

        if (!config.CreatePools && (string.IsNullOrEmpty(config.PrimaryUserPoolId) || string.IsNullOrEmpty(config.StandbyUserPoolId)))
        {
            problems.Add("Name the existing pools with contexts 'primaryUserPoolId' and 'standbyUserPoolId', or set 'createPools' to true to define new ones.");
        }

        if (!File.Exists(Path.Combine(config.ReplicatorAsset, "bootstrap")))
        {
            problems.Add($"No Replicator bootstrap in '{config.ReplicatorAsset}' (context 'replicatorAsset'); build it first: {ReplicatorPublishCommand}");
        }

        foreach (var (key, days) in new[] { ("logRetentionDays", config.LogRetentionDays) })
        {
            if (!Constructs.Retention.AllowedDays.Contains(days))
            {
                problems.Add($"Context '{key}' is {days}; CloudWatch Logs keeps logs for one of {string.Join(", ", Constructs.Retention.AllowedDays)} days.");
            }
        }

        foreach (var (key, zones, region) in new[] { ("primaryZones", config.PrimaryZones, config.PrimaryRegion), ("standbyZones", config.StandbyZones, config.StandbyRegion) })
        {
            foreach (var zone in zones.Where(z => !z.StartsWith(region, StringComparison.Ordinal) || z.Length <= region.Length))
            {
                problems.Add($"Context '{key}' holds '{zone}'; it must list availability zones of {region}, e.g. {region}a,{region}b.");
            }
        }

        // What docs/deploy.md calls required: a deploy for a real account fails naming each; the placeholder account's
        // offline synthesis goes on and prints them as warnings.
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(config.AlarmEmail))
        {
            missing.Add("Context 'alarmEmail' is not set: the address the alarm topic notifies (an alarm nobody receives is no alarm).");
        }

        if (config.WorkerImage is null && config.DotnetImages is null)
        {
            missing.Add("Neither context 'dotnetImages' (the registry path of the .NET images the Dockerfile builds from) nor 'workerImage' (an image you pushed) is set: the worker has no image.");
        }

        if (config.Account == PlaceholderAccount)
        {
            config = config with { Warnings = [.. missing.Select(m => m + " Needed before 'cdk deploy'.")] };
        }
        else
        {
            problems.AddRange(missing.Select(m => m + " Set it in cdk/cdk.json or pass -c key=value (see docs/deploy.md and cdk/examples/prod.json)."));
        }

        if (config.WorkerImage is not null && config.DotnetImages is not null)
        {
            problems.Add("Contexts 'workerImage' and 'dotnetImages' are both set; give 'workerImage' to deploy an image you pushed, or 'dotnetImages' to build the Dockerfile, not both.");
        }

        if ((config.Failover.PrimaryDatabase is null) != (config.Failover.StandbyDatabase is null))
        {
            problems.Add("Set both 'failoverPrimaryDatabase' and 'failoverStandbyDatabase' (Aurora cluster ids, or instance ids with 'db:' in front), or neither.");
        }

        if (config.Failover.ParameterPrefix is { } prefix && (!prefix.StartsWith('/') || !prefix.EndsWith('/')))
        {
            problems.Add($"Context 'failoverParameterPrefix' is '{prefix}'; it must be a parameter path that starts and ends with '/', e.g. /myapp/.");
        }

        foreach (var keyArn in config.Failover.ParameterKeyArns.Where(k => !Regex.IsMatch(k, "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")))
        {
            problems.Add($"Context 'failoverParameterKeyArns' holds '{keyArn}'; give KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>), comma-separated.");
        }

        return problems.Count == 0 ? config : throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>How the Replicator's Native AOT bootstrap is built (the CDK app runs it when the asset is missing).</summary>
    public const string ReplicatorPublishCommand = "dotnet publish src/Replicator -c Release -r linux-x64 -p:PublishAot=true -o artifacts/replicator";
}

/// <summary>The resources the failover runbook changes (docs/failover-plan.md), for the operator's policy.</summary>
internal sealed record FailoverTargets
{
    public string? HostedZoneId { get; init; }

    public IReadOnlyList<string> HealthCheckIds { get; init; } = [];

    /// <summary>The SSM parameter path the application's Cognito settings live under, e.g. <c>/myapp/</c>.</summary>
    public string? ParameterPrefix { get; init; }

    /// <summary>Customer-managed KMS keys of SecureString parameters under <see cref="ParameterPrefix"/> (ARNs).</summary>
    public IReadOnlyList<string> ParameterKeyArns { get; init; } = [];

    public string? GlobalClusterId { get; init; }

    /// <summary>The Aurora cluster id in the primary Region (or <c>db:</c> and an instance id for a replica instance).</summary>
    public string? PrimaryDatabase { get; init; }

    public string? StandbyDatabase { get; init; }

    /// <summary>Capacity tiers of kind beanstalk, as <c>application/environment</c>.</summary>
    public IReadOnlyList<string> BeanstalkEnvironments { get; init; } = [];

    /// <summary>Capacity tiers of kind asg: group names.</summary>
    public IReadOnlyList<string> AutoScalingGroups { get; init; } = [];

    /// <summary>Capacity tiers of kind ecs, as <c>cluster/service</c>.</summary>
    public IReadOnlyList<string> EcsServices { get; init; } = [];

    /// <summary>Secrets whose replicas preflight checks (ARNs).</summary>
    public IReadOnlyList<string> ReplicatedSecretArns { get; init; } = [];

    /// <summary>KMS multi-Region keys whose replicas preflight checks (ARNs).</summary>
    public IReadOnlyList<string> ReplicatedKeyArns { get; init; } = [];

    /// <summary>Buckets whose replication lag preflight reads (CloudWatch takes no resource; any name turns the grant on).</summary>
    public IReadOnlyList<string> ReplicatedBuckets { get; init; } = [];
}
