using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito.Configuration;

/// <summary>
/// UpdateUserPool and DescribeUserPool for every pool setting, and AddCustomAttributes. cognito-local keeps a subset
/// of the settings; the front keeps all of them, resets what UpdateUserPool is not given to Cognito's defaults (as
/// Cognito does), lays them over the emulator's answer to DescribeUserPool with the pool's domains, and forwards every
/// update to the emulator too, so the settings it acts on (auto-verified attributes, MFA) stay in step.
/// </summary>
internal sealed class PoolSettings(ConfigurationContext context, Domains domains)
{
    /// <summary>The members of UpdateUserPoolRequest (Cognito API model) other than the pool id and its name.</summary>
    public static readonly string[] Updatable =
    [
        "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes", "SmsVerificationMessage", "EmailVerificationMessage",
        "EmailVerificationSubject", "VerificationMessageTemplate", "SmsAuthenticationMessage", "UserAttributeUpdateSettings",
        "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration", "UserPoolTags", "AdminCreateUserConfig",
        "UserPoolAddOns", "DcrConfiguration", "AccountRecoverySetting", "UserPoolTier", "KeyConfiguration", "IssuerConfiguration", "AcrConfiguration",
    ];

    private const int MaxCustomAttributes = 50;

    public IEnumerable<KeyValuePair<string, Func<FrontCall, CancellationToken, Task<JsonObject>>>> Operations() =>
    [
        new("UpdateUserPool", UpdateAsync),
        new("DescribeUserPool", DescribeAsync),
        new("AddCustomAttributes", AddCustomAttributesAsync),
    ];

    /// <summary>The pool's settings as they are now: stored ones, or (before the first change) the emulator's with Cognito's defaults.</summary>
    public async Task<JsonObject> CurrentAsync(string userPoolId, CancellationToken cancellationToken)
    {
        if (context.Store.Read(root => ConfigurationStore.Pool(root, userPoolId)["settings"]?.DeepClone()) is JsonObject stored)
        {
            return stored;
        }

        var pool = await context.DescribePoolAsync(userPoolId, cancellationToken);
        var initial = Defaults();
        foreach (var member in Updatable.Where(m => pool[m] is not null))
        {
            initial[member] = pool[member]!.DeepClone();
        }

        return Normalize(initial);
    }

    /// <summary>Stores the pool's settings (the whole set: what is absent is absent).</summary>
    public void Save(string userPoolId, JsonObject settings) =>
        context.Store.Change(root => ConfigurationStore.Pool(root, userPoolId)["settings"] = settings.DeepClone());

    private async Task<JsonObject> UpdateAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        var current = await CurrentAsync(userPoolId, cancellationToken);
        Requests.OneOf(body, "DeletionProtection", "ACTIVE", "INACTIVE");
        Requests.OneOf(body, "MfaConfiguration", "OFF", "ON", "OPTIONAL");
        Requests.OneOf(body, "UserPoolTier", "LITE", "ESSENTIALS", "PLUS");
        Requests.Strings(body, "AutoVerifiedAttributes", 2, "email", "phone_number");
        if (body["Policies"]?["PasswordPolicy"] is JsonObject password)
        {
            Requests.Number(password, "MinimumLength", 6, 99);
            Requests.Number(password, "TemporaryPasswordValidityDays", 0, 365);
            Requests.Number(password, "PasswordHistorySize", 0, 24);
        }

        if (body["Policies"]?["PasswordPolicy"]?["TemporaryPasswordValidityDays"] is not null && body["AdminCreateUserConfig"]?["UnusedAccountValidityDays"] is not null)
        {
            throw CognitoFault.Invalid("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays");
        }

        var settings = Defaults();
        foreach (var member in Updatable)
        {
            if (body[member] is { } value)
            {
                settings[member] = value.DeepClone();
            }
        }

        settings = Normalize(settings);
        if (settings["AdminCreateUserConfig"] is JsonObject admin && admin["UnusedAccountValidityDays"] is { } unused)
        {
            // The deprecated member sets the temporary password's validity when that is not given.
            admin.Remove("UnusedAccountValidityDays");
            settings["Policies"]!["PasswordPolicy"]!["TemporaryPasswordValidityDays"] = unused;
        }

        if ((Requests.Optional(body, "PoolName", 128) ?? current["PoolName"]?.GetValue<string>()) is { } poolName)
        {
            settings["PoolName"] = poolName;
        }

        settings["LastModifiedDate"] = context.Now();

        var forward = (JsonObject)settings.DeepClone();
        forward.Remove("LastModifiedDate");
        forward["UserPoolId"] = userPoolId;
        var reply = await context.Emulator.SendAsync("UpdateUserPool", forward, cancellationToken);
        if (!reply.IsSuccess)
        {
            throw CognitoFault.NotFound($"User pool {userPoolId} does not exist.");
        }

        Save(userPoolId, settings);
        return [];
    }

    private async Task<JsonObject> DescribeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = Requests.Required(body, "UserPoolId", 55, Requests.UserPoolId());
        var pool = await context.DescribePoolAsync(userPoolId, cancellationToken);
        var settings = await CurrentAsync(userPoolId, cancellationToken);
        foreach (var member in Updatable)
        {
            pool[member] = settings[member]?.DeepClone();
            if (pool[member] is null)
            {
                pool.Remove(member);
            }
        }

        if (settings["PoolName"] is { } name)
        {
            pool["Name"] = name.DeepClone();
        }

        if (settings["LastModifiedDate"] is { } modified)
        {
            pool["LastModifiedDate"] = modified.DeepClone();
        }

        // The deprecated member reads as the temporary password's validity, as Cognito shows it.
        if (pool["AdminCreateUserConfig"] is JsonObject admin && pool["Policies"]?["PasswordPolicy"]?["TemporaryPasswordValidityDays"] is { } days)
        {
            admin["UnusedAccountValidityDays"] = days.DeepClone();
        }

        pool["Arn"] = context.PoolArn(userPoolId);
        var (prefix, custom) = domains.Of(userPoolId);
        SetOrRemove(pool, "Domain", prefix);
        SetOrRemove(pool, "CustomDomain", custom);
        foreach (var attribute in (pool["SchemaAttributes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // cognito-local gives every attribute added later string constraints, whatever its type.
            attribute.Remove(attribute["AttributeDataType"]?.GetValue<string>() == "String" ? "NumberAttributeConstraints" : "StringAttributeConstraints");
            if (attribute["AttributeDataType"]?.GetValue<string>() is "Boolean" or "DateTime")
            {
                attribute.Remove("NumberAttributeConstraints");
            }
        }

        return new JsonObject { ["UserPool"] = pool };
    }

    private async Task<JsonObject> AddCustomAttributesAsync(FrontCall call, CancellationToken cancellationToken)
    {
        var body = ConfigurationContext.Body(call);
        var userPoolId = await context.PoolAsync(body, cancellationToken);
        if (body["CustomAttributes"] is not JsonArray attributes || attributes.Count is 0 or > 25)
        {
            throw CognitoFault.Invalid("1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length between 1 and 25");
        }

        var pool = await context.DescribePoolAsync(userPoolId, cancellationToken);
        var existing = (pool["SchemaAttributes"] as JsonArray ?? []).Select(a => a?["Name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            var item = attribute as JsonObject ?? throw CognitoFault.Invalid("Each custom attribute must be an object.");
            var name = Requests.Required(item, "Name", 20);
            Requests.OneOf(item, "AttributeDataType", "String", "Number", "DateTime", "Boolean");
            if (existing.Contains("custom:" + name))
            {
                throw CognitoFault.Invalid($"custom:{name}: Existing attribute already has name custom:{name}.");
            }
        }

        if (existing.Count(n => n.StartsWith("custom:", StringComparison.Ordinal)) + attributes.Count > MaxCustomAttributes)
        {
            throw CognitoFault.Invalid($"A user pool can have at most {MaxCustomAttributes} custom attributes.");
        }

        var reply = await context.Emulator.SendAsync("AddCustomAttributes", body, cancellationToken);
        if (!reply.IsSuccess)
        {
            var error = JsonNode.Parse(reply.Body);
            throw new CognitoFault(Core.Aws.AwsErrorReader.NormalizeCode(error?["__type"]?.GetValue<string>()) ?? "InternalErrorException", error?["message"]?.GetValue<string>() ?? "cognito-local refused the attributes.");
        }

        return [];
    }

    /// <summary>What a pool holds for every setting UpdateUserPool is not given (Cognito's defaults).</summary>
    private static JsonObject Defaults() => new()
    {
        ["Policies"] = new JsonObject
        {
            ["PasswordPolicy"] = new JsonObject
            {
                ["MinimumLength"] = 8, ["RequireUppercase"] = true, ["RequireLowercase"] = true, ["RequireNumbers"] = true, ["RequireSymbols"] = true,
                ["TemporaryPasswordValidityDays"] = 7,
            },
            ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD") },
        },
        ["DeletionProtection"] = "INACTIVE",
        ["LambdaConfig"] = new JsonObject(),
        ["VerificationMessageTemplate"] = new JsonObject { ["DefaultEmailOption"] = "CONFIRM_WITH_CODE" },
        ["UserAttributeUpdateSettings"] = new JsonObject { ["AttributesRequireVerificationBeforeUpdate"] = new JsonArray() },
        ["MfaConfiguration"] = "OFF",
        ["EmailConfiguration"] = new JsonObject { ["EmailSendingAccount"] = "COGNITO_DEFAULT" },
        ["UserPoolTags"] = new JsonObject(),
        ["AdminCreateUserConfig"] = new JsonObject { ["AllowAdminCreateUserOnly"] = false },
        ["UserPoolTier"] = "ESSENTIALS",
    };

    /// <summary>
    /// Fills the policies the way Cognito reports them: in a password policy that is given, absent requirements are
    /// off; a sign-in policy that is not given allows passwords.
    /// </summary>
    private static JsonObject Normalize(JsonObject settings)
    {
        var policies = settings["Policies"] as JsonObject ?? [];
        settings["Policies"] = policies;
        var password = policies["PasswordPolicy"] as JsonObject ?? [];
        policies["PasswordPolicy"] = password;
        password["MinimumLength"] ??= 8;
        foreach (var requirement in new[] { "RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols" })
        {
            password[requirement] ??= false;
        }

        password["TemporaryPasswordValidityDays"] ??= 7;
        policies["SignInPolicy"] ??= new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD") };
        return settings;
    }

    private static void SetOrRemove(JsonObject target, string member, string? value)
    {
        if (value is null)
        {
            target.Remove(member);
        }
        else
        {
            target[member] = value;
        }
    }
}
