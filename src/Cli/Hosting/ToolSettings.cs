using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Relay;
using IdentityReplicator.Replicator.Sweep;
using Microsoft.Extensions.Configuration;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// idrep's settings: every section its commands and the worker bind, with the options type bound there. The keys are
/// read from those types (<see cref="SettingsSchema"/>), so a new option is known as soon as it exists; a new options
/// section must be added here (a test finds any options type with a <c>Section</c> that is missing).
/// One config file serves every command, so each command checks all of it, not only the sections it binds.
/// </summary>
internal static class ToolSettings
{
    /// <summary>
    /// Keys idrep does not read and leaves alone even where every key is its own: the AWS SDK's keys in its
    /// configuration section, which shares the name <c>AWS</c>; and the <c>Sandbox</c> section that
    /// <c>idrep sandbox up</c> writes into its config file for scripts and tests (app client ids).
    /// </summary>
    public static readonly string[] LeftToOthers = ["Aws:Region", "Aws:ProfilesLocation", "Sandbox"];

    public static readonly IReadOnlyList<(string Path, Type Options)> Sections =
    [
        (AwsCredentialOptions.Section, typeof(AwsCredentialOptions)),
        (ReplicationOptions.Section, typeof(ReplicationOptions)),
        (ConfigurationReplicationOptions.Section, typeof(ConfigurationReplicationOptions)),
        (MirrorOptions.Section, typeof(MirrorOptions)),
        ($"{QuotaOptions.Section}:Primary", typeof(QuotaOptions)),
        ($"{QuotaOptions.Section}:Standby", typeof(QuotaOptions)),
        (EventBridgeOptions.Section, typeof(EventBridgeOptions)),
        (SecretsManagerOptions.Section, typeof(SecretsManagerOptions)),
        (CaptureOptions.Section, typeof(CaptureOptions)),
        (ReconcilerOptions.Section, typeof(ReconcilerOptions)),
        (SweepOptions.Section, typeof(SweepOptions)),
        (SyncOptions.Section, typeof(SyncOptions)),
        (DriftOptions.Section, typeof(DriftOptions)),
        (WorkerOptions.Section, typeof(WorkerOptions)),
        (RelayOptions.Section, typeof(RelayOptions)),
    ];

    public static readonly SettingsSchema Schema = new(Sections, LeftToOthers);

    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> listing every problem of <paramref name="configuration"/> (the
    /// file with the environment over it). Sections of other components in the file are left alone; every
    /// <c>IDREP_…__…</c> variable of <paramref name="environment"/> must be one of idrep's settings.
    /// </summary>
    public static void Check(IConfiguration configuration, IConfiguration environment)
    {
        var problems = Schema.Check(configuration).Concat(Schema.Check(environment, everySectionIsOurs: true)).Distinct().ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
    }
}
