using System.Collections.Immutable;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Reconciler.Sync;

namespace IdentityReplicator.Reconciler.Drift.Recoverability;

/// <summary>
/// Reads the <see cref="IRecoveryFactsReader"/> facts through Cognito: the target's identity providers
/// (ListIdentityProviders), whether the source offers TOTP (GetUserPoolMfaConfig) and a source user's enrolment
/// (AdminGetUser's <c>UserMFASettingList</c> holding <c>SOFTWARE_TOKEN_MFA</c>). A read refused for want of permission
/// leaves that fact unknown (the plan says so) instead of failing the plan.
/// </summary>
public sealed class CognitoRecoveryFacts(CognitoIdentityProviderClient source, string sourcePoolId, CognitoIdentityProviderClient target, string targetPoolId)
    : IRecoveryFactsReader
{
    public const string SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA";

    /// <summary>
    /// The facts for a direction between the configured pools (source and target pool ids, as the control names them),
    /// each pool read through its own client: what recovery-plan and the drift report's <c>recoverability</c> read.
    /// </summary>
    public static Func<string, string, CognitoRecoveryFacts> Between(ReplicationOptions replication, CognitoIdentityProviderClient primary, CognitoIdentityProviderClient standby)
    {
        CognitoIdentityProviderClient Client(string poolId) => poolId == replication.Primary.UserPoolId ? primary : standby;
        return (sourcePoolId, targetPoolId) => new CognitoRecoveryFacts(Client(sourcePoolId), sourcePoolId, Client(targetPoolId), targetPoolId);
    }

    public async Task<IReadOnlySet<string>?> TargetProvidersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            await foreach (var provider in target.ListIdentityProvidersAsync(targetPoolId, cancellationToken))
            {
                if ((string?)provider["ProviderName"] is { Length: > 0 } name)
                {
                    names.Add(name);
                }
            }

            return names.ToImmutable();
        }
        catch (CognitoException e) when (e.IsPermissionProblem || e.ErrorCode is "Unsupported" or "UnknownOperationException")
        {
            return null;
        }
    }

    public async Task<bool?> SourceOffersTotpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var config = await source.GetUserPoolMfaConfigRawAsync(sourcePoolId, cancellationToken);
            return config["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>() == true;
        }
        catch (CognitoException e) when (e.IsPermissionProblem || e.ErrorCode is "Unsupported" or "UnknownOperationException")
        {
            return null;
        }
    }

    public async Task<bool> TotpEnrolledAsync(string username, CancellationToken cancellationToken)
    {
        try
        {
            var user = await source.AdminGetUserAsync(new AdminGetUserRequest(sourcePoolId, username), cancellationToken);
            return user.UserMFASettingList?.Contains(SoftwareTokenMfa) == true || user.PreferredMfaSetting == SoftwareTokenMfa;
        }
        catch (UserNotFoundException)
        {
            // Deleted between the listing and this read: nothing to enrol.
            return false;
        }
    }
}

/// <summary>
/// Builds the recovery plan for the direction the replication control names now: the source pool's users against the
/// target pool (the standby before a failover), with the facts read through each pool's Cognito client.
/// </summary>
public sealed class RecoveryPlanService(SyncScope scope, CognitoIdentityProviderClient primary, CognitoIdentityProviderClient standby)
{
    public async Task<RecoveryPlan> BuildAsync(bool showValues, CancellationToken cancellationToken)
    {
        var (_, source, target) = await scope.DirectionAsync(cancellationToken);
        var facts = CognitoRecoveryFacts.Between(scope.Replication, primary, standby)(source.PoolId, target.PoolId);
        return await RecoveryPlanner.BuildAsync(
            source.Pool, target.PoolId, target.Region, facts, showValues, scope.Replication.UsernamesCaseSensitive, scope.Time.GetUtcNow(), cancellationToken);
    }
}
