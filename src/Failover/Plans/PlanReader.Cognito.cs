using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Failover.Plans;

public static partial class PlanReader
{
    /// <summary>The <c>cognito:</c> section (<see cref="CognitoPlan"/>) and the rules native mode changes for the pools.</summary>
    private sealed partial class Rules
    {
        /// <summary>Native mode: read before the pools, whose rules it changes (the standby is the same pool id in another Region).</summary>
        private bool _native;

        private CognitoPlan Cognito(YamlTreeNode? node, string path)
        {
            var o = node is null ? null : b.Mapping(node, path, "mode", "canaryUser", "canaryAttribute");
            if (o is null)
            {
                return new CognitoPlan();
            }

            var defaults = new CognitoPlan();
            var mode = b.String(o, "mode", path, false, null);
            var plan = new CognitoPlan
            {
                Mode = mode switch
                {
                    null or ReplicationModes.Replicator => CognitoMode.Replicator,
                    ReplicationModes.Native => CognitoMode.Native,
                    _ => b.Invalid(o["mode"]!.At, $"{path}.mode", $"{path}.mode is '{YamlTreeReader.Shorten(mode)}'; it must be 'replicator' (the default: IdentityReplicator keeps a standby pool of its own) or 'native' (the standby is the pool's Cognito native replica: the same pool id in the other Region).", CognitoMode.Replicator),
                },
                CanaryUser = b.String(o, "canaryUser", path, false, null),
                CanaryAttribute = b.String(o, "canaryAttribute", path, false, null) ?? defaults.CanaryAttribute,
            };
            if (!plan.CanaryAttribute.StartsWith("custom:", StringComparison.Ordinal) || plan.CanaryAttribute.Length is <= 7 or > 27)
            {
                b.Problem(o["canaryAttribute"]!.At, $"{path}.canaryAttribute", $"{path}.canaryAttribute is '{YamlTreeReader.Shorten(plan.CanaryAttribute)}'; it must be the worker's canary attribute, a custom attribute 'custom:<name>' (default '{defaults.CanaryAttribute}').");
            }

            if (!plan.IsNative && (o["canaryUser"] ?? o["canaryAttribute"]) is { } stray)
            {
                b.Problem(stray.At, path, $"{path}.canaryUser and {path}.canaryAttribute are read in native mode only; add 'mode: native', or remove them.");
            }

            _native = plan.IsNative;
            return plan;
        }

        /// <summary>In native mode the standby is the primary's replica: the same pool id, another Region.</summary>
        private void NativePools(YamlTreeMapping root, PerPool<PoolPlan>? pools)
        {
            if (!_native || pools is null)
            {
                return;
            }

            var standby = (root["pools"] as YamlTreeMapping)?["standby"]?.At ?? root.At;
            if (!string.Equals(pools.Primary.UserPoolId, pools.Standby.UserPoolId, StringComparison.Ordinal))
            {
                b.Problem(standby, "pools.standby.userPoolId", $"pools.standby.userPoolId is '{pools.Standby.UserPoolId}'; with cognito.mode: native the standby is the primary's native replica, so give the same pool id as pools.primary ('{pools.Primary.UserPoolId}') — or set cognito.mode: replicator for a standby pool of your own.");
            }

            if (string.Equals(pools.Primary.Region, pools.Standby.Region, StringComparison.Ordinal))
            {
                b.Problem(standby, "pools.standby.region", $"pools.standby.region is {pools.Standby.Region}, the primary's Region; with cognito.mode: native give the Region of the pool's replica (ListUserPoolReplicas lists it).");
            }
        }
    }
}
