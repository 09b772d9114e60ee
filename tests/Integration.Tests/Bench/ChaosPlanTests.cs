using CsCheck;
using IdentityReplicator.Cli.Bench;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The chaos workload is repeatable, every change fits the state before it, and every kind of change occurs.</summary>
public sealed class ChaosPlanTests
{
    [Fact]
    public void Generate_AnySeedAndSize_EveryChangeFitsTheStateTheChangesBeforeItLeave()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[0, 200], Gen.Int).Sample((users, changes, seed) =>
        {
            var plan = ChaosPlan.Generate(users, changes, seed);
            var ledger = new ChaosLedger();

            Assert.Equal(users + changes, plan.Count);
            foreach (var change in plan)
            {
                var before = ledger.Current(change.Username);
                Assert.True(Fits(change, before), $"change {change.Sequence} ({change.Kind}) does not fit {change.Username}'s state");
                ledger.Apply(change, sub: null);
            }
        });
    }

    [Fact]
    public void Generate_SameSeed_SamePlan()
    {
        var first = ChaosPlan.Generate(30, 100, seed: 7);
        var second = ChaosPlan.Generate(30, 100, seed: 7);

        Assert.Equal(first.Select(Text), second.Select(Text));
        Assert.NotEqual(first.Select(Text), ChaosPlan.Generate(30, 100, seed: 8).Select(Text));
    }

    [Fact]
    public void Generate_EnoughChanges_MakesEveryKindOfChange()
    {
        var kinds = ChaosPlan.Generate(100, 500, seed: 1).Select(c => c.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<ChaosChangeKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void Kills_SameSeed_SortedMomentsWithinTheWrites()
    {
        var kills = ChaosPlan.Kills(3, 1000, seed: 5);

        Assert.Equal(3, kills.Count);
        Assert.Equal(kills.OrderBy(k => k.AfterWrites).ToList(), kills);
        Assert.All(kills, k => Assert.InRange(k.AfterWrites, 50, 950));
        Assert.All(kills, k => Assert.InRange(k.Delay, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Equal(kills, ChaosPlan.Kills(3, 1000, seed: 5));
    }

    private static bool Fits(ChaosChange change, ChaosUserState? user) => change.Kind switch
    {
        ChaosChangeKind.Create => user is null,
        ChaosChangeKind.Recreate => user is null,
        ChaosChangeKind.Enable => user is { Enabled: false },
        ChaosChangeKind.Disable => user is { Enabled: true },
        ChaosChangeKind.AttributeDelete => user is not null && change.AttributeNames!.All(user.Attributes.ContainsKey),
        ChaosChangeKind.GroupAdd => user is not null && !user.Groups.Contains(change.Group!),
        ChaosChangeKind.GroupRemove => user is not null && user.Groups.Contains(change.Group!),
        _ => user is not null,
    };

    private static string Text(ChaosChange change) =>
        $"{change.Sequence} {change.Kind} {change.Username} {change.ViaSignUp} {string.Join(",", change.Attributes ?? new Dictionary<string, string>())} {string.Join(",", change.AttributeNames ?? [])} {change.Group}";
}
