using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityReplicator.Sandbox.Failover;

/// <summary>
/// Amazon CloudWatch on 127.0.0.1, GetMetricStatistics only, over AWS JSON 1.0
/// (<c>GraniteServiceVersion20100801.GetMetricStatistics</c>, as the current SDKs send it), per Region: metric values the
/// sandbox sets (the Aurora replica lag), reported as one datapoint a moment old.
/// </summary>
public sealed class LocalCloudWatch : LocalAwsEndpoint
{
    private readonly ConcurrentDictionary<(string Region, string Metric, string Dimension), (double Value, string Unit)> _values = new();
    private readonly TimeProvider _time;

    private LocalCloudWatch(TimeProvider time)
    {
        _time = time;
    }

    public static async Task<LocalCloudWatch> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var cloudWatch = new LocalCloudWatch(time);
        await cloudWatch.ListenAsync(app => app.MapPost("/", cloudWatch.HandleAsync), cancellationToken);
        return cloudWatch;
    }

    /// <summary>Sets a metric's value for the resource named by its (first) dimension's value.</summary>
    public void Set(string region, string metric, string dimensionValue, double value, string unit) =>
        _values[(region, metric, dimensionValue)] = (value, unit);

    private async Task HandleAsync(HttpContext context)
    {
        var (captured, request) = await ReceiveJsonAsync(context, "application/x-amz-json-1.0");

        if (captured.Target != "GraniteServiceVersion20100801.GetMetricStatistics" || request is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.Headers["x-amzn-query-error"] = "InvalidAction;Sender";
            await context.Response.WriteAsync(new JsonObject { ["__type"] = "InvalidAction", ["message"] = $"The sandbox's CloudWatch implements GetMetricStatistics only, not {captured.Target}." }.ToJsonString(), context.RequestAborted);
            return;
        }

        var metric = request["MetricName"]?.GetValue<string>() ?? string.Empty;
        var dimension = (request["Dimensions"] as JsonArray)?.FirstOrDefault()?["Value"]?.GetValue<string>() ?? string.Empty;
        var datapoints = new JsonArray();
        if (_values.TryGetValue((captured.Region, metric, dimension), out var value))
        {
            datapoints.Add(new JsonObject
            {
                ["Timestamp"] = (_time.GetUtcNow() - TimeSpan.FromSeconds(30)).ToUnixTimeSeconds(),
                ["Maximum"] = value.Value,
                ["Unit"] = value.Unit,
            });
        }

        await context.Response.WriteAsync(new JsonObject { ["Label"] = metric, ["Datapoints"] = datapoints }.ToJsonString(), context.RequestAborted);
    }
}
