using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// The parts of a Cognito user pool trigger event that capture reads: <c>triggerSource</c>, <c>userPoolId</c>,
/// <c>userName</c>, <c>request.userAttributes</c> and (Pre Token Generation) <c>request.groupConfiguration.groupsToOverride</c>.
/// </summary>
public sealed record CognitoTriggerEvent(
    string TriggerSource,
    string UserPoolId,
    string UserName,
    IReadOnlyDictionary<string, string> UserAttributes,
    ImmutableArray<string>? Groups)
{
    /// <summary>Reads the event; <c>null</c> (with the reason) when it is not a usable Cognito trigger event.</summary>
    public static CognitoTriggerEvent? Parse(JsonNode? node, out string? problem)
    {
        problem = null;
        if (node is not JsonObject root)
        {
            problem = "the event is not a JSON object";
            return null;
        }

        var source = Text(root, "triggerSource");
        var pool = Text(root, "userPoolId");
        var user = Text(root, "userName");
        if (source is null || pool is null || user is null)
        {
            problem = $"the event lacks {string.Join(", ", new[] { ("triggerSource", source), ("userPoolId", pool), ("userName", user) }.Where(p => p.Item2 is null).Select(p => p.Item1))}";
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["request"] is JsonObject request && request["userAttributes"] is JsonObject userAttributes)
        {
            foreach (var (name, value) in userAttributes)
            {
                if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
                {
                    attributes[name] = text;
                }
            }
        }

        ImmutableArray<string>? groups = null;
        if (root["request"]?["groupConfiguration"]?["groupsToOverride"] is JsonArray groupArray)
        {
            groups = UserObservation.NormalizeGroups(groupArray.OfType<JsonValue>().Select(g => g.TryGetValue<string>(out var s) ? s : null).OfType<string>());
        }

        return new CognitoTriggerEvent(source, pool, user, attributes, groups);
    }

    private static string? Text(JsonObject root, string name) =>
        root[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrEmpty(text) ? text : null;
}
