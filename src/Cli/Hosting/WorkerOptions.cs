namespace IdentityReplicator.Cli.Hosting;

/// <summary>How the worker process presents itself: logs, health endpoint, metrics export.</summary>
internal sealed class WorkerOptions
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

    /// <summary>
    /// The CloudWatch namespace of the metrics written to standard output in Embedded Metric Format (one line every
    /// <see cref="MetricsInterval"/>; CloudWatch Logs turns them into metrics); empty: none written.
    /// </summary>
    public string? CloudWatchNamespace { get; set; }

    /// <summary>How often the EMF metrics line is written (counters are summed over it).</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

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

        if (!string.IsNullOrEmpty(CloudWatchNamespace)
            && (CloudWatchNamespace.Length > 255 || CloudWatchNamespace.StartsWith("AWS/", StringComparison.OrdinalIgnoreCase)
                || !CloudWatchNamespace.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or '#' or ':' or ' ')))
        {
            yield return $"{Section}:CloudWatchNamespace is '{CloudWatchNamespace}'; use at most 255 letters, digits and . - _ / # : (not starting with 'AWS/'), e.g. 'IdentityReplicator', or leave it empty to send no metrics to CloudWatch.";
        }

        if (MetricsInterval < TimeSpan.FromSeconds(1) || MetricsInterval > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:MetricsInterval is {MetricsInterval}; it must be from 00:00:01 to 01:00:00 (default 00:01:00, CloudWatch's standard resolution).";
        }

        if (ReadyWindow < TimeSpan.FromSeconds(5))
        {
            yield return $"{Section}:ReadyWindow is {ReadyWindow}; it must be at least 00:00:05.";
        }
    }
}
