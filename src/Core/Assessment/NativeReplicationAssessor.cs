using System.Collections.Immutable;
using System.Globalization;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Assessment;

/// <summary>
/// Decides which approach fits a pool — Cognito's native replication, IdentityReplicator, or both — from
/// <see cref="PoolFacts"/>, and says why: the eligibility checks (docs/design/native-replication.md for the sources),
/// the population and configuration that matter, and who provides each capability under each approach.
/// Pure: no I/O, no clock.
/// </summary>
public static class NativeReplicationAssessor
{
    public static NativeAssessment Assess(PoolFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var checks = Eligibility(facts).ToImmutableArray();
        var blocked = checks.Any(c => c.Outcome == CheckOutcome.Blocker);
        var gaps = Gaps(facts).ToImmutableArray();
        var (recommendation, reason) = blocked
            ? (Recommendation.Replicator, "Native replication is not available for this pool (" + string.Join("; ", checks.Where(c => c.Outcome == CheckOutcome.Blocker).Select(c => c.Name)) + "); IdentityReplicator replicates it to a standby pool of its own.")
            : gaps.IsEmpty
                ? (Recommendation.Native, (facts.Replicas.Any(r => r.Role == ReplicaRole.Secondary) ? "The pool is natively replicated" : "The pool is eligible")
                    + " and uses nothing native replication leaves out: native replication keeps passwords; use IdentityReplicator's failover plan for the rest of the stack.")
                : (Recommendation.NativeAndCompanion, "The pool is eligible: native replication keeps passwords and the same pool id; IdentityReplicator fills what it leaves out: " + string.Join("; ", gaps) + ".");
        return new NativeAssessment(facts, recommendation, reason, checks, gaps, Coverage);
    }

    /// <summary>The capability table: who provides each one under each approach (the same for every pool).</summary>
    public static ImmutableArray<CoverageRow> Coverage { get; } =
    [
        new("Passwords kept in the standby", "Cognito", "nobody: users reset them (verified email/phone kept)", "Cognito"),
        new("Users, attributes, groups, enabled state", "Cognito", "IdentityReplicator", "Cognito (IdentityReplicator's drift proves it)"),
        new("Same pool id and sub in both Regions", "Cognito", "nobody: new pool id; subs mapped", "Cognito"),
        new("App clients and their secrets, identity providers, resource servers, pool settings", "Cognito", "IdentityReplicator (configuration replication)", "Cognito"),
        new("Lambda triggers, email/SMS configuration, log export (per Region)", "you, in each Region", "IdentityReplicator (mapped per Region)", "you, in each Region (companion sync not built yet)"),
        new("Sign-up, password reset, profile edits while the standby serves", "nobody: the secondary refuses them", "IdentityReplicator (the standby is writable)", "nobody: the secondary refuses them"),
        new("TOTP MFA in the standby", "nobody: not supported in a secondary", "nobody: TOTP secrets cannot be read; users enrol again", "nobody"),
        new("Federated users in the standby", "Cognito, for users who signed in at the primary before", "IdentityReplicator (linked users re-created)", "Cognito, as native"),
        new("Replication lag published", "nobody", "IdentityReplicator (ReplicationLag)", "IdentityReplicator (canary: NativeReplicationLag)"),
        new("User-by-user drift report between the Regions", "nobody", "IdentityReplicator", "IdentityReplicator (native-mode drift)"),
        new("Failover of DNS, client configuration, Aurora, with drills", "nobody (the managed-login domain can fail over by a health check)", "IdentityReplicator", "IdentityReplicator (native plan mode: planned)"),
        new("AWS WAF web ACL", "you, in each Region", "you, in each Region", "you, in each Region"),
    ];

    private static IEnumerable<EligibilityCheck> Eligibility(PoolFacts facts)
    {
        yield return facts.FeaturePlan switch
        {
            "ESSENTIALS" or "PLUS" => new("Feature plan", CheckOutcome.Pass, $"{facts.FeaturePlan}: native replication is available as a paid add-on."),
            "LITE" => new("Feature plan", CheckOutcome.Blocker, "LITE: native replication needs the Essentials or Plus plan; upgrade the plan or use IdentityReplicator."),
            _ => new("Feature plan", CheckOutcome.Unknown, "The endpoint reports no feature plan (UserPoolTier)."),
        };

        yield return facts.Probe.Outcome switch
        {
            ReplicaProbeOutcome.Answered => new("Replica operations", CheckOutcome.Pass, "ListUserPoolReplicas answers for this pool."),
            ReplicaProbeOutcome.Refused => new("Replica operations", CheckOutcome.Blocker, facts.Probe.ErrorCode switch
            {
                "FeatureUnavailableInTierException" => "Refused with FeatureUnavailableInTierException: the feature plan does not include native replication.",
                _ => $"Refused with {facts.Probe.ErrorCode}: the pool is not eligible (not yet on Cognito's newer infrastructure, or not enabled in this Region).",
            }),
            _ => new("Replica operations", CheckOutcome.Unknown, $"The endpoint did not answer them ({facts.Probe.ErrorCode ?? "no answer"}): eligibility unknown."),
        };

        var secondary = facts.Replicas.FirstOrDefault(r => r.Role == ReplicaRole.Secondary);
        yield return secondary is null
            ? new("Existing replica", CheckOutcome.Pass, "None yet.")
            : new("Existing replica", secondary.Status == ReplicaStatus.Active ? CheckOutcome.Pass : CheckOutcome.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"A secondary in {secondary.RegionName} is {secondary.Status}{(secondary.Status == ReplicaStatus.Active ? "" : ": activate it (UpdateUserPoolReplica) before relying on it")}."));

        yield return facts.KeyType == "CUSTOMER_MANAGED_KEY" && facts.MultiRegionKey
            ? new("KMS key", CheckOutcome.Pass, "A multi-Region customer managed key.")
            : new("KMS key", CheckOutcome.Warning, facts.KeyType == "CUSTOMER_MANAGED_KEY"
                ? "A single-Region customer managed key: configure a multi-Region key (replicated to the secondary Region) before enabling replication."
                : "An AWS owned key: configure a multi-Region customer managed key before enabling replication.");

        yield return facts.IssuerType == "UPDATED"
            ? new("Issuer", CheckOutcome.Pass, "UPDATED: tokens validate the same way in both Regions.")
            : new("Issuer", CheckOutcome.Warning, "ORIGINAL: the issuer names the primary's Region; switch to the updated issuer so tokens validate in both Regions.");

        yield return !facts.HasCustomDomain
            ? new("Domain failover", CheckOutcome.Pass, "No custom domain.")
            : facts.DomainFailover
                ? new("Domain failover", CheckOutcome.Pass, "The custom domain fails over by a Route 53 health check.")
                : new("Domain failover", CheckOutcome.Warning, "The custom domain has no failover routing: give it Routing.Failover (secondary Region and a Route 53 health check).");
    }

    private static IEnumerable<string> Gaps(PoolFacts facts)
    {
        if (!facts.Triggers.IsEmpty)
        {
            yield return $"{facts.Triggers.Length} Lambda trigger(s) to keep in step per Region";
        }

        if (facts.CustomMessaging)
        {
            yield return "custom email/SMS configuration to keep in step per Region";
        }

        if (facts.Population.TotpUsers is > 0)
        {
            yield return $"{facts.Population.TotpUsers} user(s) with TOTP who cannot sign in at the secondary";
        }

        if (facts.Population.Unconfirmed > 0)
        {
            yield return $"{facts.Population.Unconfirmed} unconfirmed user(s) the secondary cannot confirm";
        }

        if (facts.HasCustomDomain && !facts.DomainFailover)
        {
            yield return "a custom domain without failover routing";
        }
    }
}

public enum Recommendation
{
    Native,
    Replicator,
    NativeAndCompanion,
}

public enum CheckOutcome
{
    Pass,
    Warning,
    Blocker,
    Unknown,
}

public sealed record EligibilityCheck(string Name, CheckOutcome Outcome, string Detail);

/// <summary>One capability and who provides it under each approach.</summary>
public sealed record CoverageRow(string Capability, string Native, string Replicator, string NativeAndCompanion);

public sealed record NativeAssessment(
    PoolFacts Facts, Recommendation Recommendation, string Reason, ImmutableArray<EligibilityCheck> Checks, ImmutableArray<string> Gaps, ImmutableArray<CoverageRow> Coverage)
{
    /// <summary>The recommendation as the JSON output spells it: <c>native</c>, <c>replicator</c> or <c>native+companion</c>.</summary>
    public string RecommendationName => Recommendation switch
    {
        Recommendation.Native => "native",
        Recommendation.Replicator => "replicator",
        _ => "native+companion",
    };
}
