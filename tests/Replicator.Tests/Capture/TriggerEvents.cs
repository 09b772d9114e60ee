using System.Text.Json.Nodes;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>Trigger events in the shape Cognito sends them (Amazon Cognito Developer Guide, Lambda trigger sources).</summary>
internal static class TriggerEvents
{
    public const string PrimaryPool = "us-east-1_Primary01";

    public static JsonObject PostConfirmation(string userName = "alice", string pool = PrimaryPool) => JsonNode.Parse($$"""
        {
          "version": "1",
          "region": "us-east-1",
          "userPoolId": "{{pool}}",
          "userName": "{{userName}}",
          "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "5dvett3sa037ilq69b7fnsl7k7" },
          "triggerSource": "PostConfirmation_ConfirmSignUp",
          "request": {
            "userAttributes": {
              "sub": "d8411330-6061-70eb-ec7d-e9eb17f8f222",
              "email_verified": "true",
              "cognito:user_status": "CONFIRMED",
              "cognito:email_alias": "alice@example.com",
              "name": "Alice Example",
              "email": "alice@example.com",
              "custom:tier": "pro"
            }
          },
          "response": {}
        }
        """)!.AsObject();

    public static JsonObject PreSignUp(string source, string userName = "alice") => JsonNode.Parse($$"""
        {
          "version": "1",
          "region": "us-east-1",
          "userPoolId": "{{PrimaryPool}}",
          "userName": "{{userName}}",
          "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "CLIENT_ID_NOT_APPLICABLE" },
          "triggerSource": "{{source}}",
          "request": { "userAttributes": { "email": "alice@example.com", "name": "Alice Example" }, "validationData": null },
          "response": { "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false }
        }
        """)!.AsObject();

    public static JsonObject TokenGeneration(string userName = "alice") => JsonNode.Parse($$"""
        {
          "version": "1",
          "triggerSource": "TokenGeneration_Authentication",
          "region": "us-east-1",
          "userPoolId": "{{PrimaryPool}}",
          "userName": "{{userName}}",
          "callerContext": { "awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "5dvett3sa037ilq69b7fnsl7k7" },
          "request": {
            "userAttributes": { "sub": "d8411330-6061-70eb-ec7d-e9eb17f8f222", "email": "alice@example.com", "email_verified": "true", "cognito:user_status": "CONFIRMED" },
            "groupConfiguration": { "groupsToOverride": ["editors", "admins"], "iamRolesToOverride": [], "preferredRole": null }
          },
          "response": { "claimsOverrideDetails": null }
        }
        """)!.AsObject();
}
