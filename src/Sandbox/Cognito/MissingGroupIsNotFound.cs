using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito answers a call naming a group that does not exist with <c>ResourceNotFoundException</c>;
/// cognito-local 5.3.0 does so only once the pool has some group — in a pool without any it fails with HTTP 500 and
/// an empty error. The apply engine relies on Cognito's answer (it creates a missing group, then retries), so this
/// interceptor answers group calls itself and turns the emulator's untyped 500 into Cognito's error.
/// </summary>
internal sealed class MissingGroupIsNotFound(EmulatorForwarder emulator) : ICognitoInterceptor
{
    private static readonly HashSet<string> GroupOperations = new(StringComparer.Ordinal)
    {
        "GetGroup", "UpdateGroup", "DeleteGroup", "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "ListUsersInGroup",
    };

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (!GroupOperations.Contains(call.Operation))
        {
            return null;
        }

        var reply = await emulator.SendAsync(call.Operation, call.Body, cancellationToken);
        return reply.Status >= 500 && !HasErrorType(reply)
            ? FrontReply.Error(400, "ResourceNotFoundException", "Group not found.")
            : reply;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static bool HasErrorType(FrontReply reply)
    {
        try
        {
            return JsonNode.Parse(reply.Body)?["__type"] is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
