using IdentityReplicator.Core.Scheduling;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Drift.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// Runs a drift report on the <see cref="DriftOptions.Schedule"/> (nothing when unset), optionally repairs, stores the
/// report (JSON and HTML) where the <see cref="IReportStore"/> keeps them (<see cref="DriftOptions.OutputDirectory"/>)
/// and publishes a <c>DriftReportCompleted</c> event. A failed run is logged and the next one runs on schedule.
/// <c>idrep drift --publish</c> runs <see cref="PublishAsync"/> once (a task started by a scheduler).
/// </summary>
public sealed class DriftReportService(
    IDriftReporter reporter,
    DriftEvents events,
    IReportStore store,
    IOptions<DriftOptions> options,
    TimeProvider time,
    ILogger<DriftReportService> logger) : BackgroundService
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    /// <summary>The documents stored for each scheduled report: JSON (schema in docs/drift-report.md) and HTML.</summary>
    public static IReadOnlyList<ReportDocument> Documents(DriftReport report) =>
    [
        new("json", JsonContentType, DriftFormats.Render(report, DriftFormat.Json)),
        new("html", HtmlContentType, DriftFormats.Render(report, DriftFormat.Html)),
    ];

    /// <summary>One scheduled run: report (and repair), store, publish.</summary>
    public async Task<DriftReport> RunOnceAsync(CancellationToken cancellationToken) => (await PublishAsync(cancellationToken)).Report;

    /// <summary>
    /// One run: report (and repair when <c>Drift:Repair</c>), store the JSON and HTML where the report store keeps them,
    /// record the <c>idrep.drift.*</c> metrics, publish the summary event.
    /// </summary>
    public async Task<PublishedDriftReport> PublishAsync(CancellationToken cancellationToken)
    {
        var report = await reporter.RunAsync(new DriftRequest(ShowValues: false, Repair: options.Value.Repair), cancellationToken);
        var locations = new List<string>();
        if (store is not ReportStores { Count: 0 })
        {
            foreach (var location in await store.SaveAsync(report.GeneratedAt, Documents(report), cancellationToken))
            {
                Log.DriftReportStored(logger, location);
                locations.Add(location);
            }
        }

        var remaining = RemainingDifferences(report);
        ReplicationMetrics.DriftRuns.Add(1);
        ReplicationMetrics.DriftDifferences.Record(remaining);

        if (options.Value.PublishEvents)
        {
            try
            {
                await events.PublishAsync(report, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DriftEventFailed(logger, Reasons.Of(e), e);
            }
        }

        return new PublishedDriftReport(report, remaining, locations);
    }

    /// <summary>The differences a report leaves, users and configuration drift (not configuration reports): after repair when it repaired.</summary>
    /// <remarks>
    /// A native replica's Regional differences count when the configuration was not compared (with it, its own comparison
    /// already counts the same settings, mapped the same way).
    /// </remarks>
    public static int RemainingDifferences(DriftReport report) =>
        (report.Repair?.RemainingDifferences ?? report.Summary.Differences) + (report.Configuration?.Remaining ?? report.Native?.Differences ?? 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Schedule))
        {
            return;
        }

        var schedule = RunSchedule.From(options.Value.Schedule, TimeSpan.FromDays(1));
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.Next(time.GetUtcNow());
            try
            {
                await Task.Delay(Max(next - time.GetUtcNow(), TimeSpan.Zero), time, stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.DriftFailed(logger, Reasons.Of(e), schedule.Next(time.GetUtcNow()));
                Log.DriftFailedDetail(logger, e);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>A drift report that was stored: what it found, what it left, and where it went.</summary>
/// <param name="Report">The report.</param>
/// <param name="RemainingDifferences">Differences left (after repair when it repaired).</param>
/// <param name="Locations">Where the JSON and HTML were written (paths, <c>s3://</c> URLs); empty when no store is set.</param>
public sealed record PublishedDriftReport(DriftReport Report, int RemainingDifferences, IReadOnlyList<string> Locations);
