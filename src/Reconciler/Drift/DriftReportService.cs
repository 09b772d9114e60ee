using IdentityReplicator.Core.Scheduling;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Drift.Formats;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// Runs a drift report on the <see cref="DriftOptions.Schedule"/> (nothing when unset), optionally repairs, writes the
/// report to <see cref="DriftOptions.OutputDirectory"/> and publishes a <c>DriftReportCompleted</c> event. A failed run is
/// logged and the next one runs on schedule.
/// </summary>
public sealed class DriftReportService(
    DriftReporter reporter,
    DriftEvents events,
    IOptions<DriftOptions> options,
    TimeProvider time,
    ILogger<DriftReportService> logger) : BackgroundService
{
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
            }
        }
    }

    /// <summary>One scheduled run: report (and repair), write, publish.</summary>
    public async Task<DriftReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var report = await reporter.RunAsync(new DriftRequest(ShowValues: false, Repair: options.Value.Repair), cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.Value.OutputDirectory))
        {
            Directory.CreateDirectory(options.Value.OutputDirectory);
            var stem = Path.Combine(options.Value.OutputDirectory, $"drift-{report.GeneratedAt:yyyyMMdd-HHmmss}");
            await File.WriteAllTextAsync(stem + ".json", DriftFormats.Render(report, DriftFormat.Json), cancellationToken);
            await File.WriteAllTextAsync(stem + ".html", DriftFormats.Render(report, DriftFormat.Html), cancellationToken);
        }

        if (options.Value.PublishEvents)
        {
            try
            {
                await events.PublishAsync(report, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DriftEventFailed(logger, Reasons.Of(e));
            }
        }

        return report;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
