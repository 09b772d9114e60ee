using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito refuses to authenticate a disabled user (<c>NotAuthorizedException: User is disabled.</c>);
/// cognito-local 5.3.0 lets them in, which would make authentication triggers report a disabled user as enabled.
/// This interceptor refuses, like Cognito. It learns which pool an app client belongs to from the
/// CreateUserPoolClient calls it sees, and otherwise asks the emulator.
/// </summary>
internal sealed class DisabledUsersCannotSignIn(CognitoIdentityProviderClient emulator) : ICognitoInterceptor
{
    private readonly ConcurrentDictionary<string, string> _clientPools = new(StringComparer.Ordinal);

    public void RegisterClient(string clientId, string userPoolId) => _clientPools[clientId] = userPoolId;

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (call.Operation is not ("InitiateAuth" or "AdminInitiateAuth") || call.Body is not JsonObject body)
        {
            return null;
        }

        var username = body["AuthParameters"]?["USERNAME"]?.GetValue<string>();
        var poolId = call.UserPoolId ?? (body["ClientId"]?.GetValue<string>() is { } client && _clientPools.TryGetValue(client, out var pool) ? pool : null);
        if (username is null || poolId is null)
        {
            return null;
        }

        try
        {
            var user = await emulator.AdminGetUserAsync(new AdminGetUserRequest(poolId, username), cancellationToken);
            return user.Enabled == false ? FrontReply.Error(400, "NotAuthorizedException", "User is disabled.") : null;
        }
        catch (CognitoException)
        {
            return null;
        }
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken)
    {
        if (call.Operation == "CreateUserPoolClient" && reply.IsSuccess)
        {
            var client = JsonNode.Parse(reply.Body)?["UserPoolClient"];
            if (client?["ClientId"]?.GetValue<string>() is { } id && client["UserPoolId"]?.GetValue<string>() is { } pool)
            {
                RegisterClient(id, pool);
            }
        }

        return ValueTask.CompletedTask;
    }
}
