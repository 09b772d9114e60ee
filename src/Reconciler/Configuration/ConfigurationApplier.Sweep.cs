using System.Collections.Immutable;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>What the configuration sweep (<see cref="ConfigurationFeed.SweepAsync"/>) needs to apply one object at a time.</summary>
public sealed partial class ConfigurationApplier
{
    /// <summary>
    /// The configuration with the fingerprints <c>idrep clients rotate-secret</c> recorded for secrets Cognito does not
    /// return (matched by client id and secret id); a secret whose value was read keeps its own.
    /// </summary>
    private async Task<PoolConfiguration> WithRotatedSecretsAsync(PoolConfiguration configuration, CancellationToken cancellationToken)
    {
        if (rotatedSecrets is null || !configuration.Clients.Values.Any(c => c.Secrets.Any(s => !s.IsReadable)))
        {
            return configuration;
        }

        var recorded = (await rotatedSecrets.ListAsync(configuration.UserPoolId, cancellationToken))
            .ToDictionary(r => (r.ClientId, r.SecretId), r => r.Fingerprint);
        return configuration with
        {
            Clients = configuration.Clients.SetItems(configuration.Clients
                .Where(c => c.Value.Secrets.Any(s => !s.IsReadable))
                .Select(c => KeyValuePair.Create(c.Key, c.Value with
                {
                    Secrets = [.. c.Value.Secrets.Select(s => s.IsReadable || s.SecretId is null ? s : s with { Fingerprint = recorded.GetValueOrDefault((c.Value.ClientId, s.SecretId)) })],
                }))),
        };
    }

    /// <summary>The client mappings into the target (none without a mapping store).</summary>
    internal async Task<IReadOnlyList<ClientMapping>> MappingsAsync(CancellationToken cancellationToken) =>
        mappings is null ? [] : await mappings.ListAsync(target.UserPoolId, cancellationToken);

    /// <summary>Every write that brings the compared target to the source, in dependency order.</summary>
    internal ImmutableArray<ConfigChange> PlanFor(ConfigurationComparison comparison) => Plan(comparison.Source, comparison.Target);

    /// <summary>
    /// Ends a sweep: the mapping of every client both pools held when read (and none for a name held twice), and the
    /// kept refusals of every client but <paramref name="deferred"/> (another worker applies those) made the sweep's.
    /// </summary>
    internal async Task FinishSweepAsync(ConfigurationComparison comparison, IReadOnlyCollection<ConfigRefusal> refused, IReadOnlyCollection<string> deferred, CancellationToken cancellationToken)
    {
        var names = comparison.Source.Clients.Keys
            .Concat(comparison.Target.Clients.Keys)
            .Concat(comparison.Source.DuplicateClientNames)
            .Concat(comparison.Target.DuplicateClientNames)
            .Concat((await LastRefusalsAsync(cancellationToken)).Select(r => r.Name))
            .Where(n => !deferred.Contains(n))
            .ToHashSet(StringComparer.Ordinal);
        var targetIds = comparison.Target.Clients.ToDictionary(c => c.Key, c => c.Value.ClientId, StringComparer.Ordinal);
        await RecordMappingsAsync(comparison.Source, comparison.Target, targetIds, [], names, cancellationToken);
        if (refusals is not null)
        {
            await refusals.ReplaceForAsync(target.UserPoolId, names, RefusalsByClient.Of(target.UserPoolId, refused), time.GetUtcNow(), cancellationToken);
        }
    }
}
