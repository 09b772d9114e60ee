using System.Collections.Immutable;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>A client hint: the hinted client and the counterpart its mapping names, not every client of both pools.</summary>
public sealed partial class ConfigurationApplier
{
    /// <summary>
    /// Applies a client hint. The source's client is described by its id; when the <c>CLIENTS#</c> mapping names its
    /// counterpart and both still carry the mapped name, only that counterpart is described in the target (two calls
    /// per pool, however many clients they hold). Otherwise — no mapping yet (a new client), the client renamed, the
    /// counterpart gone or renamed — both pools' clients are listed and only those of the client's names (now and as
    /// mapped) are described, so a duplicate name is seen and left alone, and a renamed client's old name goes.
    /// </summary>
    private async Task<ConfigurationObjectResult> ApplyClientAsync(ConfigurationHint hint, string clientId, string? appliedFingerprint, CancellationToken cancellationToken)
    {
        var fingerprinter = options.Fingerprinter();
        var known = mappings is null ? [] : await mappings.ListAsync(target.UserPoolId, cancellationToken);
        var mapping = known.FirstOrDefault(m => m.SourcePoolId == source.UserPoolId && m.SourceClientId == clientId);
        var sourceConfiguration = await source.ReadClientsAsync(fingerprinter, [clientId], cancellationToken);
        var sourceClient = sourceConfiguration.Clients.Values.FirstOrDefault(c => c.ClientId == clientId);
        if ((sourceClient?.Name ?? mapping?.Name ?? hint.ObjectName) is not { } name)
        {
            return new ConfigurationObjectResult(null, null, ConfigurationApplyResult.Nothing);
        }

        var subject = "client " + name;
        var fingerprint = ConfigurationObjects.Fingerprint(subject, sourceConfiguration);
        if (fingerprint == appliedFingerprint)
        {
            return new ConfigurationObjectResult(subject, fingerprint, ConfigurationApplyResult.Nothing, Unchanged: true);
        }

        PoolConfiguration? targetConfiguration = null;
        if (mapping is not null && mapping.Name == name)
        {
            var counterpart = await target.ReadClientsAsync(fingerprinter, [mapping.TargetClientId], cancellationToken);
            if (counterpart.Clients.TryGetValue(name, out var mapped) && mapped.ClientId == mapping.TargetClientId)
            {
                targetConfiguration = counterpart;
            }
        }

        ImmutableArray<string> names = [name];
        if (targetConfiguration is null)
        {
            ConfigurationLog.ClientMappingNotUsed(logger, mapping is null ? "missing" : "stale");
            names = [.. new[] { name, mapping?.Name }.OfType<string>().Distinct(StringComparer.Ordinal)];
            sourceConfiguration = await source.ReadClientsNamedAsync(fingerprinter, names, cancellationToken);
            targetConfiguration = await target.ReadClientsNamedAsync(fingerprinter, names, cancellationToken);
        }

        sourceConfiguration = await WithRotatedSecretsAsync(sourceConfiguration, cancellationToken);
        targetConfiguration = await WithRotatedSecretsAsync(targetConfiguration, cancellationToken);
        var plan = Plan(sourceConfiguration, targetConfiguration)
            .Where(c => names.Any(n => ConfigurationObjects.Belongs(c, "client " + n)))
            .ToImmutableArray();
        var result = await ApplyPlanAsync(plan, sourceConfiguration, targetConfiguration, fingerprinter, names, cancellationToken);
        return new ConfigurationObjectResult(subject, fingerprint, result);
    }
}
