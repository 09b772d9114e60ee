using System.Collections.Immutable;
using System.Text.Json.Serialization;
using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// The <c>native</c> section of a drift report in native mode (the target is the primary's Cognito native replica):
/// the canary's measure of the replica's lag, and the replica's Regional settings compared with the primary's mapped
/// to its Region (triggers, email, SMS, log delivery; the WAF web ACL reported). Never personal data.
/// </summary>
/// <param name="Canary">The lag figures; null when the canary could not run (<paramref name="Error"/> says why).</param>
/// <param name="RegionalSettings">The Regional-settings findings (<see cref="ConfigFinding.IsDrift"/> ones are differences).</param>
/// <param name="Error">What could not be read or measured, and what to do; null when everything was.</param>
public sealed record NativeReplicaSection(NativeCanaryFigures? Canary, ImmutableArray<ConfigFinding> RegionalSettings, string? Error)
{
    /// <summary>Regional settings that differ (the worker or <c>idrep replica-settings --apply</c> fixes them).</summary>
    [JsonIgnore]
    public int Differences => RegionalSettings.Count(f => f.IsDrift);
}

/// <summary>The canary's <c>NativeReplicationLag</c> figures as the report saw them (milliseconds; null before the first sample).</summary>
public sealed record NativeCanaryFigures(long Samples, double? LastMs, double? P50Ms, double? P99Ms, bool Stale, string Reason);

/// <summary>Fills a drift report's <see cref="NativeReplicaSection"/> (native mode only).</summary>
public interface INativeReplicaInspector
{
    Task<NativeReplicaSection> InspectAsync(CancellationToken cancellationToken);
}
