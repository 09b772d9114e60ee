using IdentityReplicator.Core.Aws;
using IdentityReplicator.Reconciler.Drift;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>
/// The configuration part of a drift report: compares the pools in the run's direction (the applier whose target is
/// the run's target) and, on request, repairs through apply and compares again. A pool whose configuration cannot
/// be read gives a section that says why, and the user part of the report goes on.
/// </summary>
public sealed class ConfigurationDrift(IReadOnlyList<ConfigurationApplier> appliers)
{
    /// <summary>The applier that writes <paramref name="targetPoolId"/>, if any.</summary>
    public ConfigurationApplier? For(string targetPoolId) => appliers.FirstOrDefault(a => a.TargetPoolId == targetPoolId);

    public async Task<ConfigurationDriftSection?> RunAsync(string targetPoolId, bool repair, CancellationToken cancellationToken)
    {
        var applier = For(targetPoolId);
        if (applier is null)
        {
            return null;
        }

        try
        {
            var comparison = await applier.CompareAsync(cancellationToken);
            if (!repair)
            {
                return new ConfigurationDriftSection(comparison.Findings, [], null, null);
            }

            var result = comparison.Findings.Any(f => f.IsDrift)
                ? await applier.ApplyAsync(comparison.Source, comparison.Target, comparison.Fingerprinter, cancellationToken)
                : ConfigurationApplyResult.Nothing;
            var after = result.Applied.IsEmpty ? comparison : await applier.CompareAsync(cancellationToken);
            return new ConfigurationDriftSection(comparison.Findings, result.Refused, new ConfigurationRepair(result.Applied.Length, result.Refused.Length, after.Findings.Count(f => f.IsDrift)), null);
        }
        catch (AwsServiceException e)
        {
            return new ConfigurationDriftSection([], [], null, $"the configuration could not be read or compared ({e.ErrorCode}{(e.Operation is null ? string.Empty : " in " + e.Operation)}); users were compared all the same");
        }
    }
}
