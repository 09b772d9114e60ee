using System.Collections.Immutable;

namespace IdentityReplicator.Core.Assessment;

/// <summary>
/// What <see cref="NativeReplicationAssessor"/> decides on, read from one pool (<see cref="PoolFactsReader"/>): counts and
/// settings only — never a user's name, email, phone number or attribute value.
/// </summary>
public sealed record PoolFacts
{
    public required string UserPoolId { get; init; }

    public required string Region { get; init; }

    /// <summary>DescribeUserPool's <c>UserPoolTier</c>: LITE, ESSENTIALS or PLUS (null when the endpoint does not say).</summary>
    public string? FeaturePlan { get; init; }

    /// <summary>How the replica operations answered: <see cref="ReplicaProbe.Answered"/>, or the error Cognito refused them with.</summary>
    public required ReplicaProbe Probe { get; init; }

    /// <summary>ListUserPoolReplicas' replicas (empty when it refused or the pool has none).</summary>
    public ImmutableArray<Cognito.UserPoolReplicaType> Replicas { get; init; } = [];

    /// <summary><c>KeyConfiguration.KeyType</c>: AWS_OWNED_KEY or CUSTOMER_MANAGED_KEY (null: not reported, taken as AWS-owned).</summary>
    public string? KeyType { get; init; }

    /// <summary>Whether the customer managed key is a multi-Region key (its id starts with <c>mrk-</c>).</summary>
    public bool MultiRegionKey { get; init; }

    /// <summary><c>IssuerConfiguration.Type</c>: ORIGINAL or UPDATED (null: not reported, taken as ORIGINAL).</summary>
    public string? IssuerType { get; init; }

    /// <summary>The pool's custom domain (its name only), if it has one.</summary>
    public bool HasCustomDomain { get; init; }

    /// <summary>The pool's domain routes to a secondary Region by a Route 53 health check (<c>Routing.Failover</c>).</summary>
    public bool DomainFailover { get; init; }

    public required PopulationCounts Population { get; init; }

    public int AppClients { get; init; }

    /// <summary>App clients with a client secret (machine-to-machine and server-side web apps).</summary>
    public int ConfidentialClients { get; init; }

    /// <summary>The Lambda triggers configured (names of <c>LambdaConfig</c> members), which native replication does not copy.</summary>
    public ImmutableArray<string> Triggers { get; init; } = [];

    public int IdentityProviders { get; init; }

    /// <summary>Whether the pool offers TOTP (software token) MFA.</summary>
    public bool TotpEnabled { get; init; }

    /// <summary>Custom email (SES) or SMS (SNS) configuration: per Region, not copied.</summary>
    public bool CustomMessaging { get; init; }
}

/// <summary>The pool's users by what decides between the approaches.</summary>
public sealed record PopulationCounts
{
    public int Users { get; init; }

    /// <summary>Users with TOTP MFA set up (they cannot sign in at a native secondary). Null when not counted.</summary>
    public int? TotpUsers { get; init; }

    /// <summary>How many users were read one by one to count <see cref="TotpUsers"/> (all of them, or up to the limit).</summary>
    public int TotpUsersRead { get; init; }

    /// <summary>Users created by a federated sign-in (status EXTERNAL_PROVIDER).</summary>
    public int FederatedUsers { get; init; }

    /// <summary>Users with neither a verified email nor a verified phone number: no self-service recovery in any Region.</summary>
    public int WithoutVerifiedChannel { get; init; }

    /// <summary>Users who never confirmed their sign-up (a native secondary cannot confirm them).</summary>
    public int Unconfirmed { get; init; }
}

/// <summary>How the endpoint answered the replica operations.</summary>
public sealed record ReplicaProbe(ReplicaProbeOutcome Outcome, string? ErrorCode = null)
{
    public static ReplicaProbe Answered { get; } = new(ReplicaProbeOutcome.Answered);
}

public enum ReplicaProbeOutcome
{
    /// <summary>ListUserPoolReplicas answered: the account and pool can use the operations.</summary>
    Answered,

    /// <summary>Cognito refused them for this pool (OperationNotEnabledException, FeatureUnavailableInTierException).</summary>
    Refused,

    /// <summary>The endpoint does not know the operations (an emulator), or another error: eligibility unknown.</summary>
    Unknown,
}
