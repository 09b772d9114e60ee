using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// Writes the worker's metrics to standard output as CloudWatch EMF every <c>Worker:MetricsInterval</c>, and once more
/// on shutdown so the last interval is not lost. Registered only when <c>Worker:CloudWatchNamespace</c> is set.
/// </summary>
internal sealed class CloudWatchMetricsService(EmfMetricsExporter exporter, TimeSpan interval, TimeProvider time, ILogger<CloudWatchMetricsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                FlushAndLogFailure();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes the last interval.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        FlushAndLogFailure();
    }

    public override void Dispose()
    {
        exporter.Dispose();
        base.Dispose();
    }

    private void FlushAndLogFailure()
    {
        try
        {
            exporter.Flush();
        }
        catch (IOException e)
        {
            Log.MetricsWriteFailed(logger, e.Message, e);
        }
    }
}
