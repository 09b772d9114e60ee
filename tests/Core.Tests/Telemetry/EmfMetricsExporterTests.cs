using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Telemetry;

/// <summary>
/// CloudWatch Embedded Metric Format lines: each test has a meter of its own (named as the exporter is told), so the
/// tool's shared meter and other tests cannot add measurements.
/// </summary>
public sealed class EmfMetricsExporterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 3, 0, 4, 250, TimeSpan.Zero);
    private const long NowMs = 1748746804250;

    private readonly string _meterName = $"test-{Guid.NewGuid():N}";
    private readonly Meter _meter;
    private readonly StringWriter _output = new();
    private readonly FakeTimeProvider _time = new(Now);

    public EmfMetricsExporterTests() => _meter = new Meter(_meterName);

    [Fact]
    public void Flush_CounterAddedTwice_WritesTheSumUnderItsCloudWatchName()
    {
        var applied = _meter.CreateCounter<long>("idrep.apply.applied");
        using var exporter = Exporter();
        applied.Add(3, new KeyValuePair<string, object?>("outcome", "created"));
        applied.Add(9, new KeyValuePair<string, object?>("outcome", "updated"));

        var wrote = exporter.Flush();

        Assert.True(wrote);
        Assert.Equal(
            $$"""{"_aws":{"Timestamp":{{NowMs}},"CloudWatchMetrics":[{"Namespace":"IdentityReplicator/Test","Dimensions":[["Service"]],"Metrics":[{"Name":"Applied","Unit":"Count"}]}]},"Service":"worker","Applied":12}""",
            SingleLine());
    }

    [Fact]
    public void Flush_ObservableGauges_WritesTheirCurrentValuesInSecondsAndCount()
    {
        var behind = 4.5;
        _meter.CreateObservableGauge("idrep.feed.behind", () => behind, "s");
        _meter.CreateObservableGauge("idrep.apply.parked_now", () => 2, "{entity}");
        using var exporter = Exporter();

        exporter.Flush();

        Assert.Equal(
            $$"""{"_aws":{"Timestamp":{{NowMs}},"CloudWatchMetrics":[{"Namespace":"IdentityReplicator/Test","Dimensions":[["Service"]],"Metrics":[{"Name":"FeedBehind","Unit":"Seconds"},{"Name":"ParkedNow","Unit":"Count"}]}]},"Service":"worker","FeedBehind":4.5,"ParkedNow":2}""",
            SingleLine());
    }

    [Fact]
    public void Flush_HistogramValues_WritesValuesAndCountsWithMaxMinCountSum()
    {
        var lag = _meter.CreateHistogram<double>("idrep.replication.lag", "ms");
        using var exporter = Exporter();
        lag.Record(250);
        lag.Record(40);
        lag.Record(250);
        lag.Record(0);

        exporter.Flush();

        Assert.Equal(
            $$$"""{"_aws":{"Timestamp":{{{NowMs}}},"CloudWatchMetrics":[{"Namespace":"IdentityReplicator/Test","Dimensions":[["Service"]],"Metrics":[{"Name":"ReplicationLag","Unit":"Milliseconds"}]}]},"Service":"worker","ReplicationLag":{"Values":[0,40,250],"Counts":[1,1,2],"Max":250,"Min":0,"Count":4,"Sum":540}}""",
            SingleLine());
    }

    [Fact]
    public void Flush_AllMetrics_WritesThemInTheDocumentedOrderWithTheirUnits()
    {
        using var exporter = Exporter();
        _meter.CreateHistogram<double>("idrep.replication.lag", "ms").Record(10);
        _meter.CreateObservableGauge("idrep.feed.behind", () => 0.0, "s");
        _meter.CreateObservableGauge("idrep.apply.parked_now", () => 0, "{entity}");
        _meter.CreateCounter<long>("idrep.apply.applied").Add(1);
        _meter.CreateCounter<long>("idrep.cognito.throttled").Add(1);
        _meter.CreateCounter<long>("idrep.apply.parked").Add(1);
        _meter.CreateHistogram<long>("idrep.drift.differences").Record(7);
        _meter.CreateCounter<long>("idrep.drift.runs").Add(1);

        exporter.Flush();

        var line = JsonNode.Parse(SingleLine())!;
        var declared = line["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.AsArray().Select(m => $"{m!["Name"]}:{m["Unit"]}");
        Assert.Equal(
            ["ReplicationLag:Milliseconds", "FeedBehind:Seconds", "ParkedNow:Count", "Applied:Count", "Throttled:Count", "Parked:Count", "DriftDifferences:Count", "DriftRuns:Count"],
            declared);
        Assert.Equal(7, line["DriftDifferences"]!.GetValue<double>());
        Assert.Equal(1, line["DriftRuns"]!.GetValue<double>());
    }

    [Fact]
    public void Flush_GaugeRecordedTwice_WritesTheLastValue()
    {
        var differences = _meter.CreateHistogram<long>("idrep.drift.differences");
        using var exporter = Exporter();
        differences.Record(5);
        differences.Record(2);

        exporter.Flush();

        Assert.Equal(2, JsonNode.Parse(SingleLine())!["DriftDifferences"]!.GetValue<double>());
    }

    [Fact]
    public void Flush_NothingRecorded_WritesNoLine()
    {
        _meter.CreateCounter<long>("idrep.apply.applied");
        using var exporter = Exporter();

        var wrote = exporter.Flush();

        Assert.False(wrote);
        Assert.Equal(string.Empty, _output.ToString());
    }

    [Fact]
    public void Flush_Twice_SecondIntervalStartsFromNothing()
    {
        var applied = _meter.CreateCounter<long>("idrep.apply.applied");
        using var exporter = Exporter();
        applied.Add(5);
        exporter.Flush();
        _time.Advance(TimeSpan.FromSeconds(60));
        applied.Add(1);

        exporter.Flush();

        var lines = Lines();
        Assert.Equal(2, lines.Length);
        var second = JsonNode.Parse(lines[1])!;
        Assert.Equal(1, second["Applied"]!.GetValue<double>());
        Assert.Equal(NowMs + 60_000, second["_aws"]!["Timestamp"]!.GetValue<long>());
    }

    [Fact]
    public void Flush_InstrumentNotInTheNameMap_IsNotSent()
    {
        using var exporter = Exporter();
        _meter.CreateCounter<long>("idrep.capture.recorded").Add(4);

        Assert.False(exporter.Flush());
    }

    [Fact]
    public void Flush_ManyDistinctValues_MergesThemIntoAtMostOneHundredKeepingCountAndSum()
    {
        var lag = _meter.CreateHistogram<double>("idrep.replication.lag", "ms");
        using var exporter = Exporter();
        for (var i = 1; i <= 5000; i++)
        {
            lag.Record(i);
        }

        exporter.Flush();

        var histogram = JsonNode.Parse(SingleLine())!["ReplicationLag"]!;
        var values = histogram["Values"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        var counts = histogram["Counts"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
        Assert.InRange(values.Count, 2, EmfMetricsExporter.MaxValuesPerMetric);
        Assert.Equal(values.Count, counts.Count);
        Assert.Equal(5000, counts.Sum());
        Assert.Equal(values.Order(), values);
        Assert.Equal(5000, histogram["Max"]!.GetValue<double>());
        Assert.Equal(1, histogram["Min"]!.GetValue<double>());
        Assert.Equal(5000 * 5001 / 2, histogram["Sum"]!.GetValue<double>());
        Assert.Equal(5000 * 5001 / 2, values.Zip(counts, (v, c) => v * c).Sum(), 3);
    }

    [Fact]
    public void CreateIfEnabled_NamespaceUnset_ReturnsNoExporter()
    {
        Assert.Null(EmfMetricsExporter.CreateIfEnabled(null, CloudWatchMetricNames.WorkerService, _output, _time, _meterName));
        Assert.Null(EmfMetricsExporter.CreateIfEnabled(" ", CloudWatchMetricNames.WorkerService, _output, _time, _meterName));
        using var enabled = EmfMetricsExporter.CreateIfEnabled("IdentityReplicator", CloudWatchMetricNames.WorkerService, _output, _time, _meterName);
        Assert.NotNull(enabled);
    }

    [Fact]
    public void All_NamesAndInstruments_AreUnique()
    {
        Assert.Equal(CloudWatchMetricNames.All.Length, CloudWatchMetricNames.All.Select(m => m.Name).Distinct().Count());
        Assert.Equal(CloudWatchMetricNames.All.Length, CloudWatchMetricNames.All.Select(m => m.Instrument).Distinct().Count());
    }

    public void Dispose()
    {
        _meter.Dispose();
        _output.Dispose();
    }

    private EmfMetricsExporter Exporter() => new("IdentityReplicator/Test", CloudWatchMetricNames.WorkerService, _output, _time, _meterName);

    private string[] Lines() => _output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private string SingleLine() => Assert.Single(Lines());
}
