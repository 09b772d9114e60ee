using System.Globalization;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Reconciler.Drift.Storage;

/// <summary>One rendered form of a report: its file extension (<c>json</c>, <c>html</c>), content type and text.</summary>
public sealed record ReportDocument(string Extension, string ContentType, string Content);

/// <summary>
/// Where scheduled drift reports are kept (a folder, an S3 bucket). Implementations name the documents after the
/// report's time (<see cref="ReportNames.Stem"/>) and overwrite a document of the same name.
/// </summary>
public interface IReportStore
{
    /// <summary>Stores every document of one report; returns where each went (paths or <c>s3://</c> URIs, for logs).</summary>
    Task<IReadOnlyList<string>> SaveAsync(DateTimeOffset generatedAt, IReadOnlyList<ReportDocument> documents, CancellationToken cancellationToken);
}

/// <summary>How stored reports are named.</summary>
internal static class ReportNames
{
    /// <summary><c>drift-yyyyMMdd-HHmmss</c> in UTC: sorts by time, one name per second.</summary>
    public static string Stem(DateTimeOffset generatedAt) =>
        "drift-" + generatedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy/MM/dd/</c> in UTC: one folder per day, so a bucket's listing and lifecycle rules stay simple.</summary>
    public static string DayFolder(DateTimeOffset generatedAt) =>
        generatedAt.UtcDateTime.ToString("yyyy'/'MM'/'dd'/'", CultureInfo.InvariantCulture);
}

/// <summary>A report could not be stored. The message names the destination and what to check; the cause is kept.</summary>
public sealed class ReportStoreException : Exception, IComponentFailure
{
    public string Component => "report store";

    public ReportStoreException()
    {
    }

    public ReportStoreException(string message)
        : base(message)
    {
    }

    public ReportStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
