using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Cli.Demo;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The ledger tells a change that never arrived (lost) from a state never intended (wrong).</summary>
public sealed class ChaosLedgerTests
{
    private const string Name = "chaos-00001";
    private static readonly Func<string, bool> Replicated = name => name != "sub";

    [Fact]
    public void Judge_StandbyAsIntended_IsInStep()
    {
        var ledger = Ledger(Create(0), Edit(1, "Ada-1"));

        Assert.Equal(ChaosVerdict.InStep, ledger.Judge(Name, Standby("Ada-1"), [], Replicated));
    }

    [Fact]
    public void Judge_UserMissingFromTheStandby_IsLost()
    {
        var ledger = Ledger(Create(0));

        Assert.Equal(ChaosVerdict.Lost, ledger.Judge(Name, null, [], Replicated));
    }

    [Fact]
    public void Judge_StandbyHoldsAnEarlierValue_IsLost()
    {
        var ledger = Ledger(Create(0), Edit(1, "Ada-1"), Edit(2, "Ada-2"));

        Assert.Equal(ChaosVerdict.Lost, ledger.Judge(Name, Standby("Ada-1"), [], Replicated));
    }

    [Fact]
    public void Judge_StandbyHoldsAValueNeverIntended_IsWrong()
    {
        var ledger = Ledger(Create(0), Edit(1, "Ada-1"));

        Assert.Equal(ChaosVerdict.Wrong, ledger.Judge(Name, Standby("Mallory"), [], Replicated));
    }

    [Fact]
    public void Judge_DeletedUserStillInTheStandby_IsLost()
    {
        var ledger = Ledger(Create(0), new ChaosChange(1, ChaosChangeKind.Delete, Name));

        Assert.Equal(ChaosVerdict.Lost, ledger.Judge(Name, Standby("Ada-0"), [], Replicated));
        Assert.Equal(ChaosVerdict.InStep, ledger.Judge(Name, null, [], Replicated));
    }

    [Fact]
    public void Judge_RecreatedUserMissingFromTheStandby_IsLost()
    {
        var ledger = Ledger(Create(0), new ChaosChange(1, ChaosChangeKind.Delete, Name), Create(2, ChaosChangeKind.Recreate));

        Assert.Equal(ChaosVerdict.Lost, ledger.Judge(Name, null, [], Replicated));
    }

    [Fact]
    public void Judge_MembershipNotYetRemoved_IsLostAndAnUnknownGroupIsWrong()
    {
        var ledger = Ledger(Create(0), Group(1, ChaosChangeKind.GroupAdd, "chaos-team-1"), Group(2, ChaosChangeKind.GroupRemove, "chaos-team-1"));

        Assert.Equal(ChaosVerdict.Lost, ledger.Judge(Name, Standby("Ada-0"), ["chaos-team-1"], Replicated));
        Assert.Equal(ChaosVerdict.Wrong, ledger.Judge(Name, Standby("Ada-0"), ["chaos-team-4"], Replicated));
    }

    [Fact]
    public void Judge_UserTheBenchmarkNeverCreated_IsWrong()
    {
        Assert.Equal(ChaosVerdict.Wrong, new ChaosLedger().Judge("chaos-99999", Standby("Ada-0") with { Username = "chaos-99999" }, [], Replicated));
    }

    [Fact]
    public void IsOldSubOfLiveUsername_OnlyForTheSubOfAnEarlierIncarnation()
    {
        var ledger = new ChaosLedger();
        ledger.Apply(Create(0), "sub-1");
        ledger.Apply(new ChaosChange(1, ChaosChangeKind.Delete, Name), null);
        Assert.False(ledger.IsOldSubOfLiveUsername("sub-1"));

        ledger.Apply(Create(2, ChaosChangeKind.Recreate), "sub-2");

        Assert.True(ledger.IsOldSubOfLiveUsername("sub-1"));
        Assert.False(ledger.IsOldSubOfLiveUsername("sub-2"));
        Assert.False(ledger.IsOldSubOfLiveUsername("sub-unknown"));
    }

    [Fact]
    public void Tally_StandbyAsIntendedButThePrimaryDiffers_IsWrong()
    {
        var ledger = Ledger(Create(0));
        var standby = Pool(Standby("Ada-0"));
        var primary = Pool(Standby("Ada-0") with { Enabled = false });

        var tally = ChaosComparison.Tally(ledger, standby, primary, Replicated);

        Assert.Equal(1, tally.Wrong);
        Assert.Equal(new[] { Name }, tally.PrimaryNotAsIntended);
        Assert.Empty(ChaosComparison.Tally(ledger, standby, standby, Replicated).Findings);
    }

    private static ChaosLedger Ledger(params ChaosChange[] changes)
    {
        var ledger = new ChaosLedger();
        foreach (var change in changes)
        {
            ledger.Apply(change, null);
        }

        return ledger;
    }

    private static ChaosChange Create(int sequence, ChaosChangeKind kind = ChaosChangeKind.Create) =>
        new(sequence, kind, Name, ViaSignUp: true, Attributes: new Dictionary<string, string> { ["email"] = ChaosPlan.Email(Name), ["given_name"] = $"Ada-{sequence}" });

    private static ChaosChange Edit(int sequence, string given) =>
        new(sequence, ChaosChangeKind.AttributeEdit, Name, Attributes: new Dictionary<string, string> { ["given_name"] = given });

    private static ChaosChange Group(int sequence, ChaosChangeKind kind, string group) => new(sequence, kind, Name, Group: group);

    private static DirectoryUser Standby(string given) =>
        new(Name, "standby-sub", new Dictionary<string, string> { ["email"] = ChaosPlan.Email(Name), ["given_name"] = given }, Enabled: true, UserStatuses.Confirmed);

    private static PoolState Pool(DirectoryUser user) =>
        new(new Dictionary<string, DirectoryUser> { [user.Attributes["email"]] = user }, new Dictionary<string, DirectoryGroup>(), new Dictionary<string, HashSet<string>>());
}
