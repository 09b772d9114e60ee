namespace IdentityReplicator.Core.Mirror;

/// <summary>The mirror table: a DynamoDB (global) table with a replica in each Region.</summary>
public sealed class MirrorOptions
{
    public const string Section = "Mirror";

    public string TableName { get; set; } = "identity-replicator-mirror";

    /// <summary>
    /// Number of change-feed partitions. Writers and readers must agree; the table records the value it was
    /// created with and the reconciler refuses to start on a mismatch.
    /// </summary>
    public int FeedBuckets { get; set; } = 8;

    /// <summary>How long a tombstone (a deleted user or group) is kept before DynamoDB TTL removes it.</summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Endpoint overrides per Region (a VPC endpoint, or the sandbox's local DynamoDB). Regions not listed use
    /// the public DynamoDB endpoint of that Region.
    /// </summary>
    public Dictionary<string, string> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Checks the values; each message names the setting, its value and what is allowed.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(TableName) || !System.Text.RegularExpressions.Regex.IsMatch(TableName, "^[a-zA-Z0-9_.-]{3,255}$"))
        {
            yield return $"{Section}:TableName is '{TableName}'; it must be 3-255 characters of letters, digits, '_', '-' and '.'.";
        }

        if (FeedBuckets is < 1 or > 64)
        {
            yield return $"{Section}:FeedBuckets is {FeedBuckets}; it must be between 1 and 64.";
        }

        if (TombstoneRetention < TimeSpan.FromHours(1))
        {
            yield return $"{Section}:TombstoneRetention is {TombstoneRetention}; keep tombstones at least 01:00:00 (longer than any delivery delay), e.g. 30.00:00:00.";
        }

        foreach (var (region, url) in Endpoints)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{Section}:Endpoints:{region} is '{url}'; it must be an absolute http(s) URL, or be removed to use the Region's public endpoint.";
            }
        }
    }
}
