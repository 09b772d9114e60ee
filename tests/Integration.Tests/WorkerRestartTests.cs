using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>A worker killed half way (SIGKILL, nothing saved on the way out) and started again loses nothing.</summary>
public sealed class WorkerRestartTests
{
    private const int Users = 80;

    [Fact]
    public async Task Worker_KilledMidRunAndRestarted_ConvergesWithNothingLostAndNoDuplicates()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var primaryClient = sandbox.Client(sandbox.Primary);
        var primary = new CognitoUserDirectory(primaryClient, sandbox.Primary.UserPoolId);
        var standby = sandbox.UserDirectory(sandbox.Standby);

        // The first worker starts while users are still being created, and is killed once part of them arrived.
        using (var first = IdrepProcess.Start("worker", "--config", sandbox.ConfigFile))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var email = $"restart-{i:D3}@example.com";
                await primaryClient.AdminCreateUserAsync(
                    new AdminCreateUserRequest
                    {
                        UserPoolId = sandbox.Primary.UserPoolId,
                        Username = email,
                        UserAttributes = [new AttributeType("email", email), new AttributeType("email_verified", "true"), new AttributeType("custom:tier", i % 2 == 0 ? "pro" : "free")],
                        MessageAction = "SUPPRESS",
                    },
                    ct);
            });
            var partial = await Eventually.ReturnsAsync(() => CountAsync(standby), n => n >= 5, TimeSpan.FromSeconds(60), "the first worker to apply some users");
            first.Kill();
            Assert.True(partial < Users, $"the worker finished ({partial} users) before it could be killed; the test proves nothing");
        }

        using (var second = IdrepProcess.Start("worker", "--config", sandbox.ConfigFile))
        {
            await Eventually.ReturnsAsync(() => CountAsync(standby), n => n >= Users, TimeSpan.FromSeconds(90), $"the restarted worker to apply all {Users} users");

            // Let it settle, then compare the pools field by field.
            var differences = await Eventually.ReturnsAsync(() => DifferencesAsync(primary, standby), d => d.Count == 0, TimeSpan.FromSeconds(30), "no differences");
            Assert.All(await ListAsync(standby), u => Assert.True(u.Attributes.ContainsKey("custom:primary_sub"), "every standby user carries its original sub"));
            Assert.Empty(differences);
            Assert.Equal(Users, await CountAsync(standby));
            Assert.False(second.HasExited, second.Output);
        }
    }

    /// <summary>The attributes replication copies (the standby's identity attribute is written, not copied).</summary>
    private static bool IsReplicated(string name) =>
        !name.StartsWith("cognito:", StringComparison.Ordinal) && name is not ("sub" or "custom:primary_sub");

    private static async Task<int> CountAsync(IUserDirectory directory)
    {
        var count = 0;
        await foreach (var _ in directory.ListUsersAsync(CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private static async Task<List<DirectoryUser>> ListAsync(IUserDirectory directory)
    {
        var users = new List<DirectoryUser>();
        await foreach (var user in directory.ListUsersAsync(CancellationToken.None))
        {
            users.Add(user);
        }

        return users;
    }

    private static async Task<List<string>> DifferencesAsync(IUserDirectory primary, IUserDirectory standby)
    {
        var standbyByEmail = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        await foreach (var user in standby.ListUsersAsync(CancellationToken.None))
        {
            standbyByEmail[user.Attributes["email"]] = user;
        }

        var differences = new List<string>();
        await foreach (var user in primary.ListUsersAsync(CancellationToken.None))
        {
            standbyByEmail.TryGetValue(user.Attributes["email"], out var counterpart);
            var diff = UserComparison.Compare(user, null, counterpart, null, IsReplicated);
            differences.AddRange(diff.Select(d => $"{user.Username}: {d}"));
        }

        return differences;
    }
}
