using IdentityReplicator.Core.Configuration;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Replicator.Relay;

/// <summary>
/// The token relay's settings (section <c>Relay</c>): the token endpoint of each Region's pool, and how long the client
/// mapping is trusted. The pools themselves are <c>Replication:Primary</c> and <c>Replication:Standby</c>.
/// </summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>Region → that pool's token endpoint (<c>https://&lt;domain&gt;.auth.&lt;region&gt;.amazoncognito.com/oauth2/token</c>).</summary>
    public Dictionary<string, string> TokenEndpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The Region whose mirror-table replica the relay reads (set it to the relay's own Region in each deployment, so
    /// the relay that survives a Region's loss reads the surviving replica); empty means the standby's Region.
    /// </summary>
    public string? MirrorRegion { get; set; }

    /// <summary>How long a read of the <c>CLIENTS#</c> mapping is trusted (default 30 s; 0 reads it on every request).</summary>
    public TimeSpan MappingCacheFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a read of the replication control is trusted (default 1 s): the relay's share of the failover staleness window.</summary>
    public TimeSpan ControlCacheFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a forwarded request may take before the caller gets 504 (default 10 s).</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The token endpoint of <paramref name="region"/> (validated at start).</summary>
    public Uri TokenEndpoint(string region) => new(TokenEndpoints[region]);

    /// <summary>Every problem with these settings for the pools of <paramref name="replication"/>, each naming its key and the fix.</summary>
    public IEnumerable<string> Problems(ReplicationOptions replication)
    {
        foreach (var (role, pool) in new[] { ("primary", replication.Primary), ("standby", replication.Standby) })
        {
            var key = $"{Section}:TokenEndpoints:{pool.Region}";
            if (string.IsNullOrEmpty(pool.Region))
            {
                yield return $"Replication:{(role == "primary" ? "Primary" : "Standby")}:Region is empty; the relay forwards to the token endpoint of the {role} pool's Region, so set it (e.g. 'us-east-1').";
                continue;
            }

            if (!TokenEndpoints.TryGetValue(pool.Region, out var value) || string.IsNullOrWhiteSpace(value))
            {
                yield return $"{key} is missing; set it to the token endpoint of the {role} pool's domain, e.g. 'https://<domain>.auth.{pool.Region}.amazoncognito.com/oauth2/token'.";
            }
            else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
                || !uri.AbsolutePath.EndsWith("/oauth2/token", StringComparison.Ordinal))
            {
                yield return $"{key} is '{value}'; it must be an absolute https URL ending in /oauth2/token (http only on 127.0.0.1), e.g. 'https://<domain>.auth.{pool.Region}.amazoncognito.com/oauth2/token'.";
            }
        }

        if (!string.IsNullOrEmpty(MirrorRegion) && MirrorRegion != replication.Primary.Region && MirrorRegion != replication.Standby.Region)
        {
            yield return $"{Section}:MirrorRegion is '{MirrorRegion}'; it must be one of the pools' Regions ('{replication.Primary.Region}' or '{replication.Standby.Region}'), or empty for the standby's.";
        }

        if (MappingCacheFor < TimeSpan.Zero || MappingCacheFor > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:MappingCacheFor is {MappingCacheFor}; it must be between 00:00:00 and 00:10:00 (a longer cache delays new clients).";
        }

        if (ControlCacheFor < TimeSpan.Zero || ControlCacheFor > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:ControlCacheFor is {ControlCacheFor}; it must be between 00:00:00 and 00:01:00 (it is how long a failover takes to reach the relay).";
        }

        if (ForwardTimeout <= TimeSpan.Zero || ForwardTimeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:ForwardTimeout is {ForwardTimeout}; it must be more than 00:00:00 and at most 00:01:00.";
        }
    }
}

/// <summary>Checks <see cref="RelayOptions"/> against the configured pools at start.</summary>
internal sealed class RelayOptionsValidator(IOptions<ReplicationOptions> replication) : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var problems = options.Problems(replication.Value).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
