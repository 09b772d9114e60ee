using System.Globalization;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Replicator.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// Fills a native-mode drift report's header: the canary's figures — the worker's own monitor when the report runs in
/// the worker, else a short canary run (<see cref="NativeCanaryProbe"/>) — and the replica's Regional settings
/// (<see cref="NativeSettingsSync.PlanAsync"/>). What cannot be read is named in the section; the report goes on.
/// </summary>
internal sealed class NativeDriftInspector(NativeSettingsSync settings, Func<CancellationToken, Task<NativeCanaryFigures>> canary) : INativeReplicaInspector
{
    /// <summary>Longest a one-off report waits for one canary value at the replica.</summary>
    public static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(30);

    public async Task<NativeReplicaSection> InspectAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        NativeCanaryFigures? figures = null;
        try
        {
            figures = await canary(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"the canary could not run ({Reasons.Of(e)})");
        }

        var findings = System.Collections.Immutable.ImmutableArray<Core.PoolConfiguration.ConfigFinding>.Empty;
        try
        {
            findings = (await settings.PlanAsync(cancellationToken)).Findings;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Add($"the Regional settings could not be read ({Reasons.Of(e)}); grant the reads in docs/permissions.md in both Regions");
        }

        return new NativeReplicaSection(figures, findings, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    public static NativeCanaryFigures Figures(NativeLagStatus status, bool timedOut) => new(
        status.Samples,
        status.LastMs,
        status.P50Ms,
        status.P99Ms,
        status.Stale || timedOut,
        timedOut
            ? string.Create(CultureInfo.InvariantCulture, $"stale: a canary written in the primary had not arrived at the replica after {ProbeWait.TotalSeconds:0} s")
            : status.Reason);

    /// <summary>The registration for a command or worker reading <paramref name="configuration"/>; null outside native mode.</summary>
    public static Action<IServiceCollection>? RegistrationFor(IConfiguration configuration) =>
        configuration.GetSection(ReplicationOptions.Section).Get<ReplicationOptions>()?.IsNative == true
            ? services => Register(services, configuration)
            : null;

    private static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddNativeSettings(configuration);
        services.TryAddSingleton<INativeReplicaInspector>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var replication = sp.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            var live = sp.GetService<NativeLagMonitor>();
            Func<CancellationToken, Task<NativeCanaryFigures>> canary = live is not null
                ? _ => Task.FromResult(Figures(live.Status(), false))
                : async cancellationToken =>
                {
                    var client = sp.GetRequiredKeyedService<CognitoIdentityProviderClient>(PoolRoles.Primary);
                    var probe = new NativeCanary(
                        sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Primary),
                        sp.GetRequiredKeyedService<IUserDirectory>(PoolRoles.Standby),
                        (attributes, ct) => client.AddCustomAttributesRawAsync(replication.Primary.UserPoolId, attributes, ct),
                        replication.Native,
                        new NativeLagMonitor(time, replication.Native.StaleAfter, replication.Native.CanaryInterval),
                        time,
                        sp.GetRequiredService<ILogger<NativeCanary>>());
                    var (status, timedOut) = await NativeCanaryProbe.MeasureAsync(probe, replication.Native.CanaryPollInterval, ProbeWait, time, cancellationToken);
                    return Figures(status, timedOut);
                };
            return new NativeDriftInspector(sp.GetRequiredService<NativeSettingsSync>(), canary);
        });
    }
}
