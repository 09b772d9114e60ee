using System.Diagnostics.Metrics;

namespace IdentityReplicator.Core.Telemetry;

/// <summary>
/// The tool's metrics (System.Diagnostics.Metrics, so OpenTelemetry or dotnet-counters can collect them).
/// Tags carry categories and outcomes, never identities. <see cref="CloudWatchMetricNames"/> says which reach
/// CloudWatch, under which names.
/// </summary>
public static class ReplicationMetrics
{
    public const string MeterName = "IdentityReplicator";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Cognito calls answered with a throttling error (tags: category, scope).</summary>
    public static readonly Counter<long> Throttled = Meter.CreateCounter<long>("idrep.cognito.throttled", "{call}");

    /// <summary>Snapshots recorded in the mirror table (tags: source, outcome).</summary>
    public static readonly Counter<long> Captured = Meter.CreateCounter<long>("idrep.capture.recorded", "{snapshot}");

    /// <summary>Trigger invocations whose capture failed or ran out of time; the event still went back to Cognito (tags: trigger, reason).</summary>
    public static readonly Counter<long> CaptureFailed = Meter.CreateCounter<long>("idrep.capture.failed", "{invocation}");

    /// <summary>Snapshots applied to the target pool (tags: outcome).</summary>
    public static readonly Counter<long> Applied = Meter.CreateCounter<long>("idrep.apply.applied", "{snapshot}");

    /// <summary>Users parked because the target pool rejected them (tags: reason).</summary>
    public static readonly Counter<long> Parked = Meter.CreateCounter<long>("idrep.apply.parked", "{user}");

    /// <summary>Milliseconds from a change being observed in the source pool to it being applied in the target.</summary>
    public static readonly Histogram<double> ReplicationLag = Meter.CreateHistogram<double>("idrep.replication.lag", "ms");

    /// <summary>
    /// Milliseconds from a canary value written in the primary to its first read at the native replica's endpoint (native
    /// mode; an upper bound, at most one canary poll interval above the true lag).
    /// </summary>
    public static readonly Histogram<double> NativeReplicationLag = Meter.CreateHistogram<double>("idrep.native.lag", "ms");

    /// <summary>Differences left by a drift report (after repair when it repaired): recorded once per completed report.</summary>
    public static readonly Histogram<long> DriftDifferences = Meter.CreateHistogram<long>("idrep.drift.differences", "{difference}");

    /// <summary>Drift reports completed (scheduled in the worker, or <c>idrep drift --publish</c>).</summary>
    public static readonly Counter<long> DriftRuns = Meter.CreateCounter<long>("idrep.drift.runs", "{run}");

    /// <summary>Registers the gauge of how far behind the change feed the reconciler is (seconds; 0 when caught up).</summary>
    public static ObservableGauge<double> FeedBehind(Func<double> seconds) =>
        Meter.CreateObservableGauge("idrep.feed.behind", seconds, "s", "Age of the oldest change not yet applied");

    /// <summary>Registers the gauge of entities parked by the reconciler.</summary>
    public static ObservableGauge<int> ParkedNow(Func<int> count) =>
        Meter.CreateObservableGauge("idrep.apply.parked_now", count, "{entity}", "Entities parked and waiting for a fix");
}
