using System.Net;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Get/SetLogDeliveryConfiguration and Describe/SetRiskConfiguration (cognito-local has none), shaped as the API model
/// says and kept with the pool's other settings. Log delivery: at most one configuration per event source —
/// <c>userNotification</c> at <c>ERROR</c>, <c>userAuthEvents</c> at <c>INFO</c> — each with exactly one destination.
/// Risk configuration: the pool's (no client) or one client's; a client without its own is answered with the pool's
/// (<c>ClientId</c> <c>ALL</c>); setting a client's with none of the three configurations clears its own.
/// </summary>
internal sealed class LogDeliveryAndRisk(ConfigurationContext context, AppClients clients)
{
    private const string AllClients = "ALL";
    private static readonly string[] Destinations = ["CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration"];
    private static readonly string[] RiskMembers = ["CompromisedCredentialsRiskConfiguration", "AccountTakeoverRiskConfiguration", "RiskExceptionConfiguration"];

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("GetLogDeliveryConfiguration", GetLogDeliveryAsync),
        new("SetLogDeliveryConfiguration", SetLogDeliveryAsync),
        new("DescribeRiskConfiguration", DescribeRiskAsync),
        new("SetRiskConfiguration", SetRiskAsync),
    ];

    private async Task<JsonObject> GetLogDeliveryAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var userPoolId = await context.PoolAsync(ConfigurationContext.Body(call), cancellationToken);
        var stored = context.Store.Read(root => ConfigurationStore.Pool(root, userPoolId)["logDelivery"]?.DeepClone() as JsonArray);
        return new JsonObject { ["LogDeliveryConfiguration"] = new JsonObject { ["UserPoolId"] = userPoolId, ["LogConfigurations"] = stored ?? [] } };
    }

    private async Task<JsonObject> SetLogDeliveryAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        if (body["LogConfigurations"] is not JsonArray configurations)
        {
            throw CognitoFault.Invalid("1 validation error detected: Value null at 'logConfigurations' failed to satisfy constraint: Member must not be null");
        }

        if (configurations.Count > 2)
        {
            throw CognitoFault.Invalid("1 validation error detected: Value at 'logConfigurations' failed to satisfy constraint: Member must have length less than or equal to 2");
        }

        var sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in configurations)
        {
            var configuration = item as JsonObject ?? throw CognitoFault.Invalid("Each log configuration must be an object.");
            var level = Requests.OneOf(configuration, "LogLevel", "ERROR", "INFO") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'logConfigurations.member.logLevel' failed to satisfy constraint: Member must not be null");
            var source = Requests.OneOf(configuration, "EventSource", "userNotification", "userAuthEvents") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'logConfigurations.member.eventSource' failed to satisfy constraint: Member must not be null");
            if (!sources.Add(source))
            {
                throw CognitoFault.Invalid($"Only one log configuration per event source is allowed; {source} is given twice.");
            }

            if ((source, level) is not ("userNotification", "ERROR") and not ("userAuthEvents", "INFO"))
            {
                throw CognitoFault.Invalid($"Event source {source} does not deliver logs at level {level} (userNotification: ERROR, userAuthEvents: INFO).");
            }

            var given = Destinations.Where(d => configuration[d] is not null).ToList();
            if (given.Count != 1)
            {
                throw CognitoFault.Invalid("Each log configuration needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.");
            }

            var destination = configuration[given[0]] as JsonObject ?? throw CognitoFault.Invalid($"{given[0]} must be an object.");
            var arnMember = given[0] switch { "CloudWatchLogsConfiguration" => "LogGroupArn", "S3Configuration" => "BucketArn", _ => "StreamArn" };
            if (Requests.Optional(destination, arnMember, 2048) is { } arn && !arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw CognitoFault.Invalid($"1 validation error detected: Value '{arn}' at '{Requests.Camel(given[0])}.{Requests.Camel(arnMember)}' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?");
            }
        }

        var stored = (JsonArray)configurations.DeepClone();
        context.Store.Change(root => ConfigurationStore.Pool(root, userPoolId)["logDelivery"] = stored.DeepClone());
        return new JsonObject { ["LogDeliveryConfiguration"] = new JsonObject { ["UserPoolId"] = userPoolId, ["LogConfigurations"] = stored } };
    }

    private async Task<JsonObject> DescribeRiskAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = await ClientAsync(body, userPoolId, cancellationToken);
        var stored = context.Store.Read(root => Risks(root, userPoolId)[clientId]?.DeepClone() as JsonObject ?? Risks(root, userPoolId)[AllClients]?.DeepClone() as JsonObject);
        return new JsonObject { ["RiskConfiguration"] = stored ?? new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = AllClients } };
    }

    private async Task<JsonObject> SetRiskAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var clientId = await ClientAsync(body, userPoolId, cancellationToken);
        Validate(body);
        var configuration = new JsonObject { ["UserPoolId"] = userPoolId, ["ClientId"] = clientId };
        foreach (var member in RiskMembers.Where(m => body[m] is not null))
        {
            configuration[member] = body[member]!.DeepClone();
        }

        configuration["LastModifiedDate"] = context.Now();
        var cleared = clientId != AllClients && !RiskMembers.Any(m => body[m] is not null);
        context.Store.Change(root => cleared ? Risks(root, userPoolId).Remove(clientId) : (Risks(root, userPoolId)[clientId] = configuration.DeepClone()) is not null);
        return new JsonObject { ["RiskConfiguration"] = configuration };
    }

    private static void Validate(JsonObject body)
    {
        if (body["CompromisedCredentialsRiskConfiguration"] is JsonObject compromised)
        {
            var actions = compromised["Actions"] as JsonObject ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'compromisedCredentialsRiskConfiguration.actions' failed to satisfy constraint: Member must not be null");
            if (Requests.OneOf(actions, "EventAction", "BLOCK", "NO_ACTION") is null)
            {
                throw CognitoFault.Invalid("1 validation error detected: Value null at 'compromisedCredentialsRiskConfiguration.actions.eventAction' failed to satisfy constraint: Member must not be null");
            }

            Requests.Strings(compromised, "EventFilter", 3, "SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP");
        }

        if (body["AccountTakeoverRiskConfiguration"] is JsonObject takeover)
        {
            var actions = takeover["Actions"] as JsonObject ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'accountTakeoverRiskConfiguration.actions' failed to satisfy constraint: Member must not be null");
            foreach (var level in new[] { "LowAction", "MediumAction", "HighAction" })
            {
                if (actions[level] is JsonObject action)
                {
                    if (Requests.Flag(action, "Notify") is null || Requests.OneOf(action, "EventAction", "BLOCK", "MFA_IF_CONFIGURED", "MFA_REQUIRED", "NO_ACTION") is null)
                    {
                        throw CognitoFault.Invalid($"1 validation error detected: {level} needs Notify and EventAction.");
                    }
                }
            }

            if (takeover["NotifyConfiguration"] is JsonObject notify)
            {
                Requests.Required(notify, "SourceArn", 2048);
            }
        }

        if (body["RiskExceptionConfiguration"] is JsonObject exceptions)
        {
            foreach (var list in new[] { "BlockedIPRangeList", "SkippedIPRangeList" })
            {
                foreach (var range in Requests.Strings(exceptions, list, 200) ?? [])
                {
                    if (!IPNetwork.TryParse(range, out _))
                    {
                        throw CognitoFault.Invalid($"{range} in {list} is not an IP range in CIDR notation.");
                    }
                }
            }
        }
    }

    private async Task<string> ClientAsync(JsonObject body, string userPoolId, CancellationToken cancellationToken)
    {
        var clientId = Requests.Optional(body, "ClientId", 128, Requests.ClientId());
        if (clientId is null or AllClients)
        {
            return AllClients;
        }

        await clients.RecordAsync(userPoolId, clientId, cancellationToken);
        return clientId;
    }

    private static JsonObject Risks(JsonObject root, string userPoolId) => ConfigurationStore.Section(ConfigurationStore.Pool(root, userPoolId), "risk");
}
