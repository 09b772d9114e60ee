using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Bench;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The replay picks only stale user events of the primary: the user changed after them.</summary>
public sealed class CloudTrailReplayTests
{
    private const string Pool = "local_primary";

    [Fact]
    public void Sample_WholeShare_TakesEventsFollowedByAnotherOfTheSameSubAndEventsOfAnOldSub()
    {
        var ledger = new ChaosLedger();
        ledger.Apply(Create(0, "chaos-00000"), "sub-a");
        ledger.Apply(Create(1, "chaos-00001"), "sub-old");
        ledger.Apply(new ChaosChange(2, ChaosChangeKind.Delete, "chaos-00001"), null);
        ledger.Apply(Create(3, "chaos-00001", ChaosChangeKind.Recreate), "sub-new");
        JsonObject[] events =
        [
            Record("AdminUpdateUserAttributes", "sub-a"),
            Record("AdminDisableUser", "sub-a"),
            Record("AdminDeleteUser", "sub-old"),
            Record("AdminCreateUser", "sub-new"),
            Record("AdminUpdateUserAttributes", "sub-a", errorCode: "UserNotFoundException"),
            Record("AdminUpdateUserAttributes", "sub-a", pool: "local_standby"),
            Record("CreateGroup", null),
            Record("AdminEnableUser", "sub-a"),
        ];

        var sample = CloudTrailReplay.Sample(events, Pool, ledger, share: 1.0, seed: 1);

        Assert.Equal(new[] { events[2] }, sample.OldSubs);
        Assert.Equal(new[] { events[0], events[1] }, sample.Followed.OrderBy(e => Array.IndexOf(events, e)));
    }

    [Fact]
    public void Sample_SmallShare_TakesAtLeastOneOfEachSort()
    {
        var ledger = new ChaosLedger();
        ledger.Apply(Create(0, "chaos-00001"), "sub-old");
        ledger.Apply(new ChaosChange(1, ChaosChangeKind.Delete, "chaos-00001"), null);
        ledger.Apply(Create(2, "chaos-00001", ChaosChangeKind.Recreate), "sub-new");
        var events = Enumerable.Range(0, 50).Select(_ => Record("AdminUpdateUserAttributes", "sub-a")).Append(Record("AdminDeleteUser", "sub-old")).ToList();

        var sample = CloudTrailReplay.Sample(events, Pool, ledger, share: 0.01, seed: 1);

        Assert.Equal(new[] { events[^1] }, sample.OldSubs);
        Assert.Single(sample.Followed);
        Assert.Empty(CloudTrailReplay.Sample(events, Pool, ledger, share: 0, seed: 1).All);
    }

    private static ChaosChange Create(int sequence, string username, ChaosChangeKind kind = ChaosChangeKind.Create) =>
        new(sequence, kind, username, Attributes: new Dictionary<string, string> { ["email"] = ChaosPlan.Email(username) });

    private static JsonObject Record(string eventName, string? sub, string? errorCode = null, string pool = Pool)
    {
        var detail = new JsonObject
        {
            ["eventName"] = eventName,
            ["requestParameters"] = new JsonObject { ["userPoolId"] = pool, ["username"] = "HIDDEN_DUE_TO_SECURITY_REASONS", ["groupName"] = sub is null ? "chaos-team-1" : null },
        };
        if (sub is not null)
        {
            detail["additionalEventData"] = new JsonObject { ["sub"] = sub };
        }

        if (errorCode is not null)
        {
            detail["errorCode"] = errorCode;
        }

        return new JsonObject { ["source"] = "aws.cognito-idp", ["detail-type"] = "AWS API Call via CloudTrail", ["detail"] = detail };
    }
}
