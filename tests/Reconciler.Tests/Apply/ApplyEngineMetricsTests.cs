using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>The metrics an operator alarms on are emitted: applied snapshots by outcome, replication lag, parks.</summary>
public sealed class ApplyEngineMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Tag)> _measurements = new();

    public ApplyEngineMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ReplicationMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, Tag(tags))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, Tag(tags))));
        _listener.Start();
    }

    [Fact]
    public async Task ApplyUserAsync_NewUser_CountsAnAppliedSnapshotAndRecordsItsLag()
    {
        var harness = new StandbyHarness(PoolKind.Email);
        var ada = harness.NewUser("ada-metrics");
        var snapshot = ada.Snapshot(1) with { ChangedAt = harness.Time.GetUtcNow() };
        harness.Time.Advance(TimeSpan.FromMilliseconds(750));

        await harness.ApplyAsync(snapshot);

        Assert.Contains(_measurements, m => m.Instrument == "idrep.apply.applied" && m.Tag == nameof(ApplyOutcome.Applied));
        Assert.Contains(_measurements, m => m.Instrument == "idrep.replication.lag" && Math.Abs(m.Value - 750) < 0.001);
    }

    [Fact]
    public async Task ApplyUserAsync_SchemaMismatch_CountsAParkWithItsReason()
    {
        var harness = new StandbyHarness(PoolKind.Username);
        var bob = harness.NewUser("bob-metrics");
        var attributes = new Dictionary<string, string>(bob.Attributes()) { ["custom:unknown"] = "x" };

        await harness.ApplyAsync(bob.Snapshot(1, attributes));

        Assert.Contains(_measurements, m => m.Instrument == "idrep.apply.parked" && m.Tag == "SchemaMismatch");
    }

    public void Dispose() => _listener.Dispose();

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key is "outcome" or "reason")
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
