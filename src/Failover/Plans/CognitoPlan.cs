using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

/// <summary>How the plan's user pools are kept in step (<c>cognito.mode</c>).</summary>
public enum CognitoMode
{
    /// <summary>IdentityReplicator replicates users to a standby pool of its own (the default: fence, drain, reverse replication).</summary>
    Replicator,

    /// <summary>
    /// Cognito's native multi-Region replication: the standby is the primary's replica — the same pool id in the other
    /// Region. The run checks the replica and points the application at the other Region; there is no mirror to fence.
    /// </summary>
    Native,
}

/// <summary>
/// The plan's <c>cognito:</c> section. In native mode preflight makes one canary round trip — the worker's canary user
/// (<see cref="CanaryUser"/>, its custom attribute <see cref="CanaryAttribute"/>) written in the primary and read at the
/// replica — to measure how far the replica lags right now (docs/design/native-replication.md).
/// </summary>
public sealed record CognitoPlan
{
    /// <summary>The values of <c>cognito.mode</c>.</summary>
    public static readonly IReadOnlyList<string> Modes = [ReplicationModes.Replicator, ReplicationModes.Native];

    public CognitoMode Mode { get; init; } = CognitoMode.Replicator;

    public bool IsNative => Mode == CognitoMode.Native;

    /// <summary>The canary user's username or email; null: the worker's defaults (Replication:Native:CanaryUsername, CanaryEmail).</summary>
    public string? CanaryUser { get; init; }

    /// <summary>The custom attribute the canary writes (as Replication:Native:CanaryAttribute).</summary>
    public string CanaryAttribute { get; init; } = new NativeReplicationOptions().CanaryAttribute;

    /// <summary>The mode as the plan spells it.</summary>
    public string ModeName => IsNative ? ReplicationModes.Native : ReplicationModes.Replicator;
}
