using System.Globalization;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>The journeys of a verify step as its journal data holds them (one JSON array under <see cref="DataKey"/>).</summary>
internal static class JourneyRecords
{
    public const string DataKey = "journeys";

    public static string Encode(IEnumerable<JourneyResult> journeys) =>
        new JsonArray([.. journeys.Select(j => (JsonNode)ToJson(j))]).ToJsonString();

    /// <summary>The journeys in the data, or none when there are none or the data is not a list of them.</summary>
    public static IReadOnlyList<JourneyResult> Decode(string? data)
    {
        if (string.IsNullOrEmpty(data))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(data) is JsonArray array
                ? [.. array.OfType<JsonObject>().Select(j => new JourneyResult(
                    (string?)j["name"] ?? string.Empty,
                    (bool?)j["passed"] ?? false,
                    (double?)j["seconds"] ?? 0,
                    (string?)j["detail"] ?? string.Empty))]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public static JsonObject ToJson(JourneyResult journey) => new()
    {
        ["name"] = journey.Name,
        ["passed"] = journey.Passed,
        ["seconds"] = Math.Round(journey.Seconds, 3),
        ["detail"] = journey.Detail,
    };

    public static string Seconds(JourneyResult journey) => journey.Seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
