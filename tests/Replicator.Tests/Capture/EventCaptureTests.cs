using System.Text.Json.Nodes;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>CloudTrail and hint events against a real DynamoDB emulator, reading an in-memory primary pool.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class EventCaptureTests(DynaliteFixture dynalite)
{
    private const string Pool = TriggerEvents.PrimaryPool;
    private readonly InMemoryUserDirectory _primary = new(Pool, signInByEmail: true);

    [Fact]
    public async Task HandleAsync_AdminDisableUserNamedOnlyBySub_RecordsTheUserDisabled()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("ada@example.com", Attributes("ada@example.com"), enabled: false);
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDisableUser", Pool, sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.False(snapshot!.Profile!.Enabled);
        Assert.Equal(CaptureSource.CloudTrail, snapshot.ChangeSource);
    }

    [Fact]
    public async Task HandleAsync_UsernameNotRedacted_ReadsTheUserByIt()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("bob@example.com", Attributes("bob@example.com", tier: "enterprise"));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", Pool, sub: null, username: username), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        Assert.Equal("enterprise", (await h.Mirror.GetUserAsync(username, CancellationToken.None))!.Profile!.Attributes["custom:tier"]);
    }

    [Fact]
    public async Task HandleAsync_MembershipChange_RecordsGroups()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("cy@example.com", Attributes("cy@example.com"), groups: ["editors"]);
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;

        await h.Capture.HandleAsync(CloudTrailEvents.Call("AdminAddUserToGroup", new JsonObject { ["userPoolId"] = Pool, ["username"] = CloudTrailEvents.Hidden, ["groupName"] = "editors" }, sub), CancellationToken.None);

        Assert.Equal(["editors"], (await h.Mirror.GetUserAsync(username, CancellationToken.None))!.Groups!.Value.ToArray());
    }

    [Fact]
    public async Task HandleAsync_AdminDeleteUserOfARecordedUser_RecordsATombstone()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("dee@example.com", Attributes("dee@example.com"));
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;
        await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", Pool, sub), CancellationToken.None);
        await _primary.DeleteUserAsync(username, CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Tombstoned, result.Outcome);
        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.True(snapshot!.Deleted);
        Assert.Null(snapshot.Profile);
    }

    [Fact]
    public async Task HandleAsync_DeleteUserWithAnAccessTokenAndNoPoolId_IsStillTombstonedBySub()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("eve@example.com", Attributes("eve@example.com"));
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;
        await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminEnableUser", Pool, sub), CancellationToken.None);
        await _primary.DeleteUserAsync(username, CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Call("DeleteUser", new JsonObject { ["accessToken"] = CloudTrailEvents.Hidden }, sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Tombstoned, result.Outcome);
    }

    [Fact]
    public async Task HandleAsync_RedactedAndNoSub_RequestsOneCoalescedSweep()
    {
        var h = await CreateAsync();

        var first = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", Pool, sub: null), CancellationToken.None);
        await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDisableUser", Pool, sub: null), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.SweepRequested, first.Outcome);
        var pending = await h.Sweeps.PendingAsync(Pool, CancellationToken.None);
        Assert.NotNull(pending);
        Assert.Equal(2, pending.Count);
    }

    [Theory]
    [InlineData("CreateGroup")]
    [InlineData("UpdateGroup")]
    public async Task HandleAsync_GroupCreatedOrUpdated_RecordsTheGroupAsThePrimaryHasIt(string eventName)
    {
        var h = await CreateAsync();
        _primary.SeedGroup(new DirectoryGroup("editors", "Can edit", 5, "arn:aws:iam::123456789012:role/editors"));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.GroupCall(eventName, Pool, "editors"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var group = await h.Mirror.GetGroupAsync("editors", CancellationToken.None);
        Assert.Equal("Can edit", group!.Description);
        Assert.Equal(5, group.Precedence);
        Assert.False(group.Deleted);
    }

    [Fact]
    public async Task HandleAsync_RecordedGroupDeleted_RecordsAGroupTombstone()
    {
        var h = await CreateAsync();
        _primary.SeedGroup(new DirectoryGroup("gone", "Soon gone"));
        await h.Capture.HandleAsync(CloudTrailEvents.GroupCall("CreateGroup", Pool, "gone"), CancellationToken.None);
        await _primary.DeleteGroupAsync("gone", CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.GroupCall("DeleteGroup", Pool, "gone"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Tombstoned, result.Outcome);
        Assert.True((await h.Mirror.GetGroupAsync("gone", CancellationToken.None))!.Deleted);
    }

    [Fact]
    public async Task HandleAsync_FailedCall_ChangesNothing()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("fay@example.com", Attributes("fay@example.com"));
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, sub, errorCode: "UserNotFoundException"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Null(await h.Mirror.GetUserAsync(username, CancellationToken.None));
        Assert.Equal(0, _primary.Calls.Values.Sum());
    }

    [Fact]
    public async Task HandleAsync_AnotherPool_IsIgnoredWithoutReadingAnything()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDisableUser", "us-west-2_Other0001", "11111111-2222-3333-4444-555555555555"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Equal(0, _primary.Calls.Values.Sum());
    }

    [Theory]
    [InlineData("AdminGetUser")]
    [InlineData("ListUsers")]
    [InlineData("InitiateAuth")]
    [InlineData("SignUp")]
    public async Task HandleAsync_OperationThatChangesNothingReplicated_IsIgnored(string eventName)
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall(eventName, Pool, "11111111-2222-3333-4444-555555555555"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
    }

    [Fact]
    public async Task HandleAsync_UserChangedHintBySub_RecordsTheUserWithGroups()
    {
        var h = await CreateAsync();
        var username = _primary.Seed("gus@example.com", Attributes("gus@example.com"), groups: ["admins"]);
        var sub = _primary.Users.Single(u => u.Username == username).Sub!;

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Hint(Pool, sub: sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.Equal(CaptureSource.ApplicationHint, snapshot!.ChangeSource);
        Assert.Equal(["admins"], snapshot.Groups!.Value.ToArray());
    }

    [Fact]
    public async Task HandleAsync_UserChangedHintWithoutUser_IsMalformed()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Hint(Pool), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Malformed, result.Outcome);
    }

    [Fact]
    public async Task FunctionHandleAsync_BatchWithMalformedAndFailingEvents_CapturesTheRestAndReportsTheFailure()
    {
        var h = await CreateAsync();
        var good = _primary.Seed("hal@example.com", Attributes("hal@example.com"), enabled: false);
        var goodSub = _primary.Users.Single(u => u.Username == good).Sub!;
        var failing = _primary.Seed("ivy@example.com", Attributes("ivy@example.com"));
        var failingSub = _primary.Users.Single(u => u.Username == failing).Sub!;

        // In a pool that signs in by email the username is the sub, so the first read (FindUser by sub) finds the user.
        _primary.FailNext("FindUser", Core.Cognito.CognitoErrors.Create("InternalErrorException", "boom", System.Net.HttpStatusCode.InternalServerError));
        var batch = new JsonArray(
            new JsonObject { ["detail-type"] = "AWS API Call via CloudTrail", ["source"] = "aws.cognito-idp" },
            CloudTrailEvents.UserCall("AdminDisableUser", Pool, failingSub),
            (JsonNode)"not an object",
            CloudTrailEvents.UserCall("AdminDisableUser", Pool, goodSub));

        var error = await Assert.ThrowsAsync<EventCaptureFailedException>(() => h.Function.HandleAsync(batch, CancellationToken.None));

        Assert.Contains("1 of 4", error.Message, StringComparison.Ordinal);
        Assert.False((await h.Mirror.GetUserAsync(good, CancellationToken.None))!.Profile!.Enabled);
    }

    [Fact]
    public async Task FunctionHandleAsync_SqsBatch_ReportsOnlyTheFailedMessage()
    {
        var h = await CreateAsync();
        var good = _primary.Seed("jo@example.com", Attributes("jo@example.com"));
        var goodSub = _primary.Users.Single(u => u.Username == good).Sub!;
        _primary.FailNext("FindUserBySub", Core.Cognito.CognitoErrors.Create("InternalErrorException", "boom", System.Net.HttpStatusCode.InternalServerError));
        var sqs = new JsonObject
        {
            ["Records"] = new JsonArray(
                new JsonObject { ["messageId"] = "m-fail", ["body"] = CloudTrailEvents.UserCall("AdminEnableUser", Pool, "99999999-0000-0000-0000-000000000000").ToJsonString() },
                new JsonObject { ["messageId"] = "m-bad", ["body"] = "{ not json" },
                new JsonObject { ["messageId"] = "m-good", ["body"] = CloudTrailEvents.UserCall("AdminEnableUser", Pool, goodSub).ToJsonString() }),
        };

        var response = await h.Function.HandleAsync(sqs, CancellationToken.None);

        var failures = response!["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()).ToList();
        Assert.Equal(["m-fail"], failures);
        Assert.NotNull(await h.Mirror.GetUserAsync(good, CancellationToken.None));
    }

    private static Dictionary<string, string> Attributes(string email, string tier = "pro") => new()
    {
        ["email"] = email,
        ["email_verified"] = "true",
        ["custom:tier"] = tier,
    };

    private Task<EventCaptureHarness> CreateAsync() => EventCaptureHarness.CreateAsync(dynalite, _primary);
}
