using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// The parts of a Cognito user pool trigger event that capture reads: <c>triggerSource</c>, <c>userPoolId</c>,
/// <c>userName</c>, <c>request.userAttributes</c> and (Pre Token Generation) <c>request.groupConfiguration.groupsToOverride</c>.
/// </summary>
public sealed partial record CognitoTriggerEvent(
    string TriggerSource,
    string UserPoolId,
    string UserName,
    IReadOnlyDictionary<string, string> UserAttributes,
    ImmutableArray<string>? Groups)
{
    /// <summary>Cognito's longest username (the API's <c>UsernameType</c>).</summary>
    public const int MaxUserNameLength = 128;

    /// <summary>Cognito's longest user pool id (the API's <c>UserPoolIdType</c>).</summary>
    public const int MaxUserPoolIdLength = 55;

    /// <summary>
    /// Reads the event; <c>null</c> (with the reason) when it is not a usable Cognito trigger event. A part of the wrong
    /// type is treated as absent, so any well-formed document (no duplicate keys, valid Unicode, as the Lambda entry
    /// point checks) is read without an exception. The reason names fields, never their values (they may be personal data).
    /// </summary>
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

        if (source.Length > 64 || !Source().IsMatch(source))
        {
            problem = "the event's triggerSource is not a Cognito trigger source";
            return null;
        }

        if (pool.Length > MaxUserPoolIdLength || !PoolId().IsMatch(pool))
        {
            problem = "the event's userPoolId is not a user pool id";
            return null;
        }

        if (user.Length > MaxUserNameLength)
        {
            problem = $"the event's userName is longer than Cognito's {MaxUserNameLength} characters";
            return null;
        }

        var request = root["request"] as JsonObject;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request?["userAttributes"] is JsonObject userAttributes)
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
        if (request?["groupConfiguration"] is JsonObject groupConfiguration && groupConfiguration["groupsToOverride"] is JsonArray groupArray)
        {
            groups = UserObservation.NormalizeGroups(groupArray.OfType<JsonValue>().Select(g => g.TryGetValue<string>(out var s) ? s : null).OfType<string>());
        }

        return new CognitoTriggerEvent(source, pool, user, attributes, groups);
    }

    private static string? Text(JsonObject root, string name) =>
        root[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrEmpty(text) ? text : null;

    /// <summary>A trigger source as Cognito names them: the trigger, underscore, the operation (<c>PostConfirmation_ConfirmSignUp</c>).</summary>
    [GeneratedRegex("^[A-Za-z0-9]+_[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Source();

    /// <summary>The API's pattern of a user pool id: Region, underscore, letters and digits.</summary>
    [GeneratedRegex(@"^[\w-]+_[0-9a-zA-Z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PoolId();
}
