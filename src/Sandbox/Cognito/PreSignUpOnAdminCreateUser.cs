using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito calls the PreSignUp trigger (trigger source <c>PreSignUp_AdminCreateUser</c>) before it creates a
/// user with AdminCreateUser; cognito-local 5.3.0 does not. This interceptor does, through the Lambda Invoke API,
/// exactly as Cognito would: before creation, with the username the user will get (for pools that sign in by email
/// or phone, a fresh UUID, which it hands to the emulator as the user's <c>sub</c> so the emulator uses it) and the
/// requested attributes. A failed invocation fails the call with <c>UnexpectedLambdaException</c>, as in Cognito.
/// </summary>
public sealed class PreSignUpOnAdminCreateUser(
    HttpClient lambda,
    string functionName,
    string region,
    CognitoIdentityProviderClient emulator) : ICognitoInterceptor
{
    private readonly ConcurrentDictionary<string, bool> _aliasPools = new(StringComparer.Ordinal);

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (call.Operation != "AdminCreateUser" || call.Body is not JsonObject body || call.UserPoolId is not { } poolId)
        {
            return null;
        }

        var requested = body["Username"]?.GetValue<string>() ?? string.Empty;
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

        var userName = requested;
        if (await SignsInByAliasAsync(poolId, cancellationToken) && !attributes.ContainsKey("sub"))
        {
            userName = Guid.NewGuid().ToString();
            (body["UserAttributes"] as JsonArray ?? (JsonArray)(body["UserAttributes"] = new JsonArray())).Add(new JsonObject { ["Name"] = "sub", ["Value"] = userName });
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
            if (!response.IsSuccessStatusCode || response.Headers.Contains("X-Amz-Function-Error"))
            {
                return FrontReply.Error(400, "UserLambdaValidationException", "PreSignUp failed with error The function failed..");
            }
        }
        catch (HttpRequestException)
        {
            return FrontReply.Error(400, "UnexpectedLambdaException", "Unexpected error when invoking the PreSignUp Lambda trigger.");
        }

        return null;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private async Task<bool> SignsInByAliasAsync(string poolId, CancellationToken cancellationToken)
    {
        if (_aliasPools.TryGetValue(poolId, out var alias))
        {
            return alias;
        }

        var pool = await emulator.DescribeUserPoolAsync(new DescribeUserPoolRequest(poolId), cancellationToken);
        alias = pool.UserPool?.UsernameAttributes is { Count: > 0 };
        _aliasPools[poolId] = alias;
        return alias;
    }
}
