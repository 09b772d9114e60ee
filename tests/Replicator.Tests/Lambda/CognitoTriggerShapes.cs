namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>
/// One event of each trigger source the Replicator is installed for, in the shape Cognito sends it (Amazon Cognito
/// Developer Guide, "Customizing user pool workflows with Lambda triggers" and each trigger's event parameters;
/// Pre Token Generation in both its V1 and V2 event versions). The seeds of the trigger fuzzing.
/// </summary>
internal static class CognitoTriggerShapes
{
    public const string PrimaryPool = "us-east-1_Primary01";
    public const string StandbyPool = FunctionHarness.StandbyPool;

    /// <summary>The standby user's <c>sub</c> for which the harness records a mapping to <see cref="PrimarySub"/>.</summary>
    public const string StandbySub = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    public const string PrimarySub = "d8411330-6061-70eb-ec7d-e9eb17f8f222";

    private const string Caller = """
        "callerContext": { "awsSdkVersion": "aws-sdk-js-3.700.0", "clientId": "5dvett3sa037ilq69b7fnsl7k7" }
        """;

    private const string Attributes = """
        "userAttributes": {
          "sub": "d8411330-6061-70eb-ec7d-e9eb17f8f222",
          "email_verified": "true",
          "cognito:user_status": "CONFIRMED",
          "cognito:email_alias": "alice@example.com",
          "name": "Alice Example",
          "phone_number": "+15555550100",
          "email": "alice@example.com",
          "custom:tier": "pro"
        }
        """;

    private const string Groups = """
        "groupConfiguration": { "groupsToOverride": ["editors", "admins"], "iamRolesToOverride": ["arn:aws:iam::111122223333:role/editors"], "preferredRole": null }
        """;

    public static readonly IReadOnlyList<(string Name, string Json)> All =
    [
        ("PreSignUp_SignUp", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "PreSignUp_SignUp",
              "request": { "userAttributes": { "email": "alice@example.com", "name": "Alice Example", "phone_number": "+15555550100" },
                           "validationData": { "captcha": "ok" }, "clientMetadata": { "campaign": "spring" } },
              "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false } }
            """),
        ("PreSignUp_AdminCreateUser", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice",
              "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "CLIENT_ID_NOT_APPLICABLE" },
              "triggerSource": "PreSignUp_AdminCreateUser",
              "request": { "userAttributes": { "email": "alice@example.com", "name": "Alice Example" }, "validationData": null },
              "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false } }
            """),
        ("PostConfirmation_ConfirmSignUp", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "PostConfirmation_ConfirmSignUp", "request": { {{Attributes}}, "clientMetadata": {} }, "response": {} }
            """),
        ("PostConfirmation_ConfirmForgotPassword", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "PostConfirmation_ConfirmForgotPassword", "request": { {{Attributes}} }, "response": {} }
            """),
        ("PostAuthentication_Authentication", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "PostAuthentication_Authentication", "request": { {{Attributes}}, "newDeviceUsed": false }, "response": {} }
            """),
        ("TokenGeneration_Authentication V1", $$"""
            { "version": "1", "triggerSource": "TokenGeneration_Authentication", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}",
              "userName": "alice", {{Caller}}, "request": { {{Attributes}}, {{Groups}}, "clientMetadata": {} },
              "response": { "claimsOverrideDetails": null } }
            """),
        ("TokenGeneration_HostedAuth V2", $$"""
            { "version": "2", "triggerSource": "TokenGeneration_HostedAuth", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}",
              "userName": "alice", {{Caller}},
              "request": { {{Attributes}}, "scopes": ["openid", "email", "aws.cognito.signin.user.admin"], {{Groups}} },
              "response": { "claimsAndScopeOverrideDetails": null } }
            """),
        ("TokenGeneration_RefreshTokens V1, standby", $$"""
            { "version": "1", "triggerSource": "TokenGeneration_RefreshTokens", "region": "us-west-2", "userPoolId": "{{StandbyPool}}",
              "userName": "alice", {{Caller}},
              "request": { "userAttributes": { "sub": "{{StandbySub}}", "email": "alice@example.com", "email_verified": "true" }, {{Groups}} },
              "response": { "claimsOverrideDetails": null } }
            """),
        ("TokenGeneration_Authentication V2, standby", $$"""
            { "version": "2", "triggerSource": "TokenGeneration_Authentication", "region": "us-west-2", "userPoolId": "{{StandbyPool}}",
              "userName": "alice", {{Caller}},
              "request": { "userAttributes": { "sub": "{{StandbySub}}", "custom:primary_sub": "{{PrimarySub}}", "email": "alice@example.com" },
                           "scopes": ["openid"], {{Groups}}, "clientMetadata": { "app": "web" } },
              "response": { "claimsAndScopeOverrideDetails": { "idTokenGeneration": { "claimsToSuppress": ["email"] } } } }
            """),
        ("TokenGeneration_NewPasswordChallenge V1, standby", $$"""
            { "version": "1", "triggerSource": "TokenGeneration_NewPasswordChallenge", "region": "us-west-2", "userPoolId": "{{StandbyPool}}",
              "userName": "alice", {{Caller}},
              "request": { "userAttributes": { "sub": "{{StandbySub}}", "email": "alice@example.com" }, "groupConfiguration": { "groupsToOverride": [] } },
              "response": { "claimsOverrideDetails": { "claimsToAddOrOverride": { "tier": "pro" } } } }
            """),
        ("CustomMessage_SignUp", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "CustomMessage_SignUp",
              "request": { {{Attributes}}, "codeParameter": "{####}", "linkParameter": "{##Click here##}", "usernameParameter": null },
              "response": { "smsMessage": null, "emailMessage": null, "emailSubject": null } }
            """),
        ("CustomMessage_AdminCreateUser", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice",
              "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "CLIENT_ID_NOT_APPLICABLE" },
              "triggerSource": "CustomMessage_AdminCreateUser",
              "request": { "userAttributes": { "email": "alice@example.com", "name": "Alice Example" }, "codeParameter": "{####}",
                           "usernameParameter": "{username}" },
              "response": { "smsMessage": null, "emailMessage": null, "emailSubject": null } }
            """),
        ("CustomMessage_ForgotPassword", $$"""
            { "version": "1", "region": "us-east-1", "userPoolId": "{{PrimaryPool}}", "userName": "alice", {{Caller}},
              "triggerSource": "CustomMessage_ForgotPassword", "request": { {{Attributes}}, "codeParameter": "{####}" },
              "response": { "smsMessage": null, "emailMessage": null, "emailSubject": null } }
            """),
    ];
}
