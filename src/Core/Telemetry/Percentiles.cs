namespace IdentityReplicator.Core.Telemetry;

/// <summary>Percentiles of measured latencies, one definition for every figure idrep reports.</summary>
public static class Percentiles
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of <paramref name="sorted"/> (ascending, not empty).</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
