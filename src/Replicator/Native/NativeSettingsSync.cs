using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.PoolConfiguration;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// Keeps a native replica's Regional settings in step with the primary's (<see cref="ReplicaRegionalSettings"/>):
/// reads DescribeUserPool and GetLogDeliveryConfiguration at both Regional endpoints of the pool id, and, when asked,
/// writes UpdateUserPool (every member the replica returned, the Regional ones changed) and SetLogDeliveryConfiguration
/// at the secondary's endpoint, then reads again to say what is left.
/// </summary>
public sealed class NativeSettingsSync(
    CognitoIdentityProviderClient primary,
    CognitoIdentityProviderClient secondary,
    string userPoolId,
    RegionalValueMap map,
    ILogger<NativeSettingsSync> logger)
{
    /// <summary>What differs and what the writes would be; reads only.</summary>
    public async Task<ReplicaRegionalPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var primaryPool = (await primary.DescribeUserPoolRawAsync(userPoolId, cancellationToken)).UserPool
            ?? throw new CognitoException($"DescribeUserPool returned no pool for {userPoolId} at the primary's endpoint.");
        var replicaPool = (await secondary.DescribeUserPoolRawAsync(userPoolId, cancellationToken)).UserPool
            ?? throw new CognitoException($"DescribeUserPool returned no pool for {userPoolId} at the replica's endpoint ({map.TargetRegion}).");
        var primaryLogs = await primary.GetLogDeliveryConfigurationRawAsync(userPoolId, cancellationToken);
        var replicaLogs = await secondary.GetLogDeliveryConfigurationRawAsync(userPoolId, cancellationToken);
        return ReplicaRegionalSettings.Plan(userPoolId, primaryPool, replicaPool, primaryLogs, replicaLogs, map);
    }

    /// <summary>Writes what the plan says (nothing when the replica is in step) and reads again.</summary>
    public async Task<NativeSettingsOutcome> ApplyAsync(CancellationToken cancellationToken)
    {
        var before = await PlanAsync(cancellationToken);
        if (before.InSync)
        {
            Log.RegionalSettingsInStep(logger, userPoolId);
            return new NativeSettingsOutcome(before, before, false);
        }

        if (before.UpdateUserPool is { } update)
        {
            await secondary.UpdateUserPoolRawAsync(update, cancellationToken);
        }

        if (before.SetLogDelivery is { } logs)
        {
            await secondary.SetLogDeliveryConfigurationRawAsync(logs, cancellationToken);
        }

        foreach (var difference in before.Differences)
        {
            Log.RegionalSettingWritten(logger, userPoolId, map.TargetRegion, difference.Path);
        }

        return new NativeSettingsOutcome(before, await PlanAsync(cancellationToken), true);
    }
}

/// <summary>One pass of <see cref="NativeSettingsSync.ApplyAsync"/>: the plan it found, what a read afterwards found, and whether it wrote.</summary>
public sealed record NativeSettingsOutcome(ReplicaRegionalPlan Before, ReplicaRegionalPlan After, bool Wrote);
