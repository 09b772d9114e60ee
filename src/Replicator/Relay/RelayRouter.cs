using System.Collections.Concurrent;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Replicator.Relay;

/// <summary>Where a caller's token request goes: the active Region's token endpoint and that pool's id of the caller's client.</summary>
internal sealed record RelayRoute(string Region, string UserPoolId, string ClientId, Uri TokenEndpoint);

/// <summary>The mirror table could not be read and nothing was known yet: the relay cannot tell where to send a request.</summary>
internal sealed class RelayUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Maps a primary client id to the active Region's client: the active pool is the source of the replication control
/// (the primary until a failover, the standby after it); a client of another pool is found through the <c>CLIENTS#</c>
/// mapping client replication keeps (the active pool's items whose source client is the caller's, or, after
/// replication reversed, the primary's items whose target client is the caller's). Mappings are cached for
/// <see cref="RelayOptions.MappingCacheFor"/>, the control for <see cref="RelayOptions.ControlCacheFor"/>.
/// </summary>
public sealed class RelayRouter
{
    private readonly IClientMappingStore _mappings;
    private readonly ReplicationControlReader _control;
    private readonly ReplicationOptions _pools;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public RelayRouter(IClientMappingStore mappings, IReplicationControlStore control, ReplicationOptions pools, RelayOptions options, TimeProvider time)
    {
        _mappings = mappings;
        _pools = pools;
        _options = options;
        _time = time;
        _control = new ReplicationControlReader(control, ReplicationControl.FromConfiguration(pools), time, options.ControlCacheFor);
    }

    /// <summary>The route of <paramref name="primaryClientId"/>; null when the active pool has no client standing for it.</summary>
    internal async ValueTask<RelayRoute?> RouteAsync(string primaryClientId, CancellationToken cancellationToken)
    {
        var control = await _control.CurrentAsync(cancellationToken);
        var active = control.SourcePoolId;
        var region = control.SourceRegion;
        var endpoint = _options.TokenEndpoint(region);
        var primary = _pools.Primary.UserPoolId;
        if (string.Equals(active, primary, StringComparison.Ordinal))
        {
            // The caller's own pool: Cognito itself answers for clients it does not know.
            return new RelayRoute(region, active, primaryClientId, endpoint);
        }

        var forward = (await MappingsAsync(active, cancellationToken))
            .FirstOrDefault(m => m.SourcePoolId == primary && m.SourceClientId == primaryClientId);
        if (forward is not null)
        {
            return new RelayRoute(region, active, forward.TargetClientId, endpoint);
        }

        var reverse = (await MappingsAsync(primary, cancellationToken))
            .FirstOrDefault(m => m.SourcePoolId == active && m.TargetClientId == primaryClientId);
        return reverse is null ? null : new RelayRoute(region, active, reverse.SourceClientId, endpoint);
    }

    private async ValueTask<IReadOnlyList<ClientMapping>> MappingsAsync(string targetPoolId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var cached = _cache.GetValueOrDefault(targetPoolId);
        if (cached is not null && now - cached.ReadAt < _options.MappingCacheFor)
        {
            return cached.Mappings;
        }

        try
        {
            var mappings = await _mappings.ListAsync(targetPoolId, cancellationToken);
            _cache[targetPoolId] = new Cached(mappings, now);
            return mappings;
        }
        catch (Exception e) when (e is not OperationCanceledException && cached is not null)
        {
            // Keep routing with what was known; the next request tries again.
            return cached.Mappings;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RelayUnavailableException($"The relay cannot read the client mapping of pool {targetPoolId} from the mirror table; check the table's name and the relay's dynamodb:Query permission.", e);
        }
    }

    private sealed record Cached(IReadOnlyList<ClientMapping> Mappings, DateTimeOffset ReadAt);
}
