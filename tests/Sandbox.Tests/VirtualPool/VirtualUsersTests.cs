using CsCheck;
using IdentityReplicator.Sandbox.VirtualPool;

namespace IdentityReplicator.Sandbox.Tests.VirtualPool;

/// <summary>The virtual pool's users: deterministic, and different between the sides in exactly the users asked for.</summary>
public sealed class VirtualUsersTests
{
    [Fact]
    public void DifferenceOf_AnyPoolAndCount_InjectsExactlyThatManyDifferences()
    {
        Gen.Int[1, 3000].SelectMany(n => Gen.Int[0, n].Select(d => (n, d))).Sample((n, d) =>
        {
            var options = new VirtualPoolOptions { Users = n, Groups = 7, Differences = d };
            var primary = new VirtualUsers(options, VirtualSide.Primary);
            var standby = new VirtualUsers(options, VirtualSide.Standby);

            var differing = Enumerable.Range(0, n).Count(i => primary.User(i) != Comparable(standby.User(i), primary.User(i)));

            Assert.Equal(d, Enumerable.Range(0, n).Count(i => standby.DifferenceOf(i) != VirtualDifference.None));
            Assert.Equal(d, differing);
        });
    }

    [Fact]
    public void User_SameOptions_IsTheSameUserEveryTime()
    {
        var options = new VirtualPoolOptions { Users = 1000, Groups = 3, Seed = 42 };

        var first = Enumerable.Range(0, 1000).Select(i => new VirtualUsers(options, VirtualSide.Primary).User(i)).ToList();
        var second = Enumerable.Range(0, 1000).Select(i => new VirtualUsers(options, VirtualSide.Primary).User(i)).ToList();

        Assert.Equal(first, second);
        Assert.True(first.Select(u => u!.GivenName).Distinct().Count() > 5, "attributes vary with the seed's hash");
        Assert.Contains(first, u => !u!.Enabled);
    }

    [Fact]
    public void IndexOfSub_AnyUserOfEitherSide_FindsItsIndexAndOnlyOnItsSide()
    {
        var options = new VirtualPoolOptions { Users = 2_000_000 };
        var primary = new VirtualUsers(options, VirtualSide.Primary);
        var standby = new VirtualUsers(options, VirtualSide.Standby);
        Gen.Int[0, 1_999_999].Sample(i =>
        {
            Assert.Equal(i, primary.IndexOfSub(primary.SubOf(i)));
            Assert.Equal(-1, standby.IndexOfSub(primary.SubOf(i)));
            Assert.True(Guid.TryParse(primary.SubOf(i), out _));
        });
    }

    [Fact]
    public void MembersOf_FromAnyOffset_ListsTheGroupsMembersFromThereInOrder()
    {
        Gen.Select(Gen.Int[1, 400], Gen.Int[1, 12], Gen.Int[0, 60]).Sample((n, groups, d) =>
        {
            var users = new VirtualUsers(new VirtualPoolOptions { Users = n, Groups = groups, Differences = Math.Min(d, n) }, VirtualSide.Standby);
            for (var g = 0; g < groups; g++)
            {
                foreach (var from in new[] { 0, n / 3, n - 1 })
                {
                    var expected = Enumerable.Range(from, n - from).Select(users.User).Where(u => u?.Group == g).Select(u => u!.Index);
                    Assert.Equal(expected, users.MembersOf(g, from).Select(u => u.Index));
                }
            }
        });
    }

    [Fact]
    public void Validate_MoreDifferencesThanUsers_NamesTheLimit()
    {
        var problem = Assert.Single(new VirtualPoolOptions { Users = 10, Differences = 11 }.Validate());

        Assert.Contains("Differences is 11", problem, StringComparison.Ordinal);
    }

    /// <summary>The standby user with the primary's sub (each side has its own), so only injected differences remain.</summary>
    private static VirtualUser? Comparable(VirtualUser? standby, VirtualUser? primary) =>
        standby is null || primary is null ? standby : standby with { Sub = primary.Sub };
}
