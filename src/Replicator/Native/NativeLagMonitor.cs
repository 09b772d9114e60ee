using System.Globalization;
using IdentityReplicator.Core.Telemetry;

namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// What the canary has measured of a native replica's lag: each canary value written in the primary (its write time),
/// and when the secondary first showed it. The lag of one value is the time from just before its write to the first read
/// of the secondary that showed it, so it is never less than the true lag and at most one poll interval more. Values the
/// secondary skips (a newer one arrived first) are counted as arrived with the newer one. Thread-safe: the canary
/// records, health and status read.
/// </summary>
public sealed class NativeLagMonitor(TimeProvider time, TimeSpan staleAfter, TimeSpan canaryInterval, int window = 1024)
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _pending = [];
    private readonly Queue<double> _samples = new();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private long _count;
    private long _lastArrivedValue = long.MinValue;
    private double? _lastMs;
    private double? _maxMs;
    private DateTimeOffset? _lastArrivalAt;
    private DateTimeOffset? _lastWriteAt;
    private string? _lastError;

    /// <summary>The canary value for a write at <paramref name="at"/> (Unix milliseconds, invariant digits).</summary>
    public static string ValueOf(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A canary value read back; null when it is not one (absent, or written by something else).</summary>
    public static long? Parse(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;

    /// <summary>The primary accepted the canary value written at <paramref name="at"/>.</summary>
    public void Written(DateTimeOffset at)
    {
        lock (_gate)
        {
            _pending.Add(at.ToUnixTimeMilliseconds());
            _lastWriteAt = at;
            _lastError = null;
        }
    }

    /// <summary>
    /// The secondary showed <paramref name="value"/>. Returns the lag measured, or null when the value is not one this
    /// monitor is waiting for (written before it started, or already counted).
    /// </summary>
    public TimeSpan? Seen(long value)
    {
        var now = time.GetUtcNow();
        TimeSpan lag;
        lock (_gate)
        {
            if (value <= _lastArrivedValue || !_pending.Contains(value))
            {
                return null;
            }

            _pending.RemoveWhere(v => v <= value);
            _lastArrivedValue = value;
            lag = now - DateTimeOffset.FromUnixTimeMilliseconds(value);
            var ms = lag.TotalMilliseconds;
            _samples.Enqueue(ms);
            if (_samples.Count > window)
            {
                _samples.Dequeue();
            }

            _count++;
            _lastMs = ms;
            _maxMs = Math.Max(_maxMs ?? ms, ms);
            _lastArrivalAt = now;
        }

        ReplicationMetrics.NativeReplicationLag.Record(lag.TotalMilliseconds);
        return lag;
    }

    /// <summary>A canary write or read failed (the reason, never personal data).</summary>
    public void Failed(string reason)
    {
        lock (_gate)
        {
            _lastError = reason;
        }
    }

    /// <summary>The lag distribution so far and whether the replica is stale (a written canary not arrived within the threshold).</summary>
    public NativeLagStatus Status()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var sorted = _samples.Order().ToArray();
            double? P(double q) => sorted.Length == 0 ? null : Percentiles.NearestRank(sorted, q);
            var (stale, reason) = Judge(now);
            return new NativeLagStatus(_count, P(0.5), P(0.99), _lastMs, _maxMs, _lastArrivalAt, _lastWriteAt, stale, reason, _lastError);
        }
    }

    private (bool Stale, string Reason) Judge(DateTimeOffset now)
    {
        if (_pending.Count > 0 && now - DateTimeOffset.FromUnixTimeMilliseconds(_pending.Min) > staleAfter)
        {
            var age = now - DateTimeOffset.FromUnixTimeMilliseconds(_pending.Min);
            return (true, $"stale: the canary written {Seconds(age)} s ago has not arrived at the replica (threshold {Seconds(staleAfter)} s)");
        }

        var since = _lastArrivalAt ?? _startedAt;
        if (now - since > staleAfter + canaryInterval)
        {
            return (true, _lastError is null
                ? $"stale: no canary has arrived at the replica for {Seconds(now - since)} s (threshold {Seconds(staleAfter)} s)"
                : $"stale: no canary has arrived at the replica for {Seconds(now - since)} s; last failure: {_lastError}");
        }

        return _lastArrivalAt is null
            ? (false, "starting: waiting for the first canary to arrive at the replica")
            : (false, "caught up: the last canary arrived " + Seconds(now - _lastArrivalAt.Value) + " s ago");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>The canary's view of a native replica (<c>idrep status</c>, health, the drift report's header).</summary>
/// <param name="Samples">Canary values measured since the worker started.</param>
/// <param name="P50Ms">Median lag over the last samples (up to 1,024), null before the first.</param>
/// <param name="P99Ms">99th percentile lag over the same samples.</param>
/// <param name="LastMs">The lag of the last canary that arrived.</param>
/// <param name="MaxMs">The largest lag measured.</param>
/// <param name="LastArrivalAt">When the secondary last showed a new canary.</param>
/// <param name="LastWriteAt">When the primary last accepted a canary.</param>
/// <param name="Stale">A canary written more than the threshold ago has not arrived (or none arrived for that long).</param>
/// <param name="Reason">What the state means, for people.</param>
/// <param name="LastError">The last failure of a canary write or read, cleared by the next write.</param>
public sealed record NativeLagStatus(
    long Samples, double? P50Ms, double? P99Ms, double? LastMs, double? MaxMs, DateTimeOffset? LastArrivalAt, DateTimeOffset? LastWriteAt, bool Stale, string Reason, string? LastError)
{
    /// <summary>Ready for health checks: a canary has arrived and the replica is not stale.</summary>
    public bool Ready => !Stale && LastArrivalAt is not null;
}
