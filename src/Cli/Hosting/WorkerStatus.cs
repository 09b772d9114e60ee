using System.Globalization;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Replicator.Native;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>The worker's <c>/status</c> document (and, in native mode, its <c>/health/ready</c> body): the mode and what it measures.</summary>
internal static class WorkerStatus
{
    public static JsonObject Of(NativeLagStatus? native, ReconcilerHealth? reconciler, DateTimeOffset now, TimeSpan readyWindow)
    {
        if (native is not null)
        {
            return new JsonObject
            {
                ["mode"] = ReplicationModes.Native,
                ["status"] = native.Ready ? "ready" : "not ready",
                ["reason"] = native.Reason,
                ["nativeReplicationLag"] = Lag(native),
            };
        }

        var (ready, reason) = reconciler?.Check(now, readyWindow) ?? (false, "no reconciler");
        return new JsonObject
        {
            ["mode"] = ReplicationModes.Replicator,
            ["status"] = ready ? "ready" : "not ready",
            ["reason"] = reason,
            ["lastPoll"] = Time(reconciler?.LastPollAt),
        };
    }

    /// <summary>The canary's figures as JSON (<c>idrep status</c>, the drift report's header).</summary>
    public static JsonObject Lag(NativeLagStatus lag) => new()
    {
        ["samples"] = lag.Samples,
        ["p50Ms"] = lag.P50Ms,
        ["p99Ms"] = lag.P99Ms,
        ["lastMs"] = lag.LastMs,
        ["maxMs"] = lag.MaxMs,
        ["lastArrival"] = Time(lag.LastArrivalAt),
        ["lastWrite"] = Time(lag.LastWriteAt),
        ["stale"] = lag.Stale,
        ["lastError"] = lag.LastError,
    };

    private static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);
}
