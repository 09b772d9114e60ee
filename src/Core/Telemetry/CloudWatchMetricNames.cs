using System.Collections.Frozen;
using System.Collections.Immutable;

namespace IdentityReplicator.Core.Telemetry;

/// <summary>How one interval's measurements of an instrument become one CloudWatch value.</summary>
public enum EmfAggregation
{
    /// <summary>A counter: the sum of what was added during the interval.</summary>
    Sum,

    /// <summary>A gauge: the last value observed (gauges are observed once per flush).</summary>
    Last,

    /// <summary>A histogram: every value as EMF <c>Values</c>/<c>Counts</c> arrays, so CloudWatch computes percentiles.</summary>
    Distribution,
}

/// <summary>One instrument as CloudWatch knows it.</summary>
/// <param name="Instrument">The System.Diagnostics.Metrics instrument name (<see cref="ReplicationMetrics"/>).</param>
/// <param name="Name">The CloudWatch metric name (alarms and dashboards use it).</param>
/// <param name="Unit">A CloudWatch unit (<c>Milliseconds</c>, <c>Seconds</c>, <c>Count</c>).</param>
/// <param name="Aggregation">How an interval's measurements become one value.</param>
/// <param name="Meaning">What it tells an operator (docs/observability.md repeats it).</param>
public sealed record CloudWatchMetric(string Instrument, string Name, string Unit, EmfAggregation Aggregation, string Meaning);

/// <summary>
/// The one place that maps the tool's instruments to CloudWatch metric names and units. The CDK stack's alarms and
/// dashboard use these names: renaming one here breaks them. Instruments not listed are not sent to CloudWatch.
/// docs/observability.md has the same table.
/// </summary>
public static class CloudWatchMetricNames
{
    /// <summary>The only dimension: which process emitted the metrics.</summary>
    public const string ServiceDimension = "Service";

    /// <summary>The <see cref="ServiceDimension"/> value of the worker (and of <c>idrep drift --publish</c>, its scheduled task).</summary>
    public const string WorkerService = "worker";

    /// <summary>Every exported metric, in the order they appear in an EMF line.</summary>
    public static readonly ImmutableArray<CloudWatchMetric> All =
    [
        new("idrep.replication.lag", "ReplicationLag", "Milliseconds", EmfAggregation.Distribution, "time from a change observed in the source pool to it applied in the target pool (p50/p99)"),
        new("idrep.feed.behind", "FeedBehind", "Seconds", EmfAggregation.Last, "age of the oldest change not yet applied; 0 when caught up"),
        new("idrep.apply.parked_now", "ParkedNow", "Count", EmfAggregation.Last, "users and groups parked now, waiting for a fix"),
        new("idrep.apply.applied", "Applied", "Count", EmfAggregation.Sum, "snapshots applied to the target pool in the interval"),
        new("idrep.cognito.throttled", "Throttled", "Count", EmfAggregation.Sum, "Cognito calls answered with a throttling error in the interval"),
        new("idrep.apply.parked", "Parked", "Count", EmfAggregation.Sum, "users newly parked in the interval because the target pool rejected them"),
        new("idrep.native.lag", "NativeReplicationLag", "Milliseconds", EmfAggregation.Distribution, "native mode: time from a canary written in the primary to its arrival at the Cognito native replica (p50/p99)"),
        new("idrep.drift.differences", "DriftDifferences", "Count", EmfAggregation.Last, "differences left by the last drift report (after repair when Drift:Repair is on)"),
        new("idrep.drift.runs", "DriftRuns", "Count", EmfAggregation.Sum, "drift reports completed in the interval"),
    ];

    private static readonly FrozenDictionary<string, CloudWatchMetric> ByInstrument = All.ToFrozenDictionary(m => m.Instrument, StringComparer.Ordinal);

    /// <summary>The CloudWatch metric of an instrument, or null when it is not exported.</summary>
    public static CloudWatchMetric? For(string instrument) => ByInstrument.GetValueOrDefault(instrument);
}
