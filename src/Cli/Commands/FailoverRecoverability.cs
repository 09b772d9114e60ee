using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Reconciler.Drift.Recoverability;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// The <c>recoverability</c> block of <c>idrep failover plan</c>: the <see cref="RecoveryPlanner"/>'s counts for the
/// plan's pools before anything runs — the users of the pool failed over from, classified against the pool failed over
/// to (its identity providers, the source's TOTP enrolments). Reads only, on a small share of the Cognito quotas like
/// preflight. A read Cognito refuses, or a pool that does not answer, leaves the block out with the reason; it never
/// fails the plan.
/// </summary>
internal static class FailoverRecoverability
{
    public static async Task<(RecoverabilitySection? Counts, string? NotRead)> ReadAsync(FailoverPlan plan, PoolRole from, PoolRole to, TimeProvider time, CancellationToken cancellationToken)
    {
        var credentials = new AwsCredentialOptions { Profile = plan.Aws.Profile, AccessKeyId = plan.Aws.AccessKeyId, SecretAccessKey = plan.Aws.SecretAccessKey }.Resolve();
        var governor = new QuotaGovernor(new QuotaOptions { Share = 0.2 }, time, "failover-plan");
        CognitoIdentityProviderClient Client(PoolRole role) =>
            CognitoIdentityProviderClient.Create(new AwsEndpoint(plan.Region(role), plan.Pools.For(role).Endpoint), credentials, governor);
        var (source, target) = (Client(from), Client(to));
        var (sourcePool, targetPool) = (plan.Pools.For(from).UserPoolId, plan.Pools.For(to).UserPoolId);
        try
        {
            var recovery = await RecoveryPlanner.BuildAsync(
                new CognitoUserDirectory(source, sourcePool),
                targetPool,
                plan.Region(to),
                new CognitoRecoveryFacts(source, sourcePool, target, targetPool),
                showValues: false,
                caseSensitive: false,
                time.GetUtcNow(),
                cancellationToken);
            return (recovery.Counts, null);
        }
        catch (AwsServiceException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"not read: Cognito answered {e.ErrorCode}; 'idrep users recovery-plan' reads the same with the replication settings");
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            // A pool whose Region is down: the plan still shows its steps (the failover may be for that very reason).
            return (null, "not read: a pool's Cognito endpoint did not answer");
        }
    }
}
