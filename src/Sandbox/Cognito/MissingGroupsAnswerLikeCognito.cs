using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// In a pool that has never had a group, cognito-local 5.3.0 answers group operations naming a group with HTTP 500
/// (its store has no groups collection yet); real Cognito answers <c>ResourceNotFoundException</c>. This interceptor
/// checks the group exists first (ListGroups on the emulator, which works) and answers as Cognito does if it does not.
/// </summary>
public sealed class MissingGroupsAnswerLikeCognito(CognitoIdentityProviderClient emulator) : ICognitoInterceptor
{
    private static readonly HashSet<string> NamesAGroup = new(StringComparer.Ordinal)
    {
        "GetGroup", "UpdateGroup", "DeleteGroup", "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "ListUsersInGroup",
    };

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (!NamesAGroup.Contains(call.Operation) || call.UserPoolId is not { } pool || call.Body?["GroupName"]?.GetValue<string>() is not { } name)
        {
            return null;
        }

        await foreach (var group in emulator.ListGroupsAsync(new ListGroupsRequest(pool), cancellationToken))
        {
            if (group.GroupName == name)
            {
                return null;
            }
        }

        return FrontReply.Error(400, "ResourceNotFoundException", "Group not found.");
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
