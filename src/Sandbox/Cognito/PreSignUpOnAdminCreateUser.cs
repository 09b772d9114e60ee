using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito calls the PreSignUp trigger (trigger source <c>PreSignUp_AdminCreateUser</c>) when it creates a user
/// with AdminCreateUser; cognito-local 5.3.0 does not. This interceptor does, through the Lambda Invoke API, with
/// the username the user got (for pools that sign in by email or phone, the UUID the emulator assigned) and the
/// requested attributes. Real Cognito invokes the trigger just before it stores the user, with the same username;
/// the emulator cannot tell us that username in advance, so the sandbox invokes it just after. The Replicator treats
/// the event as a hint to read the user either way, so the difference does not change what it records.
/// </summary>
internal sealed class PreSignUpOnAdminCreateUser(HttpClient lambda, string functionName, string region) : ICognitoInterceptor
{
    public ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken) => ValueTask.FromResult<FrontReply?>(null);

    public async ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken)
    {
        if (call.Operation != "AdminCreateUser" || !reply.IsSuccess || call.Body is not JsonObject body || call.UserPoolId is not { } poolId)
        {
            return;
        }

        var userName = JsonNode.Parse(reply.Body)?["User"]?["Username"]?.GetValue<string>();
        if (userName is null)
        {
            return;
        }

        var attributes = new JsonObject();
        if (body["UserAttributes"] is JsonArray list)
        {
            foreach (var attribute in list.OfType<JsonObject>())
            {
                if (attribute["Name"]?.GetValue<string>() is { } name)
                {
                    attributes[name] = attribute["Value"]?.GetValue<string>();
                }
            }
        }

        var @event = new JsonObject
        {
            ["version"] = "1",
            ["region"] = region,
            ["userPoolId"] = poolId,
            ["userName"] = userName,
            ["callerContext"] = new JsonObject { ["awsSdkVersion"] = "aws-sdk-unknown-unknown", ["clientId"] = "CLIENT_ID_NOT_APPLICABLE" },
            ["triggerSource"] = "PreSignUp_AdminCreateUser",
            ["request"] = new JsonObject
            {
                ["userAttributes"] = attributes,
                ["validationData"] = null,
                ["clientMetadata"] = body["ClientMetadata"]?.DeepClone(),
            },
            ["response"] = new JsonObject { ["autoConfirmUser"] = false, ["autoVerifyEmail"] = false, ["autoVerifyPhone"] = false },
        };

        try
        {
            using var response = await lambda.PostAsJsonAsync($"2015-03-31/functions/{functionName}/invocations", @event, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The user exists already; a lost hint is what the sweep and drift repair are for.
        }
    }
}
