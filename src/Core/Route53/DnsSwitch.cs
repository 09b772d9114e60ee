namespace IdentityReplicator.Core.Route53;

/// <summary>
/// DNS as failover sees it: read record sets, apply a batch of upserts, follow the change until every name server has
/// it, and read health checks. A port: implemented on Route 53, faked in memory in tests.
/// </summary>
public interface IDnsSwitch
{
    Task<HostedZone?> GetZoneAsync(string hostedZoneId, CancellationToken cancellationToken);

    /// <summary>The record sets with this name and type (every set identifier).</summary>
    Task<IReadOnlyList<ResourceRecordSet>> GetRecordSetsAsync(string hostedZoneId, string name, string type, CancellationToken cancellationToken);

    /// <summary>Upserts the record sets in one change batch; returns the change id.</summary>
    Task<string> UpsertAsync(string hostedZoneId, IReadOnlyList<ResourceRecordSet> recordSets, string comment, CancellationToken cancellationToken);

    /// <summary>Whether the change has reached every Route 53 name server (INSYNC).</summary>
    Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken);
}

/// <summary><see cref="IDnsSwitch"/> on Route 53.</summary>
public sealed class Route53DnsSwitch(Route53Client client) : IDnsSwitch
{
    public async Task<HostedZone?> GetZoneAsync(string hostedZoneId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetHostedZoneAsync(hostedZoneId, cancellationToken);
        }
        catch (Route53Exception e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<ResourceRecordSet>> GetRecordSetsAsync(string hostedZoneId, string name, string type, CancellationToken cancellationToken) =>
        client.FindRecordSetsAsync(hostedZoneId, name, type, cancellationToken);

    public async Task<string> UpsertAsync(string hostedZoneId, IReadOnlyList<ResourceRecordSet> recordSets, string comment, CancellationToken cancellationToken)
    {
        var change = await client.ChangeResourceRecordSetsAsync(
            new ChangeResourceRecordSetsRequest(hostedZoneId, [.. recordSets.Select(r => new Change("UPSERT", r))], comment),
            cancellationToken);
        return change.Id;
    }

    public async Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken) =>
        (await client.GetChangeAsync(changeId, cancellationToken)).IsInSync;

    public Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken) =>
        client.GetHealthCheckStatusAsync(healthCheckId, cancellationToken);
}
