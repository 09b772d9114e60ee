namespace IdentityReplicator.Core.EventBridge;

/// <summary>Where the tool publishes its events (drift report summaries) and where applications publish hints.</summary>
public sealed class EventBridgeOptions
{
    public const string Section = "EventBridge";

    /// <summary>The account's default bus in each Region: the bus unless configured, here and in the CDK stacks.</summary>
    public const string DefaultBusName = "default";

    /// <summary>The event bus; <see cref="DefaultBusName"/> is the account's default bus in each Region.</summary>
    public string BusName { get; set; } = DefaultBusName;

    /// <summary>Endpoint overrides per Region (the sandbox's local bus).</summary>
    public Dictionary<string, string> Endpoints { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(BusName))
        {
            yield return $"{Section}:BusName is empty; use 'default' or the name (or ARN) of a custom event bus.";
        }

        foreach (var (region, url) in Endpoints)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{Section}:Endpoints:{region} is '{url}'; it must be an absolute http(s) URL, or be removed to use the Region's public endpoint.";
            }
        }
    }

    public Aws.AwsEndpoint EndpointFor(string region) =>
        new(region, Endpoints.TryGetValue(region, out var url) && !string.IsNullOrEmpty(url) ? new Uri(url) : null);
}
