namespace IdentityReplicator.Cli.Hosting;

/// <summary>How the worker process presents itself: logs, health endpoint, metrics export.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary><c>text</c> (one line per entry) or <c>json</c> (one JSON object per line, for CloudWatch Logs).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Where to serve <c>/health/live</c> and <c>/health/ready</c>, e.g. <c>http://127.0.0.1:8080</c>; empty: none.</summary>
    public string? HealthUrl { get; set; }

    /// <summary>How long the change feed may go unread before the worker reports itself not ready.</summary>
    public TimeSpan ReadyWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An OTLP endpoint for metrics (e.g. the ADOT collector sidecar, <c>http://127.0.0.1:4317</c>); empty: not exported.</summary>
    public string? OtlpEndpoint { get; set; }

    public IEnumerable<string> Validate()
    {
        if (LogFormat is not ("text" or "json"))
        {
            yield return $"{Section}:LogFormat is '{LogFormat}'; use 'text' or 'json'.";
        }

        foreach (var (name, url) in new[] { ("HealthUrl", HealthUrl), ("OtlpEndpoint", OtlpEndpoint) })
        {
            if (!string.IsNullOrEmpty(url) && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                yield return $"{Section}:{name} is '{url}'; it must be an absolute http(s) URL, or empty.";
            }
        }

        if (ReadyWindow < TimeSpan.FromSeconds(5))
        {
            yield return $"{Section}:ReadyWindow is {ReadyWindow}; it must be at least 00:00:05.";
        }
    }
}
