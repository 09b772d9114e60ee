using System.Collections.Immutable;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Rds;

namespace IdentityReplicator.Failover.Plans;

/// <summary>
/// A failover plan: everything the cut-over touches, for one environment (docs/failover-plan.md). Loaded and validated
/// by <see cref="PlanReader"/>; immutable.
/// </summary>
public sealed record FailoverPlan
{
    public required string Environment { get; init; }

    /// <summary>Drill environments (the sandbox, a staging copy) can be drilled without <c>--confirm</c>.</summary>
    public bool Drill { get; init; }

    /// <summary>How the pools are kept in step: by IdentityReplicator (the default) or by Cognito's native replication.</summary>
    public CognitoPlan Cognito { get; init; } = new();

    public required PerPool<PoolPlan> Pools { get; init; }

    public required MirrorPlan Mirror { get; init; }

    public AwsPlan Aws { get; init; } = new();

    public EndpointsPlan Endpoints { get; init; } = new();

    public ImmutableArray<ParameterPlan> Parameters { get; init; } = [];

    public DnsPlan? Dns { get; init; }

    public DatabasePlan Database { get; init; } = new();

    public ImmutableArray<HealthProbePlan> HealthProbes { get; init; } = [];

    /// <summary>Application tiers the run scales (<see cref="CapacityPlan"/>); empty: none.</summary>
    public CapacitySection Capacity { get; init; } = new();

    /// <summary>Data AWS replicates on its own, checked in preflight (<see cref="ReplicatedStoresPlan"/>).</summary>
    public ReplicatedStoresPlan ReplicatedStores { get; init; } = new();

    public SignInPlan? SignIn { get; init; }

    /// <summary>The synthetic journeys <c>verify</c> runs against the pool a run moves to (<see cref="Journeys.JourneysPlan"/>).</summary>
    public Journeys.JourneysPlan Journeys { get; init; } = new();

    public PreflightPlan Preflight { get; init; } = new();

    public TimeoutsPlan Timeouts { get; init; } = new();

    /// <summary>Where the plan was read from (reports and resumes refer to it).</summary>
    public string? SourcePath { get; init; }

    /// <summary>A hash of the plan's content: a run resumes only with the plan it started with.</summary>
    public string ContentHash { get; init; } = string.Empty;

    public string Region(PoolRole role) => Pools.For(role).Region;

    /// <summary>The replication control before any failover: the plan's primary → standby, epoch 0.</summary>
    public ReplicationControl ConfiguredControl() => new()
    {
        Epoch = 0,
        SourceRegion = Pools.Primary.Region,
        SourcePoolId = Pools.Primary.UserPoolId,
        TargetRegion = Pools.Standby.Region,
        TargetPoolId = Pools.Standby.UserPoolId,
    };
}

public sealed record PoolPlan(string Region, string UserPoolId, string AppClientId, Uri? Endpoint)
{
    /// <summary>The pool domain's <c>/oauth2/token</c> URL (the <c>m2m-token</c> journey); null: not known.</summary>
    public Uri? TokenEndpoint { get; init; }

    /// <summary>Where the pool publishes its token signing keys; by default the issuer's <c>/.well-known/jwks.json</c>.</summary>
    public Uri? JwksUri { get; init; }

    /// <summary>The <c>iss</c> of the pool's tokens: <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
    public string Issuer => $"https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}";

    /// <summary>The JWKS URL the pool's tokens are checked against.</summary>
    public Uri Jwks => JwksUri ?? new Uri(Issuer + "/.well-known/jwks.json");
}

public sealed record MirrorPlan(string TableName, int FeedBuckets, ImmutableDictionary<string, Uri> Endpoints);

/// <summary>Credentials: the standard chain unless a profile (or, for the sandbox only, static keys) is named.</summary>
public sealed record AwsPlan(string? Profile = null, string? AccessKeyId = null, string? SecretAccessKey = null);

/// <summary>Endpoint overrides (the sandbox, VPC endpoints); empty means the public AWS endpoints.</summary>
public sealed record EndpointsPlan
{
    public Uri? Route53 { get; init; }

    public ImmutableDictionary<string, Uri> Rds { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> Ssm { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> CloudWatch { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> AutoScaling { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> ElasticBeanstalk { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> Ecs { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> SecretsManager { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    public ImmutableDictionary<string, Uri> Kms { get; init; } = ImmutableDictionary<string, Uri>.Empty;
}

/// <summary>A client-config parameter (SSM Parameter Store), written in each of <see cref="Regions"/>.</summary>
public sealed record ParameterPlan(string Name, string Type, ImmutableArray<string> Regions, PerPool<string> Values);

public sealed record DnsPlan(string HostedZoneId, ImmutableArray<RecordPlan> Records);

/// <summary>
/// A record set and what it holds while each side is active: values (and, for weighted routing, a weight). Failover
/// routing (<see cref="Failover"/> PRIMARY/SECONDARY) keeps its role; the values move.
/// </summary>
public sealed record RecordPlan(
    string Name,
    string Type,
    string? SetIdentifier,
    long Ttl,
    string? Failover,
    PerPool<ImmutableArray<string>> Values,
    PerPool<long>? Weights,
    string? HealthCheckId)
{
    public override string ToString() => $"{Name} {Type}{(SetIdentifier is null ? string.Empty : $" ({SetIdentifier})")}";
}

/// <summary>
/// The Aurora topology. Mode <c>planned</c> (switchover, no data loss; the primary Region must be
/// reachable) or <c>unplanned</c> (failover with AllowDataLoss).
/// </summary>
public sealed record DatabasePlan
{
    public DatabaseKind Kind { get; init; } = DatabaseKind.None;

    public string? GlobalClusterId { get; init; }

    /// <summary>Cluster identifiers (global or replica cluster) or instance identifiers (replica instance) per side.</summary>
    public PerPool<string>? Resources { get; init; }

    public bool Unplanned { get; init; }
}

/// <summary>A health probe: an HTTP URL per side (2xx = healthy) and/or a Route 53 health check id per side.</summary>
public sealed record HealthProbePlan(string Name, PerPool<Uri?> Urls, PerPool<string?> HealthCheckIds);

/// <summary>A synthetic sign-in: a monitoring user that exists in both pools (created if missing) signs in after the cut-over.</summary>
public sealed record SignInPlan(string Username);

/// <summary>What preflight does when the target pool's configuration differs from the source's (<c>preflight.configurationDrift</c>).</summary>
public enum ConfigurationDriftMode
{
    /// <summary>Compare and report differences; the check still passes (the default).</summary>
    Warn,

    /// <summary>Compare; any difference (or a configuration that cannot be read) fails the standby-drift check.</summary>
    Block,

    /// <summary>Do not compare configuration (pools that differ on purpose, like the sandbox's).</summary>
    Off,
}

public sealed record PreflightPlan
{
    /// <summary>The most the standby may lag (age of the oldest change not yet applied).</summary>
    public TimeSpan MaxReplicationLag { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most the target database replica may lag (CloudWatch's replica lag metric) for a planned failover.</summary>
    public TimeSpan MaxDatabaseLag { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Users compared between the pools (a sample of the first N; 0 = skip).</summary>
    public int DriftSample { get; init; } = 200;

    /// <summary>Differences allowed in the sample.</summary>
    public int MaxDriftedUsers { get; init; }

    /// <summary>What a difference in the pools' configuration does to the standby-drift check: warn (default), block, or off.</summary>
    public ConfigurationDriftMode ConfigurationDrift { get; init; } = ConfigurationDriftMode.Warn;

    public ImmutableArray<string> ExcludeAttributes { get; init; } = [];

    /// <summary>The attribute replication keeps each user's original sub in (never compared), as Replication:PrimarySubAttribute.</summary>
    public string? PrimarySubAttribute { get; init; } = Core.Configuration.ReplicationOptions.DefaultPrimarySubAttribute;
}

public sealed record TimeoutsPlan
{
    /// <summary>How long to wait for replication to apply what the old source recorded before the fence.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for the database to accept writes.</summary>
    public TimeSpan Promotion { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>How long to wait for Route 53 to report INSYNC.</summary>
    public TimeSpan DnsSync { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long health probes and the synthetic sign-in may keep failing before verify fails.</summary>
    public TimeSpan Verify { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a capacity step waits for the raised tier to be healthy at its new size.</summary>
    public TimeSpan Capacity { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often waiting steps look again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
