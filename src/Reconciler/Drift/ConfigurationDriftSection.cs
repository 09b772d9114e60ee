using System.Collections.Immutable;
using System.Text.Json.Serialization;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// The <c>configuration</c> section of a drift report: every finding of the configuration comparison (drift and
/// reports), what repair did, and why the section is empty when the configuration could not be read. Never a secret.
/// </summary>
public sealed record ConfigurationDriftSection(ImmutableArray<ConfigFinding> Findings, ImmutableArray<ConfigRefusal> Refused, ConfigurationRepair? Repair, string? Error)
{
    /// <summary>Findings repair fixes (they count towards <c>--fail-on</c> and the exit code).</summary>
    [JsonIgnore]
    public int Differences => Findings.Count(f => f.IsDrift);

    /// <summary>Findings that are reports (never fixed, never counted).</summary>
    [JsonIgnore]
    public int Reports => Findings.Length - Differences;

    /// <summary>Drift left: after repair when it repaired.</summary>
    [JsonIgnore]
    public int Remaining => Repair?.RemainingDifferences ?? Differences;
}

/// <summary>What <c>--repair</c> did to the configuration: writes made, writes refused, drift findings left.</summary>
public sealed record ConfigurationRepair(int Applied, int Refused, int RemainingDifferences);
