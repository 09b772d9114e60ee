using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Reconciler.Drift.Formats;

namespace IdentityReplicator.Reconciler.Drift;

/// <summary>
/// Publishes a summary of each scheduled drift report as an EventBridge event (source <c>identity-replicator</c>,
/// detail type <c>DriftReportCompleted</c>): counts only, never users — alarms and dashboards act on it.
/// </summary>
public sealed class DriftEvents(EventBridgeClient client, string busName)
{
    public const string Source = "identity-replicator";
    public const string DetailType = "DriftReportCompleted";

    public static JsonObject Detail(DriftReport report) => new()
    {
        ["schema"] = "identity-replicator/drift-summary@1",
        ["generatedAt"] = report.GeneratedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["primary"] = JsonSerializer.SerializeToNode(report.Source, DriftFormats.Json),
        ["standby"] = JsonSerializer.SerializeToNode(report.Target, DriftFormats.Json),
        ["summary"] = JsonSerializer.SerializeToNode(report.Summary, DriftFormats.Json),
        ["repair"] = report.Repair is null ? null : JsonSerializer.SerializeToNode(report.Repair, DriftFormats.Json),
    };

    public async Task PublishAsync(DriftReport report, CancellationToken cancellationToken)
    {
        var response = await client.PutEventsAsync(
            new PutEventsRequest([new PutEventsRequestEntry
            {
                Source = Source,
                DetailType = DetailType,
                Detail = Detail(report).ToJsonString(),
                EventBusName = busName,
                Resources = [],
                Time = report.GeneratedAt,
            }]),
            cancellationToken);
        if (response.FailedEntryCount > 0)
        {
            var entry = response.Entries?.FirstOrDefault(e => e.ErrorCode is not null);
            throw new EventBridgeException($"EventBridge refused the {DetailType} event: {entry?.ErrorCode}: {entry?.ErrorMessage}");
        }
    }
}
