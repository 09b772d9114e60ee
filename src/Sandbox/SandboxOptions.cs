using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox;

/// <summary>How to build the sandbox: its pools and table, its timings, and the proxy in front of each emulator.</summary>
public sealed record SandboxOptions
{
    /// <summary>Lines for the operator while the sandbox starts (the first run's install of the emulators); none when null.</summary>
    public Action<string>? Progress { get; init; }

    public string PrimaryRegion { get; init; } = "us-east-1";

    public string StandbyRegion { get; init; } = "us-west-2";

    /// <summary>Pools sign in by email (Cognito gives each user a UUID username), as most applications do; else by username.</summary>
    public bool SignInByEmail { get; init; } = true;

    public string TableName { get; init; } = MirrorOptions.DefaultTableName;

    public int FeedBuckets { get; init; } = MirrorOptions.DefaultFeedBuckets;

    /// <summary>
    /// Custom attributes both pools get (without the <c>custom:</c> prefix). <c>primary_sub</c> carries each standby
    /// user's original <c>sub</c> (Replication:PrimarySubAttribute).
    /// </summary>
    public IReadOnlyList<string> CustomAttributes { get; init; } = ["tier", "plan", "department", Core.Configuration.ReplicationOptions.PrimarySubSchemaAttribute];

    /// <summary>Custom attributes only the primary gets (to exercise schema mismatches).</summary>
    public IReadOnlyList<string> PrimaryOnlyAttributes { get; init; } = [];

    public TimeSpan TriggerBudget { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How long an Aurora promotion takes in the local RDS (short: drills measure the tool, not AWS).</summary>
    public TimeSpan PromotionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a Route 53 change stays PENDING before INSYNC in the local Route 53.</summary>
    public TimeSpan DnsPropagationDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long new instances of the local Elastic Beanstalk, Auto Scaling and ECS take to come into service.</summary>
    public TimeSpan CapacityRamp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the primary pool gets the failover journeys' users (<see cref="Failover.FailoverSandbox.SeedJourneyUsersAsync"/>:
    /// the monitoring user in a group, and a disabled monitoring user) and the plan file its <c>journeys:</c> section.
    /// Off by default, so tests that count a fresh sandbox's users start from empty pools; <c>idrep sandbox up</c> turns it on.
    /// </summary>
    public bool JourneyUsers { get; init; }

    /// <summary>Whether calls through the fronts are recorded as CloudTrail events and delivered to the Replicator.</summary>
    public bool RecordCloudTrail { get; init; } = true;

    /// <summary>
    /// How long a CloudTrail event takes to reach the Replicator. On AWS, management events reach EventBridge
    /// typically within seconds (longer under load); zero makes the sandbox's event path as fast as it can be.
    /// </summary>
    public TimeSpan CloudTrailDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Where emulator state and the config file go; a fresh temporary folder (deleted on dispose) when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Whether to run a local S3 (s3rver) with the bucket <see cref="SandboxEnvironment.ReportBucket"/>, and point the
    /// config file's <c>Drift:OutputBucket</c> at it. Off by default: it adds an emulator process (about 1.5 s of start,
    /// in parallel with the others, and 70 MB) that only drift-report storage needs.
    /// </summary>
    public bool S3 { get; init; }

    // The Cognito proxy in front of each emulator: quotas, faults and paging (see Cognito/FrontInterceptors.cs).

    /// <summary>Cognito's request-rate quotas enforced in front of both pools; off (null) by default.</summary>
    public QuotaProxyOptions? Quotas { get; init; }

    /// <summary>Faults injected in front of both pools; none (null) by default.</summary>
    public FaultOptions? Faults { get; init; }

    /// <summary>Page listings of users and groups at most 60 at a time, as Cognito does (on by default).</summary>
    public bool PageListings { get; init; } = true;

    /// <summary>
    /// Give the primary pool a simulated Cognito native replica (ACTIVE) in the standby Region: the same pool id served
    /// at the standby endpoint (<see cref="SandboxEnvironment.NativeReplica"/>); see docs/sandbox.md for its limits.
    /// </summary>
    public bool NativeReplica { get; init; }

    /// <summary>How long a user change in a natively replicated pool takes to show at its replica (and a new replica to be created).</summary>
    public TimeSpan NativeReplicaLag { get; init; } = TimeSpan.FromSeconds(1);
}
