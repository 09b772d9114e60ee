using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Sandbox;

namespace IdentityReplicator.TestSupport;

/// <summary>A user made in a sandbox pool: its username (a UUID in email pools), sub and email.</summary>
public sealed record SandboxUser(string Username, string Sub, string Email);

/// <summary>Arranges users and groups in the sandbox's pools directly through the Cognito API.</summary>
public static class SandboxPools
{
    /// <summary>What a failover writes: a control item at epoch 1 naming the standby as the source, the primary as the target.</summary>
    public static async Task ReverseReplicationAsync(SandboxEnvironment sandbox, CancellationToken cancellationToken = default)
    {
        var control = new DynamoDbReplicationControlStore(sandbox.Dynamo, new MirrorOptions { TableName = sandbox.TableName });
        var advanced = await control.TryAdvanceAsync(
            new ReplicationControl
            {
                Epoch = 1,
                SourceRegion = sandbox.Standby.Region,
                SourcePoolId = sandbox.Standby.UserPoolId,
                TargetRegion = sandbox.Primary.Region,
                TargetPoolId = sandbox.Primary.UserPoolId,
                ChangedAt = TimeProvider.System.GetUtcNow(),
            },
            0,
            cancellationToken);
        if (!advanced)
        {
            throw new InvalidOperationException("The replication control was not at epoch 0.");
        }
    }

    /// <summary>Creates a confirmed user (AdminCreateUser, then a permanent password), optionally in groups.</summary>
    public static async Task<SandboxUser> CreateUserAsync(
        SandboxEnvironment sandbox, SandboxPool pool, string email, string tier = "free", IEnumerable<string>? groups = null, CancellationToken cancellationToken = default)
    {
        var client = sandbox.Client(pool);
        var created = await client.AdminCreateUserAsync(
            new AdminCreateUserRequest
            {
                UserPoolId = pool.UserPoolId,
                Username = email,
                MessageAction = "SUPPRESS",
                TemporaryPassword = "Temporary-Passw0rd!",
                UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", "true"), new AttributeType("custom:tier", tier)],
            },
            cancellationToken);
        var username = created.User!.Username!;
        await client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool.UserPoolId, username, "Permanent-Passw0rd!", Permanent: true), cancellationToken);
        foreach (var group in groups ?? [])
        {
            await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool.UserPoolId, username, group), cancellationToken);
        }

        var sub = created.User.Attributes!.First(a => a.Name == "sub").Value!;
        return new SandboxUser(username, sub, email);
    }

    public static Task CreateGroupAsync(SandboxEnvironment sandbox, SandboxPool pool, string name, string? description = null, int? precedence = null) =>
        sandbox.Client(pool).CreateGroupAsync(new CreateGroupRequest(name, pool.UserPoolId) { Description = description, Precedence = precedence });

    /// <summary>Every user of a pool (all pages).</summary>
    public static async Task<List<UserType>> ListUsersAsync(SandboxEnvironment sandbox, SandboxPool pool)
    {
        var users = new List<UserType>();
        await foreach (var user in sandbox.Client(pool).ListUsersAsync(new ListUsersRequest(pool.UserPoolId)))
        {
            users.Add(user);
        }

        return users;
    }
}
