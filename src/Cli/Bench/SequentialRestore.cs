using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Cli.Bench;

/// <summary>
/// The benchmark's baseline: a standby filled the way today's backup/restore tools fill one — read the primary
/// (ListUsers pages, ListGroups, ListUsersInGroup per group), create the groups, create every user (AdminCreateUser),
/// then confirm every user (AdminSetUserPassword; AdminDisableUser when disabled), then add every membership
/// (AdminAddUserToGroup) — one call at a time and one quota category at a time, a throttled call retried after a
/// backoff (<see cref="OneAtATimePolicy"/>). It makes the same calls of the same quota categories as full sync, into
/// the same end state, so the two are compared on their scheduling alone.
/// </summary>
internal sealed class SequentialRestore(CognitoIdentityProviderClient primary, string primaryPoolId, CognitoIdentityProviderClient standby, string standbyPoolId)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var users = new List<UserType>();
        await foreach (var user in primary.ListUsersAsync(new ListUsersRequest(primaryPoolId) { Limit = CognitoQuotas.ListUsersPageLimit }, cancellationToken))
        {
            users.Add(user);
        }

        var groups = new List<GroupType>();
        await foreach (var group in primary.ListGroupsAsync(new ListGroupsRequest(primaryPoolId) { Limit = CognitoQuotas.ListPageLimit }, cancellationToken))
        {
            groups.Add(group);
        }

        var members = new List<(string Group, string Username)>();
        foreach (var group in groups)
        {
            await foreach (var member in primary.ListUsersInGroupAsync(new ListUsersInGroupRequest(primaryPoolId, group.GroupName!) { Limit = CognitoQuotas.ListPageLimit }, cancellationToken))
            {
                members.Add((group.GroupName!, member.Username!));
            }
        }

        foreach (var group in groups)
        {
            await standby.CreateGroupAsync(new CreateGroupRequest(group.GroupName!, standbyPoolId) { Description = group.Description, Precedence = group.Precedence, RoleArn = group.RoleArn }, cancellationToken);
        }

        var standbyNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var attributes = user.Attributes.ToDictionary().Where(a => !Core.Model.UserProfile.IsPseudoAttribute(a.Key)).ToAttributeList();
            var email = user.Attributes.ToDictionary()["email"];
            var created = await standby.AdminCreateUserAsync(
                new AdminCreateUserRequest { UserPoolId = standbyPoolId, Username = email, UserAttributes = attributes, MessageAction = "SUPPRESS", TemporaryPassword = RandomPasswords.Create() },
                cancellationToken);
            standbyNames[user.Username!] = created.User?.Username ?? email;
        }

        foreach (var user in users)
        {
            var name = standbyNames[user.Username!];
            await standby.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(standbyPoolId, name, RandomPasswords.Create(), Permanent: true), cancellationToken);
            if (user.Enabled == false)
            {
                await standby.AdminDisableUserAsync(new AdminDisableUserRequest(standbyPoolId, name), cancellationToken);
            }
        }

        foreach (var (group, username) in members)
        {
            await standby.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(standbyPoolId, standbyNames[username], group), cancellationToken);
        }
    }
}
