using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// The worker's Regional-settings pass in native mode: every <see cref="NativeReplicationOptions.SettingsInterval"/>
/// (none when it is zero) it brings the replica's triggers, email, SMS and log delivery in step with the primary's
/// (or, with <see cref="NativeReplicationOptions.ApplySettings"/> off, only reports what differs). A failed pass is
/// logged and retried at the next; only cancellation ends it.
/// </summary>
internal sealed class NativeSettingsService(NativeSettingsSync sync, NativeReplicationOptions options, TimeProvider time, ILogger<NativeSettingsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SettingsInterval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (options.ApplySettings)
                {
                    await sync.ApplyAsync(stoppingToken);
                }
                else
                {
                    foreach (var difference in (await sync.PlanAsync(stoppingToken)).Differences)
                    {
                        Log.RegionalSettingDiffers(logger, difference.Path);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.RegionalSettingsFailed(logger, Reasons.Of(e));
                Log.RegionalSettingsFailedDetail(logger, e);
            }

            try
            {
                await Task.Delay(options.SettingsInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
