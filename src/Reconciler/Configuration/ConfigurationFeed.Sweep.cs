using System.Collections.Immutable;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Configuration;

/// <summary>What one configuration sweep of a direction did; <see cref="Deferred"/> objects were under another worker's lease.</summary>
internal sealed record ConfigurationSweepResult(ConfigurationApplyResult Result, int Deferred);

/// <summary>The configuration sweep, applied like hints: per object, under the object's apply lease, refusals parked.</summary>
internal sealed partial class ConfigurationFeed
{
    /// <summary>The pool it reads.</summary>
    public string SourcePoolId => applier.SourcePoolId;

    /// <summary>
    /// One configuration sweep: both pools read whole and compared, and each object that differs applied as a hint for
    /// it would be — under the object's apply lease (the same one a hint takes, so two workers never write one object at
    /// once; an object another worker holds is left to it and counted as deferred), read again in both pools first, so a
    /// change made and applied after the whole read is never rolled back by the sweep's older copy of the source. A refusal parks the object, as the
    /// hint path does (<c>PK#&lt;Region&gt;</c> / <c>CFG#…</c>), and client refusals are kept for <c>idrep clients</c>; an
    /// object parked before that the sweep applied cleanly or found in sync is un-parked.
    /// </summary>
    public async Task<ConfigurationSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var comparison = await applier.CompareAsync(cancellationToken);
        var plan = applier.PlanFor(comparison);
        var known = await applier.MappingsAsync(cancellationToken);
        var applied = ImmutableArray.CreateBuilder<ConfigChange>();
        var refused = ImmutableArray.CreateBuilder<ConfigRefusal>();
        var parked = new HashSet<EntityId>();
        var deferred = new HashSet<EntityId>();
        var deferredClients = new List<string>();
        foreach (var changes in plan.GroupBy(c => ConfigurationObjects.ObjectOf(c.Subject), StringComparer.Ordinal))
        {
            var entity = ConfigurationObjects.EntityOf(changes.Key, applier.SourcePoolId, comparison.Source, known);
            string[] clients = RefusalsByClient.ClientName(changes.Key) is { } name ? [name] : [];
            var lease = await ApplyLease.TryTakeAsync(state, region, entity, _holder, _leaseDuration, time, cancellationToken);
            if (lease is null)
            {
                deferred.Add(entity);
                deferredClients.AddRange(clients);
                ConfigurationLog.SweepDeferred(logger, changes.Key);
                continue;
            }

            try
            {
                using var fenced = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Fence);
                var result = (await applier.ApplyObjectAsync(ConfigurationObjects.HintFor(changes.Key, applier.SourcePoolId, comparison.Source, known), null, fenced.Token)).Result;
                applied.AddRange(result.Applied);
                refused.AddRange(result.Refused);
                if (!result.Refused.IsEmpty)
                {
                    await state.ParkAsync(region, Parked(entity, result.Refused, 0), cancellationToken);
                    parked.Add(entity);
                    ConfigurationLog.HintParked(logger, changes.Key, result.Refused[0].Code);
                }
            }
            finally
            {
                await lease.ReleaseAsync(CancellationToken.None);
            }
        }

        await UnparkSettledAsync(parked, deferred, cancellationToken);
        await applier.FinishSweepAsync(comparison, refused, deferredClients, cancellationToken);
        return new ConfigurationSweepResult(new ConfigurationApplyResult(applied.ToImmutable(), refused.ToImmutable()), deferred.Count);
    }

    /// <summary>The source pool's configuration objects parked before this sweep, which it applied cleanly or found in sync.</summary>
    private async Task UnparkSettledAsync(HashSet<EntityId> parked, HashSet<EntityId> deferred, CancellationToken cancellationToken)
    {
        var settled = new List<EntityId>();
        await foreach (var entity in state.ListParkedAsync(region, cancellationToken))
        {
            if (entity.Entity.Kind == EntityKind.Configuration
                && entity.Entity.Id.StartsWith(applier.SourcePoolId + "#", StringComparison.Ordinal)
                && !parked.Contains(entity.Entity)
                && !deferred.Contains(entity.Entity))
            {
                settled.Add(entity.Entity);
            }
        }

        foreach (var entity in settled)
        {
            await state.UnparkAsync(region, entity, cancellationToken);
        }
    }

    private ParkedEntity Parked(EntityId entity, ImmutableArray<ConfigRefusal> refusals, long version) => new()
    {
        Entity = entity,
        Code = refusals[0].Code,
        Reason = string.Join(" ", refusals.Select(r => r.ToString())),
        Version = version,
        ParkedAt = time.GetUtcNow(),
    };
}
