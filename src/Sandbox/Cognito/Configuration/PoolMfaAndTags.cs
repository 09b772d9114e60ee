using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// Set/GetUserPoolMfaConfig with every factor (cognito-local knows SMS and TOTP only), and TagResource, UntagResource
/// and ListTagsForResource on a pool's ARN (cognito-local has none). MFA mode and SMS settings are the same ones
/// UpdateUserPool sets; tags are the pool's <c>UserPoolTags</c>.
/// </summary>
internal sealed partial class PoolMfaAndTags(ConfigurationContext context, PoolSettings settings)
{
    private const int MaxTags = 50;

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("SetUserPoolMfaConfig", SetMfaAsync),
        new("GetUserPoolMfaConfig", GetMfaAsync),
        new("TagResource", TagAsync),
        new("UntagResource", UntagAsync),
        new("ListTagsForResource", ListTagsAsync),
    ];

    private async Task<JsonObject> SetMfaAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var current = await settings.CurrentAsync(userPoolId, cancellationToken);
        var mode = Requests.OneOf(body, "MfaConfiguration", "OFF", "ON", "OPTIONAL");
        var factors = context.Store.Read(root => ConfigurationStore.Pool(root, userPoolId)["mfa"]?.DeepClone() as JsonObject) ?? [];
        if (body["SoftwareTokenMfaConfiguration"] is JsonObject totp)
        {
            factors["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = Requests.Flag(totp, "Enabled") ?? false };
        }

        if (body["SmsMfaConfiguration"] is JsonObject sms)
        {
            if (Requests.Optional(sms, "SmsAuthenticationMessage", 140) is { } message)
            {
                current["SmsAuthenticationMessage"] = message.Contains("{####}", StringComparison.Ordinal) ? message : throw CognitoFault.Invalid("SmsAuthenticationMessage must contain {####}.");
            }

            if (sms["SmsConfiguration"] is JsonObject smsConfiguration)
            {
                Requests.Required(smsConfiguration, "SnsCallerArn", 2048);
                current["SmsConfiguration"] = smsConfiguration.DeepClone();
            }
        }

        if (body["EmailMfaConfiguration"] is JsonObject email)
        {
            if (current["UserPoolTier"]?.GetValue<string>() == "LITE")
            {
                throw new CognitoFault("FeatureUnavailableInTierException", "Email MFA needs the Essentials tier or higher.");
            }

            if (current["EmailConfiguration"]?["EmailSendingAccount"]?.GetValue<string>() != "DEVELOPER")
            {
                throw CognitoFault.Invalid("Email MFA needs the user pool to send email with Amazon SES (EmailSendingAccount DEVELOPER).");
            }

            factors["EmailMfaConfiguration"] = email.DeepClone();
        }

        if (body["WebAuthnConfiguration"] is JsonObject webAuthn)
        {
            Requests.OneOf(webAuthn, "UserVerification", "required", "preferred");
            factors["WebAuthnConfiguration"] = webAuthn.DeepClone();
        }

        var effective = mode ?? current["MfaConfiguration"]?.GetValue<string>() ?? "OFF";
        if (effective != "OFF" && factors["SoftwareTokenMfaConfiguration"]?["Enabled"]?.GetValue<bool>() != true && current["SmsConfiguration"] is null && factors["EmailMfaConfiguration"] is null)
        {
            throw CognitoFault.Invalid("Invalid MFA configuration given: MFA cannot be ON or OPTIONAL with no MFA factor (SMS, TOTP or email) configured.");
        }

        current["MfaConfiguration"] = effective;
        current["LastModifiedDate"] = context.Now();
        var forward = new JsonObject { ["UserPoolId"] = userPoolId, ["MfaConfiguration"] = effective };
        if (factors["SoftwareTokenMfaConfiguration"] is { } software)
        {
            forward["SoftwareTokenMfaConfiguration"] = software.DeepClone();
        }

        await context.Emulator.SendAsync("SetUserPoolMfaConfig", forward, cancellationToken);
        settings.Save(userPoolId, current);
        context.Store.Change(root => ConfigurationStore.Pool(root, userPoolId)["mfa"] = factors.DeepClone());
        return View(current, factors);
    }

    private async Task<JsonObject> GetMfaAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var current = await settings.CurrentAsync(userPoolId, cancellationToken);
        var factors = context.Store.Read(root => ConfigurationStore.Pool(root, userPoolId)["mfa"]?.DeepClone() as JsonObject) ?? [];
        return View(current, factors);
    }

    private async Task<JsonObject> TagAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await PoolOfArnAsync(body, cancellationToken);
        var tags = Requests.StringMap(body, "Tags") ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        var current = await settings.CurrentAsync(userPoolId, cancellationToken);
        var all = current["UserPoolTags"] as JsonObject ?? [];
        foreach (var (key, value) in tags)
        {
            all[key] = value!.DeepClone();
        }

        if (all.Count > MaxTags)
        {
            throw CognitoFault.Invalid($"A user pool can have at most {MaxTags} tags.");
        }

        current["UserPoolTags"] = all.DeepClone();
        settings.Save(userPoolId, current);
        return [];
    }

    private async Task<JsonObject> UntagAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await PoolOfArnAsync(body, cancellationToken);
        var keys = Requests.Strings(body, "TagKeys", MaxTags) ?? throw CognitoFault.Invalid("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        var current = await settings.CurrentAsync(userPoolId, cancellationToken);
        var all = current["UserPoolTags"] as JsonObject ?? [];
        foreach (var key in keys)
        {
            all.Remove(key);
        }

        current["UserPoolTags"] = all.DeepClone();
        settings.Save(userPoolId, current);
        return [];
    }

    private async Task<JsonObject> ListTagsAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await PoolOfArnAsync(body, cancellationToken);
        var current = await settings.CurrentAsync(userPoolId, cancellationToken);
        return new JsonObject { ["Tags"] = current["UserPoolTags"]?.DeepClone() ?? new JsonObject() };
    }

    /// <summary>The pool a user pool ARN names, in this front's Region (or the emulator's own <c>local</c> form).</summary>
    private async Task<string> PoolOfArnAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var arn = Requests.Required(body, "ResourceArn", 2048);
        var match = PoolArn().Match(arn);
        if (!match.Success)
        {
            throw CognitoFault.Invalid($"{arn} is not a user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>).");
        }

        var userPoolId = match.Groups["pool"].Value;
        if (match.Groups["region"].Value is var region && region != context.Region && region != "local")
        {
            throw CognitoFault.NotFound($"User pool {userPoolId} does not exist in {context.Region}.");
        }

        await context.EnsurePoolAsync(userPoolId, cancellationToken);
        return userPoolId;
    }

    private static JsonObject View(JsonObject current, JsonObject factors)
    {
        var view = new JsonObject();
        if (current["SmsConfiguration"] is not null || current["SmsAuthenticationMessage"] is not null)
        {
            var sms = new JsonObject();
            if (current["SmsAuthenticationMessage"] is { } message)
            {
                sms["SmsAuthenticationMessage"] = message.DeepClone();
            }

            if (current["SmsConfiguration"] is { } configuration)
            {
                sms["SmsConfiguration"] = configuration.DeepClone();
            }

            view["SmsMfaConfiguration"] = sms;
        }

        view["SoftwareTokenMfaConfiguration"] = factors["SoftwareTokenMfaConfiguration"]?.DeepClone() ?? new JsonObject { ["Enabled"] = false };
        if (factors["EmailMfaConfiguration"] is { } email)
        {
            view["EmailMfaConfiguration"] = email.DeepClone();
        }

        view["MfaConfiguration"] = current["MfaConfiguration"]?.DeepClone() ?? "OFF";
        if (factors["WebAuthnConfiguration"] is { } webAuthn)
        {
            view["WebAuthnConfiguration"] = webAuthn.DeepClone();
        }

        return view;
    }

    [GeneratedRegex(@"^arn:aws[\w-]*:cognito-idp:(?<region>[\w-]+):[\w]+:userpool/(?<pool>[\w-]+_[0-9a-zA-Z]+)$")]
    private static partial Regex PoolArn();
}
