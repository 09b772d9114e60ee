using System.Text.RegularExpressions;
using IdentityReplicator.Core.Scheduling;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>Scheduled drift reports (the worker's <c>Drift:Schedule</c>, or <c>idrep drift --publish</c>) (section <c>Drift</c>).</summary>
public sealed partial class DriftOptions
{
    public const string Section = "Drift";

    public const string DefaultOutputPrefix = "drift-reports/";

    public const int DefaultCompactMemoryBudgetMb = 64;

    public const int MaxCompactMemoryBudgetMb = 65_536;

    /// <summary>When the worker runs a drift report: a cron expression in UTC (e.g. <c>0 3 * * *</c>); empty = never.</summary>
    public string? Schedule { get; set; }

    /// <summary>Repair what the scheduled report finds, through the apply engine.</summary>
    public bool Repair { get; set; }

    /// <summary>Publish a <c>DriftReportCompleted</c> summary event to EventBridge after each scheduled report.</summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>Whether reports compare (and <c>--repair</c> fixes) the pools' configuration as well as their users.</summary>
    public bool CompareConfiguration { get; set; } = true;

    /// <summary>
    /// Whether the report's <c>recoverability</c> block reads each candidate's TOTP enrolment (AdminGetUser, one call a
    /// user, only when the source offers TOTP); false keeps a large pool's report at listing speed (<c>totpChecked</c> false).
    /// </summary>
    public bool ReadTotpEnrolment { get; set; } = true;

    /// <summary>A folder to write each scheduled report into (JSON and HTML); empty = none.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>An S3 bucket to write each scheduled report into (JSON and HTML); empty = none.</summary>
    public string? OutputBucket { get; set; }

    /// <summary>The key prefix in <see cref="OutputBucket"/>; reports go to <c>&lt;prefix&gt;yyyy/MM/dd/drift-yyyyMMdd-HHmmss.json</c>.</summary>
    public string OutputPrefix { get; set; } = DefaultOutputPrefix;

    /// <summary>The Region of <see cref="OutputBucket"/>; empty = the standby pool's Region (where the worker runs).</summary>
    public string? OutputBucketRegion { get; set; }

    /// <summary>An S3 endpoint override (the sandbox's local S3, a VPC endpoint); path-style addressing is used with it.</summary>
    public string? S3ServiceUrl { get; set; }

    /// <summary>
    /// The memory drift reports, repair and full sync's planning may give the compact form of both pools and the mirror
    /// (about 100 to 200 bytes a user) before they spill it to owner-only temporary files in sorted runs (1 to 65,536 MB).
    /// </summary>
    public int CompactMemoryBudgetMb { get; set; } = DefaultCompactMemoryBudgetMb;

    /// <summary><see cref="OutputPrefix"/> as keys are made: ending with <c>/</c> unless empty.</summary>
    public string KeyPrefix => string.IsNullOrEmpty(OutputPrefix) || OutputPrefix.EndsWith('/') ? OutputPrefix ?? string.Empty : OutputPrefix + "/";

    public IEnumerable<string> Validate()
    {
        foreach (var error in RunSchedule.Validate($"{Section}:Schedule", Schedule))
        {
            yield return error;
        }

        if (CompactMemoryBudgetMb is < 1 or > MaxCompactMemoryBudgetMb)
        {
            yield return $"{Section}:CompactMemoryBudgetMb is {CompactMemoryBudgetMb}; it must be from 1 to {MaxCompactMemoryBudgetMb} (MB), e.g. {DefaultCompactMemoryBudgetMb} (the default). Past it the compact form spills to temporary files, so a small budget costs disk reads, not correctness.";
        }

        if (!string.IsNullOrEmpty(OutputBucket) && BucketProblem(OutputBucket) is { } problem)
        {
            yield return $"{Section}:OutputBucket is '{OutputBucket}'; {problem}. Use the name of an existing bucket (e.g. 'my-company-idrep-reports'), or leave it empty to store no reports in S3.";
        }

        if (OutputPrefix is { Length: > 0 } prefix && (prefix.StartsWith('/') || prefix.Length > 512 || prefix.Any(char.IsControl)))
        {
            yield return $"{Section}:OutputPrefix is '{prefix}'; it must not start with '/', must be at most 512 characters without control characters, e.g. '{DefaultOutputPrefix}' (the default), or empty for the bucket's root.";
        }

        if (!string.IsNullOrEmpty(OutputBucketRegion) && !RegionName().IsMatch(OutputBucketRegion))
        {
            yield return $"{Section}:OutputBucketRegion is '{OutputBucketRegion}'; it must be an AWS Region name such as 'us-west-2', or empty for the standby pool's Region.";
        }

        if (!string.IsNullOrEmpty(S3ServiceUrl)
            && (!Uri.TryCreate(S3ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{Section}:S3ServiceUrl is '{S3ServiceUrl}'; it must be an absolute http(s) URL, or empty for the Region's public S3 endpoint.";
        }
    }

    /// <summary>What is wrong with an S3 bucket name (general purpose bucket naming rules), or null when nothing is.</summary>
    public static string? BucketProblem(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"a bucket name has 3 to 63 characters, this one {name.Length}";
        }

        if (!BucketCharacters().IsMatch(name))
        {
            return "a bucket name has only lowercase letters, digits, dots (.) and hyphens (-), and begins and ends with a letter or digit";
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return "a bucket name has no two adjacent dots, and no dot next to a hyphen";
        }

        if (IpAddress().IsMatch(name))
        {
            return "a bucket name is not formatted as an IP address";
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal)
            || name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            return "a bucket name does not start with 'xn--' or 'sthree-' nor end with '-s3alias' or '--ol-s3' (reserved by S3)";
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketCharacters();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddress();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionName();
}
