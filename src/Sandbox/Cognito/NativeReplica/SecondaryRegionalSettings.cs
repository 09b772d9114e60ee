using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito.NativeReplica;

/// <summary>
/// The Regional settings of a simulated secondary, which native replication does not copy: Lambda triggers, email and
/// SMS configuration (set with UpdateUserPool at the secondary's endpoint: its other members come from the primary and
/// are ignored) and log delivery (Get/SetLogDeliveryConfiguration). DescribeUserPool at the secondary answers the
/// primary's pool with these members and the ARN in the secondary's Region. A new secondary has none (no triggers,
/// Cognito's default email, no SMS, no log delivery): docs/design/native-replication.md says why.
/// </summary>
internal static class SecondaryRegionalSettings
{
    public static bool Handles(string operation) => operation is "UpdateUserPool" or "GetLogDeliveryConfiguration" or "SetLogDeliveryConfiguration";

    /// <summary>The secondary's own Regional members before anything was set.</summary>
    public static JsonObject Initial() => new()
    {
        ["LambdaConfig"] = new JsonObject(),
        ["EmailConfiguration"] = new JsonObject { ["EmailSendingAccount"] = "COGNITO_DEFAULT" },
        ["LogConfigurations"] = new JsonArray(),
    };

    public static FrontReply Serve(string pool, NativeReplicaRegistry registry, FrontCall call)
    {
        var body = call.Body as JsonObject ?? new JsonObject();
        switch (call.Operation)
        {
            case "UpdateUserPool":
                registry.UpdateRegional(pool, settings =>
                {
                    foreach (var member in ReplicaRegionalSettings.PoolMembers)
                    {
                        settings[member] = body[member]?.DeepClone() ?? Initial()[member]?.DeepClone();
                    }
                });
                return Ok(new JsonObject());
            case "SetLogDeliveryConfiguration":
                if (body["LogConfigurations"] is not JsonArray configurations)
                {
                    return FrontReply.Error(400, "InvalidParameterException", "1 validation error detected: Value null at 'logConfigurations' failed to satisfy constraint: Member must not be null");
                }

                registry.UpdateRegional(pool, settings => settings["LogConfigurations"] = configurations.DeepClone());
                return Ok(new JsonObject { ["LogDeliveryConfiguration"] = new JsonObject { ["UserPoolId"] = pool, ["LogConfigurations"] = configurations.DeepClone() } });
            default:
                return Ok(new JsonObject
                {
                    ["LogDeliveryConfiguration"] = new JsonObject { ["UserPoolId"] = pool, ["LogConfigurations"] = registry.Regional(pool)["LogConfigurations"]?.DeepClone() ?? new JsonArray() },
                });
        }
    }

    /// <summary>DescribeUserPool's reply from the primary, as the secondary answers it.</summary>
    public static FrontReply Describe(string pool, string region, NativeReplicaRegistry registry, FrontReply primaryReply)
    {
        if (!primaryReply.IsSuccess || JsonNode.Parse(primaryReply.Body)?["UserPool"] is not JsonObject described)
        {
            return primaryReply;
        }

        var own = registry.Regional(pool);
        foreach (var member in ReplicaRegionalSettings.PoolMembers)
        {
            described.Remove(member);
            if (own[member] is { } value)
            {
                described[member] = value.DeepClone();
            }
        }

        if (described["Arn"] is JsonValue arn && arn.TryGetValue<string>(out var text) && text.Split(':') is { Length: > 4 } parts)
        {
            parts[3] = region;
            described["Arn"] = string.Join(':', parts);
        }

        return Ok(new JsonObject { ["UserPool"] = described.DeepClone() });
    }

    private static FrontReply Ok(JsonObject body) => new(200, Encoding.UTF8.GetBytes(body.ToJsonString()));
}
