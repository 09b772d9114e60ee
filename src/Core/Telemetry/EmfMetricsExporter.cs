using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;

namespace IdentityReplicator.Core.Telemetry;

/// <summary>
/// Listens to the tool's instruments and, on each <see cref="Flush"/>, writes what the interval recorded as one line of
/// CloudWatch Embedded Metric Format (EMF) JSON. On ECS the line goes to standard output, the awslogs driver sends it
/// to CloudWatch Logs, and CloudWatch Logs turns it into metrics: no agent, no PutMetricData permission.
/// </summary>
/// <remarks>
/// The line: <c>{"_aws":{"Timestamp":&lt;epoch ms&gt;,"CloudWatchMetrics":[{"Namespace":…,"Dimensions":[["Service"]],
/// "Metrics":[{"Name":…,"Unit":…}]}]},"Service":"worker","Applied":12,…}</c>. Counters are summed over the interval,
/// gauges give their last value, histograms give <c>{"Values":[…],"Counts":[…],"Max","Min","Count","Sum"}</c> with at
/// most 100 values (near values are merged into one, weighted by their mean, when there are more). Nothing is written
/// for an interval that recorded nothing. Metrics are named by <see cref="CloudWatchMetricNames"/>; tags are not sent
/// (one dimension set, <c>Service</c>).
/// </remarks>
public sealed class EmfMetricsExporter : IDisposable
{
    /// <summary>EMF: at most 100 values in one Values array.</summary>
    public const int MaxValuesPerMetric = 100;

    /// <summary>EMF: at most 100 metrics in one directive; more are written on further lines.</summary>
    public const int MaxMetricsPerLine = 100;

    private readonly string _namespace;
    private readonly string _service;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly string _meterName;
    private readonly MeterListener _listener;
    private readonly Lock _gate = new();
    private readonly Dictionary<CloudWatchMetric, Accumulator> _recorded = [];

    /// <param name="namespace">The CloudWatch namespace (<c>Worker:CloudWatchNamespace</c>).</param>
    /// <param name="service">The value of the <c>Service</c> dimension.</param>
    /// <param name="output">Where lines go (standard output in a container).</param>
    /// <param name="time">The clock of the EMF timestamp.</param>
    /// <param name="meterName">The meter to listen to; <see cref="ReplicationMetrics.MeterName"/> unless a test has its own.</param>
    public EmfMetricsExporter(string @namespace, string service, TextWriter output, TimeProvider time, string meterName = ReplicationMetrics.MeterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        _namespace = @namespace;
        _service = service;
        _output = output;
        _time = time;
        _meterName = meterName;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == _meterName && CloudWatchMetricNames.For(instrument.Name) is { } metric)
                {
                    listener.EnableMeasurementEvents(instrument, metric);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Record(state, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, state) => Record(state, value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => Record(state, value));
        _listener.Start();
    }

    /// <summary>An exporter when <paramref name="namespace"/> is set (metrics to CloudWatch enabled); null when it is empty.</summary>
    public static EmfMetricsExporter? CreateIfEnabled(string? @namespace, string service, TextWriter output, TimeProvider time, string meterName = ReplicationMetrics.MeterName) =>
        string.IsNullOrWhiteSpace(@namespace) ? null : new EmfMetricsExporter(@namespace, service, output, time, meterName);

    /// <summary>Observes the gauges, writes the interval's line (none when nothing was recorded) and starts a new interval.</summary>
    /// <returns>Whether a line was written.</returns>
    public bool Flush()
    {
        // Gauge callbacks call Record, which takes the lock: observe before taking it.
        _listener.RecordObservableInstruments();
        List<(CloudWatchMetric Metric, Accumulator Values)> recorded;
        lock (_gate)
        {
            recorded = [.. CloudWatchMetricNames.All.Where(_recorded.ContainsKey).Select(m => (m, _recorded[m]))];
            _recorded.Clear();
        }

        if (recorded.Count == 0)
        {
            return false;
        }

        var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var chunk in recorded.Chunk(MaxMetricsPerLine))
        {
            _output.WriteLine(Line(timestamp, chunk));
        }

        _output.Flush();
        return true;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(object? state, double value)
    {
        if (state is not CloudWatchMetric metric || double.IsNaN(value) || double.IsInfinity(value))
        {
            return;
        }

        lock (_gate)
        {
            if (!_recorded.TryGetValue(metric, out var accumulator))
            {
                accumulator = new Accumulator(metric.Aggregation);
                _recorded[metric] = accumulator;
            }

            accumulator.Add(value);
        }
    }

    private string Line(long timestamp, (CloudWatchMetric Metric, Accumulator Values)[] metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp);
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", _namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue(CloudWatchMetricNames.ServiceDimension);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (metric, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", metric.Name);
                json.WriteString("Unit", metric.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString(CloudWatchMetricNames.ServiceDimension, _service);
            foreach (var (metric, values) in metrics)
            {
                json.WritePropertyName(metric.Name);
                values.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>One interval's measurements of one instrument.</summary>
    private sealed class Accumulator(EmfAggregation aggregation)
    {
        // Histogram values go into buckets 2^(1/16) wide (about 4 % apart); a bucket keeps its count and sum, and is
        // written as its mean. Values at or below zero share one bucket.
        private const int BucketsPerOctave = 16;
        private readonly SortedDictionary<int, (long Count, double Sum)> _buckets = [];
        private (long Count, double Sum) _zeroOrLess;
        private double _sum;
        private double _last;
        private double _min = double.MaxValue;
        private double _max = double.MinValue;
        private long _count;

        public void Add(double value)
        {
            _count++;
            _sum += value;
            _last = value;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
            if (aggregation != EmfAggregation.Distribution)
            {
                return;
            }

            if (value <= 0)
            {
                _zeroOrLess = (_zeroOrLess.Count + 1, _zeroOrLess.Sum + value);
                return;
            }

            var key = (int)Math.Floor(Math.Log2(value) * BucketsPerOctave);
            var bucket = _buckets.GetValueOrDefault(key);
            _buckets[key] = (bucket.Count + 1, bucket.Sum + value);
        }

        public void WriteTo(Utf8JsonWriter json)
        {
            switch (aggregation)
            {
                case EmfAggregation.Sum:
                    json.WriteNumberValue(_sum);
                    break;
                case EmfAggregation.Last:
                    json.WriteNumberValue(_last);
                    break;
                default:
                    WriteDistribution(json);
                    break;
            }
        }

        private void WriteDistribution(Utf8JsonWriter json)
        {
            var buckets = _buckets.Select(b => (b.Key, b.Value.Count, b.Value.Sum)).ToList();
            var room = MaxValuesPerMetric - (_zeroOrLess.Count > 0 ? 1 : 0);
            while (buckets.Count > room)
            {
                // Twice as wide: neighbours merge (an arithmetic shift rounds down for negative keys too).
                buckets = [.. buckets.GroupBy(b => b.Key >> 1).Select(g => (g.Key, g.Sum(b => b.Count), g.Sum(b => b.Sum)))];
            }

            var values = new List<(double Value, long Count)>(buckets.Count + 1);
            if (_zeroOrLess.Count > 0)
            {
                values.Add((_zeroOrLess.Sum / _zeroOrLess.Count, _zeroOrLess.Count));
            }

            values.AddRange(buckets.Select(b => (b.Sum / b.Count, b.Count)));

            json.WriteStartObject();
            json.WriteStartArray("Values");
            foreach (var (value, _) in values)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteStartArray("Counts");
            foreach (var (_, count) in values)
            {
                json.WriteNumberValue(count);
            }

            json.WriteEndArray();
            json.WriteNumber("Max", _max);
            json.WriteNumber("Min", _min);
            json.WriteNumber("Count", _count);
            json.WriteNumber("Sum", _sum);
            json.WriteEndObject();
        }
    }
}
