namespace IdentityReplicator.Cdk.Config;

/// <summary>
/// The token relay's deployment (docs/deploy.md#the-token-relay), read from the <c>relay…</c> contexts: the stable name
/// callers use, the Route 53 zone it lives in, and each pool's token endpoint. With none of them set no relay is
/// deployed; with some set, each missing one is named.
/// </summary>
internal sealed record RelaySettings
{
    /// <summary>The port the relay's container listens on (the load balancer's targets).</summary>
    public const int ContainerPort = 8081;

    /// <summary>Relay tasks per Region: two, so a task's replacement or a zone's loss leaves one serving.</summary>
    public const int TasksPerRegion = 2;

    /// <summary>The one name callers use in both Regions, e.g. <c>token.example.com</c>.</summary>
    public required string DomainName { get; init; }

    public required string HostedZoneId { get; init; }

    public required string HostedZoneName { get; init; }

    /// <summary>The primary pool's token endpoint (<c>https://&lt;domain&gt;.auth.&lt;region&gt;.amazoncognito.com/oauth2/token</c>).</summary>
    public required string PrimaryTokenEndpoint { get; init; }

    public required string StandbyTokenEndpoint { get; init; }

    private static readonly (string Key, string What)[] Keys =
    [
        ("relayDomainName", "the name M2M callers use for the relay in both Regions, e.g. token.example.com"),
        ("relayHostedZoneId", "the Route 53 public hosted zone that holds relayDomainName, e.g. Z0123456789ABCDEFGHIJ"),
        ("relayHostedZoneName", "that zone's name, e.g. example.com"),
        ("relayPrimaryTokenEndpoint", "the primary pool's token endpoint, e.g. https://<domain>.auth.<primary region>.amazoncognito.com/oauth2/token"),
        ("relayStandbyTokenEndpoint", "the standby pool's token endpoint, e.g. https://<domain>.auth.<standby region>.amazoncognito.com/oauth2/token"),
    ];

    /// <summary>The relay's settings, or null when no <c>relay…</c> context is set; problems are added to <paramref name="problems"/>.</summary>
    internal static RelaySettings? FromContext(Func<string, string?> context, List<string> problems)
    {
        var values = Keys.ToDictionary(k => k.Key, k => context(k.Key)?.Trim() ?? string.Empty, StringComparer.Ordinal);
        if (values.Values.All(v => v.Length == 0))
        {
            return null;
        }

        var before = problems.Count;
        foreach (var (key, what) in Keys.Where(k => values[k.Key].Length == 0))
        {
            problems.Add($"Context '{key}' is not set: {what}. The relay needs every relay context (or none, to deploy no relay); set it in cdk/cdk.json or pass -c {key}=…");
        }

        foreach (var key in new[] { "relayPrimaryTokenEndpoint", "relayStandbyTokenEndpoint" }.Where(k => values[k].Length > 0))
        {
            if (!Uri.TryCreate(values[key], UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !uri.AbsolutePath.EndsWith("/oauth2/token", StringComparison.Ordinal))
            {
                problems.Add($"Context '{key}' is '{values[key]}'; it must be an https URL ending in /oauth2/token, e.g. https://<domain>.auth.<region>.amazoncognito.com/oauth2/token.");
            }
        }

        var name = values["relayDomainName"].TrimEnd('.');
        var zone = values["relayHostedZoneName"].TrimEnd('.');
        if (name.Length > 0 && zone.Length > 0 && !name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Context 'relayDomainName' is '{name}'; it must be a name inside the zone 'relayHostedZoneName' ('{zone}'), e.g. token.{zone}.");
        }

        return problems.Count > before ? null : new RelaySettings
        {
            DomainName = name,
            HostedZoneId = values["relayHostedZoneId"],
            HostedZoneName = zone,
            PrimaryTokenEndpoint = values["relayPrimaryTokenEndpoint"],
            StandbyTokenEndpoint = values["relayStandbyTokenEndpoint"],
        };
    }
}
