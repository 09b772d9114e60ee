using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>Pool settings as Cognito keeps them: every UpdateUserPool member, its reset, MFA, tags, custom attributes.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PoolSettingsTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task UpdateUserPool_EverySetting_DescribeUserPoolReturnsEachAsGiven()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var settings = EverySetting();
        var request = (JsonObject)settings.DeepClone();
        request["UserPoolId"] = pool.UserPoolId;

        await Sandbox.CallAsync(pool, "UpdateUserPool", request);

        var described = await Sandbox.DescribePoolAsync(pool);
        AssertHolds(settings, described, "UserPool");
        Assert.Equal(3, described["AdminCreateUserConfig"]!["UnusedAccountValidityDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpdateUserPool_SettingsLeftOut_ResetsThemToCognitoDefaults()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var request = EverySetting();
        request["UserPoolId"] = pool.UserPoolId;
        await Sandbox.CallAsync(pool, "UpdateUserPool", request);

        await Sandbox.CallAsync(pool, "UpdateUserPool", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["EmailVerificationSubject"] = "Your code" });

        var described = await Sandbox.DescribePoolAsync(pool);
        var password = described["Policies"]!["PasswordPolicy"]!;
        Assert.Equal(8, password["MinimumLength"]!.GetValue<int>());
        Assert.True(password["RequireSymbols"]!.GetValue<bool>());
        Assert.Equal("INACTIVE", described["DeletionProtection"]!.GetValue<string>());
        Assert.Equal("OFF", described["MfaConfiguration"]!.GetValue<string>());
        Assert.Equal("ESSENTIALS", described["UserPoolTier"]!.GetValue<string>());
        Assert.Empty(described["LambdaConfig"]!.AsObject());
        Assert.Empty(described["UserPoolTags"]!.AsObject());
        Assert.False(described["AdminCreateUserConfig"]!["AllowAdminCreateUserOnly"]!.GetValue<bool>());
        Assert.Equal("COGNITO_DEFAULT", described["EmailConfiguration"]!["EmailSendingAccount"]!.GetValue<string>());
        Assert.Equal("Your code", described["EmailVerificationSubject"]!.GetValue<string>());
        foreach (var member in new[] { "AutoVerifiedAttributes", "DeviceConfiguration", "UserPoolAddOns", "AccountRecoverySetting", "SmsVerificationMessage" })
        {
            Assert.True(described[member] is null, $"{member} was not reset: {described[member]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task UpdateUserPool_TemporaryPasswordDaysAndUnusedAccountDays_IsInvalidLikeCognito()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var described = await Sandbox.DescribePoolAsync(pool);
        var readModifyWrite = new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId,
            ["Policies"] = described["Policies"]!.DeepClone(),
            ["AdminCreateUserConfig"] = described["AdminCreateUserConfig"]!.DeepClone(),
        };

        var refused = await Sandbox.FailAsync(pool, "UpdateUserPool", readModifyWrite);

        Assert.Equal(7, described["AdminCreateUserConfig"]!["UnusedAccountValidityDays"]!.GetValue<int>());
        Assert.Equal("InvalidParameterException", refused.Type);
    }

    [Fact]
    public async Task SetUserPoolMfaConfig_Totp_GetReturnsItAndDescribeUserPoolShowsTheMode()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var none = await Sandbox.FailAsync(pool, "SetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["MfaConfiguration"] = "ON" });

        var set = await Sandbox.CallAsync(pool, "SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId,
            ["MfaConfiguration"] = "OPTIONAL",
            ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
            ["WebAuthnConfiguration"] = new JsonObject { ["RelyingPartyId"] = "auth.example.com", ["UserVerification"] = "required" },
        });

        var got = await Sandbox.CallAsync(pool, "GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool.UserPoolId });
        Assert.Equal("InvalidParameterException", none.Type);
        Assert.True(JsonNode.DeepEquals(set, got), $"set {set.ToJsonString()}, got {got.ToJsonString()}");
        Assert.True(got["SoftwareTokenMfaConfiguration"]!["Enabled"]!.GetValue<bool>());
        Assert.Equal("auth.example.com", got["WebAuthnConfiguration"]!["RelyingPartyId"]!.GetValue<string>());
        Assert.Equal("OPTIONAL", (await Sandbox.DescribePoolAsync(pool))["MfaConfiguration"]!.GetValue<string>());
    }

    [Fact]
    public async Task TagResource_PoolArn_ListTagsAndDescribeUserPoolShowThem()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var arn = (await Sandbox.DescribePoolAsync(pool))["Arn"]!.GetValue<string>();

        await Sandbox.CallAsync(pool, "TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["team"] = "identity", ["env"] = "test" } });
        await Sandbox.CallAsync(pool, "UntagResource", new JsonObject { ["ResourceArn"] = arn, ["TagKeys"] = new JsonArray("env") });

        var listed = await Sandbox.CallAsync(pool, "ListTagsForResource", new JsonObject { ["ResourceArn"] = arn });
        Assert.Equal($"arn:aws:cognito-idp:{pool.Region}:000000000000:userpool/{pool.UserPoolId}", arn);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["team"] = "identity" }, listed["Tags"]));
        Assert.True(JsonNode.DeepEquals(listed["Tags"], (await Sandbox.DescribePoolAsync(pool))["UserPoolTags"]));
        var missing = await Sandbox.FailAsync(pool, "ListTagsForResource", new JsonObject { ["ResourceArn"] = $"arn:aws:cognito-idp:{pool.Region}:000000000000:userpool/{pool.Region}_Missing1" });
        Assert.Equal("ResourceNotFoundException", missing.Type);
    }

    [Fact]
    public async Task AddCustomAttributes_NumberAttribute_IsDescribedWithNumberConstraintsOnly()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var attribute = new JsonObject
        {
            ["Name"] = "score",
            ["AttributeDataType"] = "Number",
            ["NumberAttributeConstraints"] = new JsonObject { ["MinValue"] = "0", ["MaxValue"] = "100" },
        };

        await Sandbox.CallAsync(pool, "AddCustomAttributes", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["CustomAttributes"] = new JsonArray(attribute) });
        var again = await Sandbox.FailAsync(pool, "AddCustomAttributes", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["CustomAttributes"] = new JsonArray(attribute.DeepClone()) });

        var described = (await Sandbox.DescribePoolAsync(pool))["SchemaAttributes"]!.AsArray().Single(a => a!["Name"]!.GetValue<string>() == "custom:score")!;
        Assert.Equal("100", described["NumberAttributeConstraints"]!["MaxValue"]!.GetValue<string>());
        Assert.Null(described["StringAttributeConstraints"]);
        Assert.Equal("InvalidParameterException", again.Type);
    }

    /// <summary>Every member <paramref name="sent"/> has is in <paramref name="described"/> with the same value (objects member by member).</summary>
    private static void AssertHolds(JsonObject sent, JsonObject described, string path)
    {
        foreach (var (member, value) in sent)
        {
            if (value is JsonObject nested && described[member] is JsonObject got)
            {
                AssertHolds(nested, got, $"{path}.{member}");
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(value, described[member]), $"{path}.{member}: sent {value?.ToJsonString()}, described {described[member]?.ToJsonString()}");
            }
        }
    }

    /// <summary>A value for every UpdateUserPool member the sandbox can hold without AWS resources behind it.</summary>
    private static JsonObject EverySetting() => new()
    {
        ["Policies"] = new JsonObject
        {
            ["PasswordPolicy"] = new JsonObject
            {
                ["MinimumLength"] = 12, ["RequireUppercase"] = true, ["RequireLowercase"] = false, ["RequireNumbers"] = true, ["RequireSymbols"] = false,
                ["PasswordHistorySize"] = 5, ["TemporaryPasswordValidityDays"] = 3,
            },
            ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") },
        },
        ["DeletionProtection"] = "ACTIVE",
        ["LambdaConfig"] = new JsonObject { ["CustomMessage"] = "arn:aws:lambda:us-east-1:000000000000:function:messages" },
        ["AutoVerifiedAttributes"] = new JsonArray("email"),
        ["SmsVerificationMessage"] = "Code {####}",
        ["EmailVerificationMessage"] = "Your code is {####}",
        ["EmailVerificationSubject"] = "Verify",
        ["VerificationMessageTemplate"] = new JsonObject { ["DefaultEmailOption"] = "CONFIRM_WITH_LINK", ["EmailMessageByLink"] = "Click {##here##}", ["EmailSubjectByLink"] = "Verify" },
        ["SmsAuthenticationMessage"] = "Sign-in code {####}",
        ["UserAttributeUpdateSettings"] = new JsonObject { ["AttributesRequireVerificationBeforeUpdate"] = new JsonArray("email") },
        ["MfaConfiguration"] = "OFF",
        ["DeviceConfiguration"] = new JsonObject { ["ChallengeRequiredOnNewDevice"] = true, ["DeviceOnlyRememberedOnUserPrompt"] = false },
        ["EmailConfiguration"] = new JsonObject
        {
            ["SourceArn"] = "arn:aws:ses:us-east-1:000000000000:identity/example.com", ["ReplyToEmailAddress"] = "support@example.com",
            ["EmailSendingAccount"] = "DEVELOPER", ["From"] = "no-reply@example.com", ["ConfigurationSet"] = "auth",
        },
        ["SmsConfiguration"] = new JsonObject { ["SnsCallerArn"] = "arn:aws:iam::000000000000:role/sms", ["ExternalId"] = "x", ["SnsRegion"] = "us-east-1" },
        ["UserPoolTags"] = new JsonObject { ["team"] = "identity" },
        ["AdminCreateUserConfig"] = new JsonObject
        {
            ["AllowAdminCreateUserOnly"] = true,
            ["InviteMessageTemplate"] = new JsonObject { ["SMSMessage"] = "{username} {####}", ["EmailMessage"] = "{username} {####}", ["EmailSubject"] = "Welcome" },
        },
        ["UserPoolAddOns"] = new JsonObject { ["AdvancedSecurityMode"] = "AUDIT" },
        ["AccountRecoverySetting"] = new JsonObject { ["RecoveryMechanisms"] = new JsonArray(new JsonObject { ["Priority"] = 1, ["Name"] = "verified_email" }) },
        ["UserPoolTier"] = "PLUS",
    };
}
