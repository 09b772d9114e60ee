using Amazon.CDK;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Cdk.Config;
using IdentityReplicator.Cdk.Stacks;

namespace IdentityReplicator.Cdk;

/// <summary>
/// The deployment: per Region a data stack (the customer-managed key, the pool when the app defines it; the global
/// mirror table in the primary's) and an app stack (the Replicator function, the worker service, alarms). Deployed in
/// the order they are listed; each app stack reads the other Region's key and pool through cross-Region references.
/// </summary>
internal static class IdentityReplicatorApp
{
    public const string Prefix = "IdentityReplicator";

    public static IReadOnlyList<Stack> Build(App app, DeploymentConfig config)
    {
        Amazon.CDK.Environment In(string region) => new() { Account = config.Account, Region = region };

        // The zones each stack has, given rather than looked up: the CDK asks for them (a VPC checks its zones against
        // the stack's), and without this answer `cdk synth` needs credentials and `dotnet run` writes "dummy1a".
        foreach (var region in new[] { config.PrimaryRegion, config.StandbyRegion })
        {
            app.Node.SetContext($"availability-zones:account={config.Account}:region={region}", config.ZonesFor(region).ToArray());
        }

        var standbyData = new DataStack(app, $"{Prefix}-StandbyData", new DataStackProps
        {
            Env = In(config.StandbyRegion),
            Config = config,
            Role = PoolRole.Standby,
            Description = "IdentityReplicator: the standby Region's key (and pool)",
        });
        var primaryData = new DataStack(app, $"{Prefix}-PrimaryData", new DataStackProps
        {
            Env = In(config.PrimaryRegion),
            CrossRegionReferences = true,
            Config = config,
            Role = PoolRole.Primary,
            StandbyKeyArn = standbyData.Key.KeyArn,
            Description = "IdentityReplicator: the primary Region's key (and pool) and the mirror global table",
        });
        primaryData.AddDependency(standbyData);

        var dataStacks = new PerPool<DataStack>(primaryData, standbyData);
        var primaryApp = new AppStack(app, $"{Prefix}-Primary", new AppStackProps
        {
            Env = In(config.PrimaryRegion),
            CrossRegionReferences = true,
            Config = config,
            Role = PoolRole.Primary,
            DataStacks = dataStacks,
            Description = "IdentityReplicator in the primary Region: the Replicator function, a dormant worker, the failover operator's policy",
        });
        var standbyApp = new AppStack(app, $"{Prefix}-Standby", new AppStackProps
        {
            Env = In(config.StandbyRegion),
            CrossRegionReferences = true,
            Config = config,
            Role = PoolRole.Standby,
            DataStacks = dataStacks,
            Description = "IdentityReplicator in the standby Region: the Replicator function, the worker, drift reports, dashboard and alarms",
        });
        primaryApp.AddDependency(primaryData);
        primaryApp.AddDependency(standbyData);
        standbyApp.AddDependency(primaryApp);
        return [standbyData, primaryData, primaryApp, standbyApp];
    }
}
