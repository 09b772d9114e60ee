using System.Globalization;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Sandbox;

namespace IdentityReplicator.Cli.Bench;

/// <summary>Fills and empties the sandbox's pools for benchmarks (with the quota proxy off: setup is not measured).</summary>
internal static class BenchPools
{
    /// <summary>Creates <paramref name="groups"/> groups and <paramref name="users"/> confirmed users in the primary, user i in group i mod groups.</summary>
    public static async Task SeedPrimaryAsync(SandboxEnvironment sandbox, int users, int groups, Action<string> progress, CancellationToken cancellationToken)
    {
        var client = sandbox.Client(sandbox.Primary);
        var pool = sandbox.Primary.UserPoolId;
        for (var g = 0; g < groups; g++)
        {
            await client.CreateGroupAsync(new CreateGroupRequest(GroupName(g), pool) { Description = $"Bench group {g}", Precedence = g }, cancellationToken);
        }

        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, users),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"bench-{i:D6}@example.com");
                var created = await client.AdminCreateUserAsync(
                    new AdminCreateUserRequest
                    {
                        UserPoolId = pool,
                        Username = email,
                        MessageAction = "SUPPRESS",
                        TemporaryPassword = RandomPasswords.Create(),
                        UserAttributes =
                        [
                            new AttributeType("email", email),
                            new AttributeType("email_verified", "true"),
                            new AttributeType("given_name", string.Create(CultureInfo.InvariantCulture, $"User{i}")),
                            new AttributeType("custom:tier", (i % 3) switch { 0 => "free", 1 => "pro", _ => "enterprise" }),
                        ],
                    },
                    token);
                var username = created.User?.Username ?? email;
                await client.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool, username, RandomPasswords.Create(), Permanent: true), token);
                if (groups > 0)
                {
                    await client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(pool, username, GroupName(i % groups)), token);
                }

                if (Interlocked.Increment(ref done) % 500 == 0)
                {
                    progress(string.Create(CultureInfo.InvariantCulture, $"  {done}/{users} primary users created"));
                }
            });
    }

    /// <summary>Deletes every user and group of the standby.</summary>
    public static async Task EmptyStandbyAsync(SandboxEnvironment sandbox, CancellationToken cancellationToken)
    {
        var client = sandbox.Client(sandbox.Standby);
        var pool = sandbox.Standby.UserPoolId;
        var usernames = new List<string>();
        await foreach (var user in client.ListUsersAsync(new ListUsersRequest(pool), cancellationToken))
        {
            usernames.Add(user.Username!);
        }

        await Parallel.ForEachAsync(usernames, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (username, token) =>
            await client.AdminDeleteUserAsync(new AdminDeleteUserRequest(pool, username), token));
        await foreach (var group in client.ListGroupsAsync(new ListGroupsRequest(pool), cancellationToken))
        {
            await client.DeleteGroupAsync(new DeleteGroupRequest(group.GroupName!, pool), cancellationToken);
        }
    }

    public static async Task<int> CountUsersAsync(SandboxEnvironment sandbox, SandboxPool pool, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in sandbox.Client(pool).ListUsersAsync(new ListUsersRequest(pool.UserPoolId), cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>A fresh mirror table in the sandbox's DynamoDB; returns its name.</summary>
    public static async Task<string> NewMirrorTableAsync(SandboxEnvironment sandbox, string name, CancellationToken cancellationToken)
    {
        await MirrorTable.CreateAsync(sandbox.Dynamo, name, sandbox.FeedBuckets, TimeProvider.System, cancellationToken);
        return name;
    }

    private static string GroupName(int g) => string.Create(CultureInfo.InvariantCulture, $"bench-group-{g:D3}");
}
