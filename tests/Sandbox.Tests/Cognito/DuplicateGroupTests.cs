using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

/// <summary>
/// Real Cognito refuses a CreateGroup for a name the pool already has (GroupExistsException); cognito-local 5.3.0
/// overwrites the group, and its member list with it. The apply engine creates a group a user joins when the target
/// lacks it while the group's own snapshot may create it at the same moment: on the emulator the second create emptied
/// the group, and the demo lost a membership in the standby.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class DuplicateGroupTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task CreateGroup_NameTaken_IsRefusedLikeCognitoAndTheMembersStay()
    {
        var pool = Sandbox.Standby;
        var client = Sandbox.Client(pool);
        var group = $"dup-{Guid.NewGuid():N}";
        await client.CreateGroupAsync(new CreateGroupRequest(group, pool.UserPoolId) { Description = "first" });
        var username = await CreateUserAsync(client, pool.UserPoolId);
        await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool.UserPoolId, username, group));

        await Assert.ThrowsAsync<GroupExistsException>(() => client.CreateGroupAsync(new CreateGroupRequest(group, pool.UserPoolId) { Description = "second" }));

        var members = await client.ListUsersInGroupPageAsync(new ListUsersInGroupRequest(pool.UserPoolId, group));
        Assert.Equal([username], members.Users!.Select(u => u.Username));
        var kept = await client.GetGroupAsync(new GetGroupRequest(group, pool.UserPoolId));
        Assert.Equal("first", kept.Group!.Description);
    }

    [Fact]
    public async Task CreateGroup_SameNameManyAtOnce_ExactlyOneCreatesIt()
    {
        var pool = Sandbox.Standby;
        var client = Sandbox.Client(pool);
        var group = $"race-{Guid.NewGuid():N}";

        var attempts = Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await client.CreateGroupAsync(new CreateGroupRequest(group, pool.UserPoolId));
                return true;
            }
            catch (GroupExistsException)
            {
                return false;
            }
        });
        var created = await Task.WhenAll(attempts);

        Assert.Single(created, c => c);
    }

    private static async Task<string> CreateUserAsync(CognitoIdentityProviderClient client, string poolId)
    {
        var email = $"member-{Guid.NewGuid():N}@example.com";
        var created = await client.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = poolId,
            Username = email,
            UserAttributes = [new AttributeType("email", email)],
            MessageAction = "SUPPRESS",
        });
        return created.User!.Username!;
    }
}
