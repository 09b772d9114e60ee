namespace IdentityReplicator.Core.Mirror;

/// <summary>The mirror table: a DynamoDB (global) table with a replica in each Region.</summary>
public sealed class MirrorOptions
{
    public const string Section = "Mirror";

    /// <summary>The table's name unless configured: the CDK stacks, the sandbox and failover plans default to it too.</summary>
    public const string DefaultTableName = "identity-replicator-mirror";

    /// <summary>
    /// The feed bucket count unless configured. The worker, the Replicator function, the CDK stacks, the sandbox and
    /// failover plans all default to this one value: writers and readers that disagree break the change feed.
    /// </summary>
    public const int DefaultFeedBuckets = 8;

    /// <summary>The allowed feed bucket counts (the CDK context <c>feedBuckets</c> is checked against the same range).</summary>
    public const int MinFeedBuckets = 1;
    public const int MaxFeedBuckets = 64;

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Number of change-feed partitions. Writers and readers must agree; the table records the value it was
    /// created with and the reconciler refuses to start on a mismatch.
    /// </summary>
    public int FeedBuckets { get; set; } = DefaultFeedBuckets;

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

        if (FeedBuckets is < MinFeedBuckets or > MaxFeedBuckets)
        {
            yield return $"{Section}:FeedBuckets is {FeedBuckets}; it must be between {MinFeedBuckets} and {MaxFeedBuckets}.";
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
