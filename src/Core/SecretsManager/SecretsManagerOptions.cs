namespace IdentityReplicator.Core.SecretsManager;

/// <summary>
/// Where AWS Secrets Manager is reached in each Region, for client secrets Cognito publishes there
/// (<c>ClientSecretArn</c>): the Region's public endpoint unless <see cref="Endpoints"/> names another (the sandbox's
/// local Secrets Manager, a VPC interface endpoint).
/// </summary>
public sealed class SecretsManagerOptions
{
    public const string Section = "SecretsManager";

    /// <summary>Endpoint overrides per Region.</summary>
    public Dictionary<string, string> Endpoints { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Validate()
    {
        foreach (var (region, url) in Endpoints)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{Section}:Endpoints:{region} is '{url}'; it must be an absolute http(s) URL, or be removed to use the Region's public endpoint.";
            }
        }
    }

    /// <summary>The endpoint configured for <paramref name="region"/>, or null when none is.</summary>
    public Aws.AwsEndpoint? ConfiguredEndpointFor(string region) =>
        Endpoints.TryGetValue(region, out var url) && !string.IsNullOrEmpty(url) ? new(region, new Uri(url)) : null;
}
