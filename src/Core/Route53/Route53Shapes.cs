namespace IdentityReplicator.Core.Route53;

/// <summary>A record set (shape <c>ResourceRecordSet</c> of the Route 53 API model; the members failover uses).</summary>
public sealed record ResourceRecordSet
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public string? SetIdentifier { get; init; }

    public long? Weight { get; init; }

    public string? Region { get; init; }

    /// <summary><c>PRIMARY</c> or <c>SECONDARY</c> for failover routing.</summary>
    public string? Failover { get; init; }

    public long? TTL { get; init; }

    public IReadOnlyList<string> ResourceRecords { get; init; } = [];

    public AliasTarget? AliasTarget { get; init; }

    public string? HealthCheckId { get; init; }
}

public sealed record AliasTarget(string HostedZoneId, string DNSName, bool EvaluateTargetHealth);

/// <summary>One change of a batch: <c>CREATE</c>, <c>DELETE</c> or <c>UPSERT</c>.</summary>
public sealed record Change(string Action, ResourceRecordSet ResourceRecordSet);

internal sealed record ChangeResourceRecordSetsRequest(string HostedZoneId, IReadOnlyList<Change> Changes, string? Comment = null);

/// <summary>A change's status: <c>PENDING</c> until every Route 53 name server has it, then <c>INSYNC</c>.</summary>
public sealed record ChangeInfo(string Id, string Status, DateTimeOffset SubmittedAt, string? Comment)
{
    public bool IsInSync => string.Equals(Status, "INSYNC", StringComparison.Ordinal);
}

internal sealed record ListResourceRecordSetsRequest(string HostedZoneId)
{
    public string? StartRecordName { get; init; }

    public string? StartRecordType { get; init; }

    public string? StartRecordIdentifier { get; init; }

    public int? MaxItems { get; init; }
}

public sealed record ListResourceRecordSetsResponse(
    IReadOnlyList<ResourceRecordSet> ResourceRecordSets,
    bool IsTruncated,
    string? NextRecordName,
    string? NextRecordType,
    string? NextRecordIdentifier);

public sealed record HostedZone(string Id, string Name, long? ResourceRecordSetCount);

public sealed record HealthCheckObservation(string? Region, string? IPAddress, string? Status, DateTimeOffset? CheckedTime)
{
    /// <summary>Route 53 reports a passing check as a status starting with "Success".</summary>
    public bool IsHealthy => Status?.StartsWith("Success", StringComparison.Ordinal) == true;
}
