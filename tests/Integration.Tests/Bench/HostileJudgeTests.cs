using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Sandbox.EventBridge;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The rules a hostile delivery must keep, and that breaking one fails the run.</summary>
public sealed class HostileJudgeTests
{
    [Fact]
    public void Event_TakenAtTheFirstAttempt_BreaksNothing() =>
        Assert.Null(HostileJudge.Event(HostileKind.LongUsername, new DeliveryReport(Targets: 1, FailedAttempts: 0, Undelivered: 0)));

    [Theory]
    [InlineData(1, 1, 0, "delivered again")]
    [InlineData(1, 3, 1, "dead-letter")]
    [InlineData(0, 0, 0, "tested nothing")]
    public void Event_RetriedOrLostOrTakenByNoRule_IsAFailure(int targets, int failedAttempts, int undelivered, string expected)
    {
        var problem = HostileJudge.Event(HostileKind.InvalidSub, new DeliveryReport(targets, failedAttempts, undelivered));

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.StartsWith("InvalidSub", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Trigger_AnsweredWithTheSameBytes_BreaksNothing() =>
        Assert.Null(HostileJudge.Trigger(HostileKind.TriggerInvalidUtf8, HttpStatusCode.OK, null, [1, 2, 0xFF], [1, 2, 0xFF]));

    [Theory]
    [InlineData(HttpStatusCode.OK, null, new byte[] { 1, 2 }, "not the 3")]
    [InlineData(HttpStatusCode.OK, "Unhandled", new byte[] { 1, 2, 0xFF }, "the function failed")]
    [InlineData(HttpStatusCode.BadRequest, null, new byte[] { 1, 2, 0xFF }, "answered 400")]
    public void Trigger_OtherBytesOrAFunctionErrorOrARefusal_IsAFailure(HttpStatusCode status, string? functionError, byte[] answered, string expected)
    {
        var problem = HostileJudge.Trigger(HostileKind.TriggerDuplicateKey, status, functionError, [1, 2, 0xFF], answered);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ForeignItems_OnlyTheApplicationsUsersAndGroups_FindsNothing()
    {
        var mirror = Mirror([User("chaos-00001"), User("chaos-00002", deleted: true)], [Group("chaos-team-0")]);

        Assert.Empty(HostileJudge.ForeignItems(mirror, ["chaos-00001", "Chaos-00002"], caseSensitive: false, ["chaos-team-0", "chaos-team-1"]));
    }

    [Fact]
    public void ForeignItems_ATombstoneOrSnapshotOfAUserOrGroupNeverMade_IsNamedByFingerprint()
    {
        var mirror = Mirror([User("chaos-00001"), User("hostile-00003", deleted: true), User("hostile-00004")], [Group("chaos-team-0"), Group("hostile-00005")]);

        var foreign = HostileJudge.ForeignItems(mirror, ["chaos-00001"], caseSensitive: false, ["chaos-team-0"]);

        Assert.Equal(3, foreign.Count);
        Assert.Contains(foreign, f => f.Contains("a tombstone", StringComparison.Ordinal) && f.Contains(IdentityKeys.Fingerprint("hostile-00003"), StringComparison.Ordinal));
        Assert.Contains(foreign, f => f.Contains("a snapshot", StringComparison.Ordinal) && f.Contains("group", StringComparison.Ordinal));
        Assert.DoesNotContain(foreign, f => f.Contains("hostile-", StringComparison.Ordinal));
    }

    [Fact]
    public void ChaosBenchResult_AHostileFailure_FailsTheRunAndIsCountedInTheJsonLine()
    {
        var clean = Result(HostileTally.None with { Delivered = 12, Rejected = 7 });
        var failed = Result(new HostileTally(12, 7, ["TriggerRequestNotObject: the function failed (Unhandled)"], new Dictionary<string, long>()));

        Assert.True(clean.Passed);
        Assert.False(failed.Passed);
        var line = JsonNode.Parse(failed.ToJsonLine())!;
        Assert.Equal(12, line["hostile"]!.GetValue<int>());
        Assert.Equal(7, line["hostileRejected"]!.GetValue<long>());
        Assert.Equal(1, line["hostileFailures"]!.GetValue<int>());
        Assert.Equal(2, line["workers"]!.GetValue<int>());
    }

    private static ChaosBenchResult Result(HostileTally hostile) =>
        new(new ChaosBenchOptions(Users: 10, Changes: 10) { Workers = 2 }, 1, new ChaosTally([], []), 0, 0, true, 1.0, new BudgetUse(1, 1, 1, 1, 1), 0, new FaultCounters(0, 0, 0), 0, 0, 1.0)
        {
            Hostile = hostile,
        };

    private static MirrorContents Mirror(UserSnapshot[] users, GroupSnapshot[] groups) => new(
        users.ToDictionary(u => u.Key, StringComparer.Ordinal),
        groups.ToDictionary(g => g.Name, StringComparer.Ordinal),
        new Dictionary<EntityId, AppliedState>());

    private static UserSnapshot User(string username, bool deleted = false) => new()
    {
        Key = IdentityKeys.ForUsername(username, caseSensitive: false),
        Username = username,
        SourcePoolId = "us-east-1_Primary01",
        Deleted = deleted,
    };

    private static GroupSnapshot Group(string name) => new() { Name = name, SourcePoolId = "us-east-1_Primary01" };
}
