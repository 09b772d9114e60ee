using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Cdk.Constructs;

/// <summary>
/// The replication settings every container of the app reads alike — the worker, its drift task and the token relay:
/// the two pools and their Regions, the mirror table, and the mode. One place, so the relay cannot map clients
/// against a pool or a table the worker does not replicate.
/// </summary>
internal static class ReplicationEnvironment
{
    public static Dictionary<string, string> For(DeploymentConfig config, string primaryPoolId, string standbyPoolId)
    {
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__Region"] = config.PrimaryRegion,
            ["IDREP_Replication__Primary__UserPoolId"] = primaryPoolId,
            ["IDREP_Replication__Standby__Region"] = config.StandbyRegion,
            ["IDREP_Replication__Standby__UserPoolId"] = standbyPoolId,
            ["IDREP_Mirror__TableName"] = config.TableName,
        };
        if (config.NativeReplication)
        {
            environment["IDREP_Replication__Mode"] = ReplicationModes.Native;
        }

        return environment;
    }
}
