using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.EventBridge;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// The emulator writes no CloudTrail. This interceptor records every write call that goes through the front as a
/// CloudTrail record — in the shape Cognito's records have, with Cognito's redaction (usernames, attributes,
/// passwords, codes and tokens read <c>HIDDEN_DUE_TO_SECURITY_REASONS</c>; the user is named by
/// <c>additionalEventData.sub</c>; failed calls carry <c>errorCode</c>) — and publishes it on the sandbox's event bus
/// as "AWS API Call via CloudTrail" from <c>aws.cognito-idp</c>, as EventBridge does for management write events.
/// Configuration calls (app clients, secrets, resource servers, identity providers, domains, branding, terms, MFA, pool
/// settings) also carry <c>responseElements</c>, the reply in CloudTrail's camelCase; client secrets, secret values,
/// identity provider secrets and uploaded files read <c>HIDDEN_DUE_TO_SECURITY_REASONS</c> wherever they appear.
/// </summary>
internal sealed class CloudTrailRecorder(LocalEventBus bus, CognitoIdentityProviderClient emulator, string region, TimeProvider time) : ICognitoInterceptor
{
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";
    private const string Account = "000000000000";
    private const string SubKey = "cloudtrail.sub";

    private static readonly HashSet<string> Redacted = new(StringComparer.Ordinal)
    {
        "username", "password", "temporaryPassword", "proposedPassword", "previousPassword", "userAttributes",
        "validationData", "accessToken", "refreshToken", "confirmationCode", "code", "session", "secretHash",
        "userAttributeNames", "authParameters", "challengeResponses", "clientMetadata",
    };

    /// <summary>Secrets and uploaded files: hidden at any depth (the names above only at the top).</summary>
    private static readonly HashSet<string> Secrets = new(StringComparer.Ordinal) { "clientSecret", "clientSecretValue", "imageFile", "bytes" };

    /// <summary>Members whose value is a map: its keys are recorded as sent, not in camelCase.</summary>
    private static readonly HashSet<string> Maps = new(StringComparer.Ordinal)
    {
        "providerDetails", "attributeMapping", "acrMapping", "userPoolTags", "tags", "links", "acrConfiguration",
    };

    /// <summary>Map keys that hold an identity provider's secrets.</summary>
    private static readonly HashSet<string> SecretKeys = new(StringComparer.Ordinal) { "client_secret", "private_key" };

    /// <summary>Configuration calls: recorded with their reply as responseElements.</summary>
    private static readonly HashSet<string> WithResponse = new(StringComparer.Ordinal)
    {
        "CreateUserPoolClient", "UpdateUserPoolClient", "AddUserPoolClientSecret", "CreateResourceServer", "UpdateResourceServer",
        "CreateIdentityProvider", "UpdateIdentityProvider", "CreateUserPoolDomain", "UpdateUserPoolDomain", "SetUICustomization",
        "CreateManagedLoginBranding", "UpdateManagedLoginBranding", "CreateTerms", "UpdateTerms", "SetUserPoolMfaConfig", "CreateUserPool",
        "SetLogDeliveryConfiguration", "SetRiskConfiguration",
    };

    private static readonly string[] ReadPrefixes = ["Get", "List", "Describe", "AdminGet", "AdminList"];

    private static readonly HashSet<string> NotRecorded = new(StringComparer.Ordinal)
    {
        // Sign-in traffic: logged by CloudTrail as service events, not API calls that EventBridge delivers here.
        "InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge", "RevokeToken",
    };

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (!Records(call.Operation) || call.Body is not JsonObject body)
        {
            return null;
        }

        // The sub of the user the call is about, read before the call (a deleted user has none afterwards). A user
        // being created has none yet: its sub comes from the reply.
        var sub = body["AccessToken"]?.GetValue<string>() is { } token ? SubOf(token) : null;
        if (sub is null && call.Operation != "AdminCreateUser" && call.UserPoolId is { } pool && body["Username"]?.GetValue<string>() is { } username)
        {
            try
            {
                var user = await emulator.AdminGetUserAsync(new AdminGetUserRequest(pool, username), cancellationToken);
                sub = user.UserAttributes?.FirstOrDefault(a => a.Name == "sub")?.Value;
            }
            catch (UserNotFoundException)
            {
                // Not there (yet): AdminCreateUser, or a call that will fail.
            }
        }

        if (sub is not null)
        {
            call.Items[SubKey] = sub;
        }

        return null;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken)
    {
        if (!Records(call.Operation))
        {
            return ValueTask.CompletedTask;
        }

        var sub = call.Items.TryGetValue(SubKey, out var known) ? (string)known : null;
        JsonNode? response = null;
        string? errorCode = null;
        string? errorMessage = null;
        try
        {
            response = reply.Body.Length > 0 ? JsonNode.Parse(reply.Body) : null;
        }
        catch (JsonException)
        {
            // An unreadable reply: recorded without response elements.
        }

        if (reply.IsSuccess)
        {
            sub ??= response?["User"]?["Attributes"] is JsonArray attributes
                ? attributes.OfType<JsonObject>().FirstOrDefault(a => a["Name"]?.GetValue<string>() == "sub")?["Value"]?.GetValue<string>()
                : response?["UserSub"]?.GetValue<string>();
        }
        else
        {
            errorCode = Core.Aws.AwsErrorReader.NormalizeCode(response?["__type"]?.GetValue<string>()) ?? "InternalErrorException";
            errorMessage = response?["message"]?.GetValue<string>();
        }

        var now = time.GetUtcNow();
        var record = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = new JsonObject
            {
                ["type"] = "AssumedRole",
                ["principalId"] = "AROAEXAMPLE:sandbox",
                ["arn"] = $"arn:aws:sts::{Account}:assumed-role/sandbox/sandbox",
                ["accountId"] = Account,
            },
            ["eventTime"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["eventSource"] = "cognito-idp.amazonaws.com",
            ["eventName"] = call.Operation,
            ["awsRegion"] = region,
            ["sourceIPAddress"] = "127.0.0.1",
            ["userAgent"] = "idrep-sandbox",
            ["requestParameters"] = call.Body is JsonObject body ? Redact(body) : null,
            ["responseElements"] = reply.IsSuccess && WithResponse.Contains(call.Operation) && response is JsonObject elements && elements.Count > 0 ? Redact(elements) : null,
            ["requestID"] = Guid.NewGuid().ToString(),
            ["eventID"] = Guid.NewGuid().ToString(),
            ["readOnly"] = false,
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = true,
            ["recipientAccountId"] = Account,
            ["eventCategory"] = "Management",
        };
        if (sub is not null)
        {
            record["additionalEventData"] = new JsonObject { ["sub"] = sub };
        }

        if (errorCode is not null)
        {
            record["errorCode"] = errorCode;
            record["errorMessage"] = errorMessage;
        }

        bus.Publish("aws.cognito-idp", "AWS API Call via CloudTrail", record);
        return ValueTask.CompletedTask;
    }

    private static bool Records(string operation) =>
        operation.Length > 0 && !NotRecorded.Contains(operation) && !ReadPrefixes.Any(p => operation.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// CloudTrail's requestParameters (and responseElements): members in camelCase at every level, map keys as sent,
    /// personal data and secrets hidden.
    /// </summary>
    private static JsonObject Redact(JsonObject body) => Redact(body, top: true, mapKeys: false);

    private static JsonObject Redact(JsonObject body, bool top, bool mapKeys)
    {
        var result = new JsonObject();
        foreach (var (name, value) in body)
        {
            var key = mapKeys ? name : char.ToLowerInvariant(name[0]) + name[1..];
            var hidden = mapKeys ? SecretKeys.Contains(name) : Secrets.Contains(key) || (top && Redacted.Contains(key));
            result[key] = hidden ? Hidden
                : key == "settings" && !mapKeys ? value?.DeepClone()
                : Redact(value, !mapKeys && Maps.Contains(key));
        }

        return result;
    }

    private static JsonNode? Redact(JsonNode? node, bool mapKeys) => node switch
    {
        JsonObject nested => Redact(nested, top: false, mapKeys),
        JsonArray items => new JsonArray([.. items.Select(i => Redact(i, mapKeys: false))]),
        _ => node?.DeepClone(),
    };

    /// <summary>The <c>sub</c> claim of a token (its payload is not verified: only the emulator issued it).</summary>
    private static string? SubOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)))?["sub"]?.GetValue<string>();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
