using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Preflight;

/// <summary>One side of the standby-drift check: the target's configuration compared with the source's, by the rules drift uses.</summary>
/// <param name="Blocks">Whether the finding fails the check (only with <see cref="ConfigurationDriftMode.Block"/>).</param>
/// <param name="Detail">What was found, for the check's detail.</param>
internal sealed record ConfigurationDriftOutcome(bool Blocks, string Detail);

/// <summary>
/// Compares the target pool's configuration with the source's (<see cref="ConfigurationComparer"/>: clients, secrets by
/// fingerprint, resource servers, identity providers, pool settings, schema, MFA, domain, branding). Regional values
/// are mapped by Region substitution for ARNs (the plan does not carry Replication:RegionalValues, so a value mapped
/// there shows as a report, never as drift). Never shows a secret.
/// </summary>
internal static class ConfigurationDriftCheck
{
    private const int Shown = 10;

    public static async Task<ConfigurationDriftOutcome?> RunAsync(PerPool<IPoolConfigurationDirectory>? pools, ConfigurationDriftMode mode, PoolRole from, PoolRole to, CancellationToken cancellationToken)
    {
        if (mode == ConfigurationDriftMode.Off || pools is null)
        {
            return null;
        }

        var (source, target) = (pools.For(from), pools.For(to));
        IReadOnlyList<ConfigFinding> findings;
        try
        {
            var fingerprinter = SecretFingerprinter.Ephemeral();
            findings = ConfigurationComparer.Compare(
                await source.ReadAsync(fingerprinter, cancellationToken),
                await target.ReadAsync(fingerprinter, cancellationToken),
                new RegionalValueMap(source.Region, target.Region));
        }
        catch (AwsServiceException e)
        {
            var unread = $"configuration not compared: it could not be read ({e.ErrorCode}{(e.Operation is null ? string.Empty : " in " + e.Operation)})";
            return mode == ConfigurationDriftMode.Block
                ? new ConfigurationDriftOutcome(true, unread + " — grant the reads in docs/permissions.md#failover-operator-policy, or set preflight.configurationDrift: warn")
                : new ConfigurationDriftOutcome(false, unread + " (warning only)");
        }

        var drift = findings.Where(f => f.IsDrift).ToList();
        if (drift.Count == 0)
        {
            return new ConfigurationDriftOutcome(false, $"configuration in step in {target.UserPoolId}");
        }

        var named = string.Join(", ", drift.Take(Shown).Select(f => f.Name)) + (drift.Count > Shown ? ", …" : string.Empty);
        var found = $"configuration: {drift.Count} difference(s) in {target.UserPoolId} ({named})";
        return mode == ConfigurationDriftMode.Block
            ? new ConfigurationDriftOutcome(true, found + " — run 'idrep drift --repair' to apply the source's configuration, or set preflight.configurationDrift: warn")
            : new ConfigurationDriftOutcome(false, found + " (warning only; preflight.configurationDrift: block stops a run on it; 'idrep drift --repair' fixes it)");
    }
}
