using System.Globalization;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Cli.Demo;

/// <summary>
/// The changes the demo makes after creating its users, in two rounds (the second builds on the first), each user
/// taking part in at most one change per round. Every change fires no Cognito trigger: it reaches the standby through
/// the CloudTrail event of the call.
/// </summary>
internal sealed class DemoScenario(CognitoIdentityProviderClient client, string poolId, IReadOnlyList<DemoUser> users, ChangeTracker tracker, int concurrency, bool signInByEmail)
{
    private const int GroupCount = 5;
    private readonly int _share = Math.Max(1, users.Count / 10);
    private readonly List<DemoUser> _disabled = [];
    private readonly List<(DemoUser User, string Group)> _members = [];

    private static string Group(int i) => string.Create(CultureInfo.InvariantCulture, $"demo-team-{i}");

    /// <summary>Groups created; memberships added; attributes edited and deleted; users disabled and deleted.</summary>
    public async Task FirstRoundAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < GroupCount; i++)
        {
            await client.CreateGroupAsync(new CreateGroupRequest(Group(i), poolId) { Description = $"Team {i}", Precedence = 10 + i }, cancellationToken);
            tracker.Add(ChangeKinds.GroupCreate, Group(i), isGroup: true);
        }

        var queue = new Queue<DemoUser>(users);
        var work = new List<Func<CancellationToken, Task>>();
        foreach (var user in Take(queue, 2 * _share))
        {
            var group = Group(user.Index % GroupCount);
            _members.Add((user, group));
            work.Add(ct => Track(ChangeKinds.MembershipAdd, user, client.AdminAddUserToGroupAsync(new AdminAddUserToGroupRequest(poolId, Name(user), group), ct)));
        }

        foreach (var user in Take(queue, 2 * _share))
        {
            work.Add(ct => Track(ChangeKinds.AttributeEdit, user, client.AdminUpdateUserAttributesAsync(
                new AdminUpdateUserAttributesRequest(poolId, Name(user), [new AttributeType("custom:tier", "enterprise"), new AttributeType("name", $"{user.Attributes["given_name"]} Q. {user.Attributes["family_name"]}")]), ct)));
        }

        foreach (var user in Take(queue, _share))
        {
            work.Add(ct => Track(ChangeKinds.AttributeDelete, user, client.AdminDeleteUserAttributesAsync(new AdminDeleteUserAttributesRequest(poolId, Name(user), ["custom:plan"]), ct)));
        }

        foreach (var user in Take(queue, _share))
        {
            _disabled.Add(user);
            work.Add(ct => Track(ChangeKinds.Disable, user, client.AdminDisableUserAsync(new AdminDisableUserRequest(poolId, Name(user)), ct)));
        }

        foreach (var user in Take(queue, Math.Max(1, _share / 2)))
        {
            work.Add(ct => Track(ChangeKinds.Delete, user, client.AdminDeleteUserAsync(new AdminDeleteUserRequest(poolId, Name(user)), ct)));
        }

        await RunAsync(work, cancellationToken);
    }

    /// <summary>Groups updated and one deleted; some memberships removed; disabled users enabled again.</summary>
    public async Task SecondRoundAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 2; i++)
        {
            await client.UpdateGroupAsync(new UpdateGroupRequest(Group(i), poolId) { Description = $"Team {i} (renamed)", Precedence = 20 + i }, cancellationToken);
            tracker.Add(ChangeKinds.GroupUpdate, Group(i), isGroup: true);
        }

        // Deleting a group with members takes their memberships with it, in both pools.
        var deleted = Group(GroupCount - 1);
        await client.DeleteGroupAsync(new DeleteGroupRequest(deleted, poolId), cancellationToken);
        tracker.Add(ChangeKinds.GroupDelete, deleted, isGroup: true);

        var work = new List<Func<CancellationToken, Task>>();
        foreach (var (user, group) in _members.Where(m => m.Group != deleted).Take(Math.Max(1, _share / 2)))
        {
            work.Add(ct => Track(ChangeKinds.MembershipRemove, user, client.AdminRemoveUserFromGroupAsync(new AdminRemoveUserFromGroupRequest(poolId, Name(user), group), ct)));
        }

        foreach (var user in _disabled)
        {
            work.Add(ct => Track(ChangeKinds.Enable, user, client.AdminEnableUserAsync(new AdminEnableUserRequest(poolId, Name(user)), ct)));
        }

        await RunAsync(work, cancellationToken);
    }

    private string Name(DemoUser user) => signInByEmail ? user.Email : user.Username;

    private static IEnumerable<DemoUser> Take(Queue<DemoUser> queue, int count)
    {
        for (var i = 0; i < count && queue.Count > 0; i++)
        {
            yield return queue.Dequeue();
        }
    }

    private async Task Track(string kind, DemoUser user, Task call)
    {
        await call;
        tracker.Add(kind, user.Email);
    }

    private Task RunAsync(List<Func<CancellationToken, Task>> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (w, ct) => await w(ct));
}
