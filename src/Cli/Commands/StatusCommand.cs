using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep status [--url URL] [-o text|json]</c>: what a running worker measures, read from its <c>/status</c> endpoint
/// (<c>Worker:HealthUrl</c>) — in native mode the native replica's lag (p50, p99, last, stale or not). Exit 0 when the
/// worker reports itself ready, 1 when not (a stale native replica) or when it does not answer.
/// </summary>
internal static class StatusCommand
{
    public static Command Build()
    {
        var url = TypedOptions.HttpUrl("--url", "The worker's status endpoint (its Worker:HealthUrl and /status).", new Uri("http://127.0.0.1:8080/status"));
        var output = new MachineOutput();
        var command = new Command("status", "Show what a running worker measures: in native mode, the native replica's lag (exit 0 ready, 1 not).") { url, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            JsonObject? status;
            try
            {
                using var response = await http.GetAsync(parse.GetValue(url), cancellationToken);
                status = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                await Console.Error.WriteLineAsync($"No status from {parse.GetValue(url)}: {e.Message}");
                return IdrepCommand.CheckFailed;
            }

            await Console.Out.WriteLineAsync(parse.GetValue(output) ? status?.ToJsonString() : Text(status));
            return (string?)status?["status"] == "ready" ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
        });
        return command;
    }

    /// <summary>The status for people: one line of state, and the lag figures in native mode.</summary>
    internal static string Text(JsonObject? status)
    {
        var lines = new List<string> { $"mode: {status?["mode"]}  status: {status?["status"]}  ({status?["reason"]})" };
        if (status?["nativeReplicationLag"] is JsonObject lag)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"native replication lag: p50 {Ms(lag["p50Ms"])}  p99 {Ms(lag["p99Ms"])}  last {Ms(lag["lastMs"])}  max {Ms(lag["maxMs"])}  ({lag["samples"]} samples; last arrival {lag["lastArrival"]?.ToString() ?? "none"})"));
            if (lag["lastError"] is { } error)
            {
                lines.Add($"last canary failure: {error}");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Ms(JsonNode? value) =>
        value is null ? "-" : value.GetValue<double>().ToString("0", CultureInfo.InvariantCulture) + " ms";
}
