using System.Text.Json.Nodes;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>
/// EventBridge events of detail-type "AWS API Call via CloudTrail" from aws.cognito-idp, in the documented CloudTrail
/// record shape, with Cognito's redaction: usernames and attributes read HIDDEN_DUE_TO_SECURITY_REASONS and the user
/// is named by additionalEventData.sub.
/// </summary>
internal static class CloudTrailEvents
{
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    public static JsonObject Call(string eventName, JsonObject requestParameters, string? sub = null, string? errorCode = null)
    {
        var detail = JsonNode.Parse($$"""
            {
              "eventVersion": "1.08",
              "userIdentity": {
                "type": "AssumedRole",
                "principalId": "AROAEXAMPLEID:admin-session",
                "arn": "arn:aws:sts::123456789012:assumed-role/Admin/admin-session",
                "accountId": "123456789012",
                "accessKeyId": "ASIAEXAMPLEKEYID",
                "sessionContext": { "attributes": { "creationDate": "2026-11-26T10:00:00Z", "mfaAuthenticated": "false" } }
              },
              "eventTime": "2026-11-26T12:00:00Z",
              "eventSource": "cognito-idp.amazonaws.com",
              "eventName": "{{eventName}}",
              "awsRegion": "us-east-1",
              "sourceIPAddress": "192.0.2.10",
              "userAgent": "aws-cli/2.15.0",
              "responseElements": null,
              "requestID": "4c1e6b2a-5f5d-4f33-9d0c-0a6f5a1f3c21",
              "eventID": "b3b0e6a6-2b7a-4a8f-8a53-0d2c5e1b7f10",
              "readOnly": false,
              "eventType": "AwsApiCall",
              "managementEvent": true,
              "recipientAccountId": "123456789012",
              "eventCategory": "Management"
            }
            """)!.AsObject();
        detail["requestParameters"] = requestParameters;
        if (sub is not null)
        {
            detail["additionalEventData"] = new JsonObject { ["sub"] = sub };
        }

        if (errorCode is not null)
        {
            detail["errorCode"] = errorCode;
            detail["errorMessage"] = "User does not exist.";
        }

        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            ["detail-type"] = "AWS API Call via CloudTrail",
            ["source"] = "aws.cognito-idp",
            ["account"] = "123456789012",
            ["time"] = "2026-11-26T12:00:00Z",
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(),
            ["detail"] = detail,
        };
    }

    public static JsonObject UserCall(string eventName, string pool, string? sub, string username = Hidden, string? errorCode = null) =>
        Call(eventName, new JsonObject { ["userPoolId"] = pool, ["username"] = username }, sub, errorCode);

    public static JsonObject GroupCall(string eventName, string pool, string group) =>
        Call(eventName, new JsonObject { ["groupName"] = group, ["userPoolId"] = pool, ["description"] = "Editors", ["precedence"] = 5 });

    public static JsonObject Hint(string pool, string? sub = null, string? username = null)
    {
        var detail = new JsonObject { ["userPoolId"] = pool };
        if (sub is not null)
        {
            detail["sub"] = sub;
        }

        if (username is not null)
        {
            detail["username"] = username;
        }

        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = "0d2b4bd2-9b8e-4a70-a4e3-a2c0c1ef2b77",
            ["detail-type"] = "IdentityReplicator.UserChanged",
            ["source"] = "my.application",
            ["account"] = "123456789012",
            ["time"] = "2026-11-26T12:00:00Z",
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(),
            ["detail"] = detail,
        };
    }
}
