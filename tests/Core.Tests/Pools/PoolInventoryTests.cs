using IdentityReplicator.Core.Pools;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Pools;

/// <summary>Reading a whole pool: memberships per group (never per user), lookups as Cognito's admin calls find users.</summary>
public sealed class PoolInventoryTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ReadAsync_UsersInGroups_ReadsMembershipsOncePerGroupAndNeverPerUser()
    {
        var pool = new InMemoryUserDirectory("us-east-1_primary1", signInByEmail: true);
        pool.SeedGroup(new DirectoryGroup("admins", "Admins", 1));
        var a = pool.Seed("a@example.com", new Dictionary<string, string> { ["email"] = "a@example.com" }, groups: ["admins", "staff"]);
        var b = pool.Seed("b@example.com", new Dictionary<string, string> { ["email"] = "b@example.com" }, groups: ["staff"]);
        pool.Seed("c@example.com", new Dictionary<string, string> { ["email"] = "c@example.com" });

        var inventory = await PoolInventory.ReadAsync(pool, caseSensitive: false, Time, CancellationToken.None);

        Assert.Equal(3, inventory.UserCount);
        Assert.Equal(["admins", "staff"], inventory.Groups.Select(g => g.Name));
        Assert.Equal(["admins", "staff"], inventory.GroupsOf(a).ToArray());
        Assert.Equal(["staff"], inventory.GroupsOf(b).ToArray());
        Assert.Equal(2, pool.Calls["ListUsernamesInGroup"]);
        Assert.False(pool.Calls.ContainsKey("ListGroupsForUser"));
        Assert.Equal(Time.GetUtcNow(), inventory.ReadStartedAt);
    }

    [Fact]
    public async Task Find_AliasPool_FindsByUsernameOrByEmailIgnoringCase()
    {
        var pool = new InMemoryUserDirectory(signInByEmail: true);
        var username = pool.Seed("Mixed.Case@Example.com", new Dictionary<string, string> { ["email"] = "Mixed.Case@Example.com" });
        var inventory = await PoolInventory.ReadAsync(pool, caseSensitive: false, Time, CancellationToken.None);

        Assert.Equal(username, inventory.Find(username.ToUpperInvariant(), ["email"])?.Username);
        Assert.Equal(username, inventory.Find("mixed.case@example.com", ["email"])?.Username);
        Assert.Null(inventory.Find("mixed.case@example.com", []));
        Assert.Null(inventory.Find("nobody@example.com", ["email"]));
    }

    [Fact]
    public void Constructor_MembersNotListedAsUsers_AreIgnored()
    {
        var inventory = new PoolInventory(
            "pool_1",
            Time.GetUtcNow(),
            caseSensitive: true,
            [new DirectoryUser("alice", "s1", new Dictionary<string, string>(), true, "CONFIRMED")],
            [new DirectoryGroup("g")],
            new Dictionary<string, IReadOnlyCollection<string>> { ["g"] = ["alice", "appeared-during-the-read"] });

        Assert.Equal(["g"], inventory.GroupsOf("alice").ToArray());
        Assert.Empty(inventory.GroupsOf("appeared-during-the-read"));
        Assert.Null(inventory.FindByUsername("ALICE"));
    }
}
