using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using IdentityReplicator.Cli.Bench;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary>The hostile stream: seeded, spread over the writes, every sort present, each carrying the defect it is named for.</summary>
public sealed class HostilePlanTests
{
    private const string Primary = "us-east-1_Primary01";
    private const string Standby = "us-west-2_Standby01";

    private static readonly HostileKind[] Invalid = [HostileKind.LongUsername, HostileKind.UnprintableUsername, HostileKind.InvalidSub, HostileKind.LongGroupName];
    private static readonly HostileKind[] NeverExisted = [HostileKind.NeverExistedUser, HostileKind.NeverExistedSub, HostileKind.OtherPoolsUser, HostileKind.NeverExistedGroup];

    [Theory]
    [InlineData(0.05, 4000, 200)]
    [InlineData(0.1, 240, 24)]
    [InlineData(0.0001, 240, 1)]
    [InlineData(0, 4000, 0)]
    public void CountFor_ShareOfWrites_IsRoundedAndAtLeastOneWhenAsked(double share, int writes, int expected) =>
        Assert.Equal(expected, HostilePlan.CountFor(share, writes));

    [Fact]
    public void Generate_SameSeed_SameStreamInWriteOrderWithinTheWrites()
    {
        var first = HostilePlan.Generate(100, 500, Primary, Standby, seed: 7);
        var again = HostilePlan.Generate(100, 500, Primary, Standby, seed: 7);
        var other = HostilePlan.Generate(100, 500, Primary, Standby, seed: 8);

        Assert.Equal(100, first.Count);
        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.NotEqual(first.Select(Describe), other.Select(Describe));
        Assert.Equal(first.Select(h => h.AfterWrites).Order(), first.Select(h => h.AfterWrites));
        Assert.All(first, h => Assert.InRange(h.AfterWrites, 0, 499));
    }

    [Fact]
    public void Generate_AsManyAsThereAreSorts_HasEverySortOnce()
    {
        var kinds = Enum.GetValues<HostileKind>();

        var stream = HostilePlan.Generate(kinds.Length, 1000, Primary, Standby, seed: 1);

        Assert.Equal(kinds.Order(), stream.Select(h => h.Kind).Order());
    }

    [Fact]
    public void Generate_CloudTrailRecords_InvalidSortsBreakCognitosRulesAndTheOthersNameMadeUpIdentities()
    {
        var stream = HostilePlan.Generate(400, 1000, Primary, Standby, seed: 3);

        foreach (var input in stream.Where(h => h.Event?.DetailType == CloudTrailEvent.DetailType && h.Kind != HostileKind.MalformedRecord))
        {
            var record = CloudTrailEvent.Parse(Envelope(input.Event!), out var problem);
            Assert.True(record is not null, problem);
            var invalid = CognitoIdentifiers.Problem(record.Username, record.Sub, record.GroupName);
            if (Invalid.Contains(input.Kind))
            {
                Assert.NotNull(invalid);
            }
            else
            {
                Assert.Contains(input.Kind, NeverExisted);
                Assert.Null(invalid);
                Assert.True(record.Username is null || record.Username.StartsWith(HostilePlan.Prefix, StringComparison.Ordinal), input.Kind.ToString());
                Assert.True(record.GroupName is null || record.GroupName.StartsWith(HostilePlan.Prefix, StringComparison.Ordinal), input.Kind.ToString());
                Assert.Equal(input.Kind == HostileKind.OtherPoolsUser ? null : Primary, record.UserPoolId);
            }
        }
    }

    [Fact]
    public void Generate_MalformedRecordsAndHints_LackWhatCaptureNeeds()
    {
        var stream = HostilePlan.Generate(400, 1000, Primary, Standby, seed: 4);

        var malformed = stream.Where(h => h.Kind == HostileKind.MalformedRecord).ToList();
        Assert.NotEmpty(malformed);
        Assert.All(malformed, h => Assert.True(CloudTrailEvent.Parse(Envelope(h.Event!), out _) is null || h.Event!.Detail["requestParameters"] is JsonValue));
        Assert.All(stream.Where(h => h.Kind == HostileKind.MalformedHint), h =>
        {
            Assert.Equal(UserChangedEvent.DetailType, h.Event!.DetailType);
            Assert.True(h.Event.Detail["userPoolId"] is null || (h.Event.Detail["username"] is null && h.Event.Detail["sub"] is null));
        });
        Assert.All(stream.Where(h => h.Kind == HostileKind.InvalidHint), h =>
            Assert.NotNull(CognitoIdentifiers.Problem(h.Event!.Detail["username"]?.GetValue<string>(), h.Event.Detail["sub"]?.GetValue<string>(), null)));
    }

    [Theory]
    [InlineData(nameof(HostileKind.TriggerDuplicateKey), "duplicate-key")]
    [InlineData(nameof(HostileKind.TriggerLoneSurrogate), "lone-surrogate")]
    [InlineData(nameof(HostileKind.TriggerInvalidUtf8), "invalid-utf8")]
    public void Generate_TriggerPayloads_AreUnreadableForTheirReason(string kindName, string reason)
    {
        // HostileKind is internal to idrep, and a public test method cannot take it: the theory names it.
        var kind = Enum.Parse<HostileKind>(kindName);
        var payloads = HostilePlan.Generate(400, 1000, Primary, Standby, seed: 5).Where(h => h.Kind == kind).Select(h => h.Trigger!).ToList();

        Assert.NotEmpty(payloads);
        Assert.All(payloads, payload =>
        {
            Assert.False(InvocationPayload.TryRead(payload, out _, out var problem));
            Assert.Equal(reason, problem);
        });
    }

    [Fact]
    public void Generate_RequestNotObject_IsAReadableTriggerOfAMadeUpUserWhoseRequestIsText()
    {
        var payloads = HostilePlan.Generate(400, 1000, Primary, Standby, seed: 6).Where(h => h.Kind == HostileKind.TriggerRequestNotObject).Select(h => h.Trigger!).ToList();

        Assert.NotEmpty(payloads);
        Assert.All(payloads, payload =>
        {
            Assert.True(Utf8.IsValid(payload));
            Assert.True(InvocationPayload.TryRead(payload, out var json, out _));
            Assert.Equal("x", json!["request"]!.GetValue<string>());
            Assert.StartsWith(HostilePlan.Prefix, json["userName"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(json["userPoolId"]!.GetValue<string>(), new[] { Primary, Standby });
        });
    }

    [Fact]
    public void Generate_TriggerPayloads_ReachBothPoolsFromEveryTriggerSource()
    {
        string[] sources = ["PostConfirmation_ConfirmSignUp", "PostAuthentication_Authentication", "TokenGeneration_Authentication", "PreSignUp_SignUp"];

        var texts = HostilePlan.Generate(400, 1000, Primary, Standby, seed: 2).Where(h => h.Trigger is not null).Select(h => Encoding.UTF8.GetString(h.Trigger!)).ToList();

        Assert.All(
            from source in sources from pool in new[] { Primary, Standby } select (source, pool),
            pair => Assert.Contains(texts, t => t.Contains($"\"triggerSource\": \"{pair.source}\"", StringComparison.Ordinal) && t.Contains($"\"userPoolId\": \"{pair.pool}\"", StringComparison.Ordinal)));
    }

    private static JsonObject Envelope(HostileEvent e) =>
        new() { ["source"] = e.Source, ["detail-type"] = e.DetailType, ["detail"] = e.Detail.DeepClone() };

    private static string Describe(HostileInput h) =>
        $"{h.AfterWrites} {h.Kind} {h.Event?.Detail["eventID"]} {(h.Trigger is null ? string.Empty : Convert.ToHexString(h.Trigger))}";
}
