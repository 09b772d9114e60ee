using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>
/// Which user an event is about, in a pool with chosen usernames (where a username can be deleted and taken again by a
/// new user with a new sub): a late or repeated event never tombstones a username a live user holds; an event whose
/// user cannot be found in the source pool is counted and dropped without a sweep; identifiers Cognito would reject
/// are dropped once, never retried.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class EventCaptureIdentityTests(DynaliteFixture dynalite)
{
    private const string Pool = TriggerEvents.PrimaryPool;
    private const string Username = "race-000";
    private static readonly string TooLong = new('a', 2048);
    private readonly InMemoryUserDirectory _primary = new(Pool, signInByEmail: false);

    [Theory]
    [InlineData("AdminDeleteUser")]
    [InlineData("AdminUpdateUserAttributes")]
    [InlineData("AdminDisableUser")]
    public async Task HandleAsync_LateEventForTheOldSubOfAReCreatedUsername_KeepsTheLiveUser(string eventName)
    {
        var h = await CreateAsync();
        var oldSub = await CreateCapturedAsync(h, "old");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);
        await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, oldSub), CancellationToken.None);
        var newSub = await CreateCapturedAsync(h, "new");

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall(eventName, Pool, oldSub), CancellationToken.None);

        Assert.NotEqual(EventCaptureOutcome.Tombstoned, result.Outcome);
        var snapshot = (await h.Mirror.GetUserAsync(Username, CancellationToken.None))!;
        Assert.False(snapshot.Deleted);
        Assert.Equal(newSub, snapshot.Sub);
        Assert.Equal("new", snapshot.Profile!.Attributes["custom:tier"]);
    }

    [Fact]
    public async Task HandleAsync_HintNamingOnlyTheOldSub_KeepsTheLiveUser()
    {
        var h = await CreateAsync();
        var oldSub = await CreateCapturedAsync(h, "old");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);
        var newSub = await CreateCapturedAsync(h, "new");

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Hint(Pool, sub: oldSub), CancellationToken.None);

        Assert.NotEqual(EventCaptureOutcome.Tombstoned, result.Outcome);
        var snapshot = (await h.Mirror.GetUserAsync(Username, CancellationToken.None))!;
        Assert.False(snapshot.Deleted);
        Assert.Equal(newSub, snapshot.Sub);
    }

    [Fact]
    public async Task HandleAsync_OldSubWhileTheMirrorHasNotSeenTheNewUserYet_RecordsTheNewUser()
    {
        var h = await CreateAsync();
        var oldSub = await CreateCapturedAsync(h, "old");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);
        var newSub = SubOf(_primary.Seed(Username, Attributes("new")));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, oldSub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        var snapshot = (await h.Mirror.GetUserAsync(Username, CancellationToken.None))!;
        Assert.False(snapshot.Deleted);
        Assert.Equal(newSub, snapshot.Sub);
    }

    [Fact]
    public async Task HandleAsync_OldSubWhenTheUsernameIsFreeButRecordedForAnotherSub_WritesNoTombstone()
    {
        // The mirror holds the new user; it is gone from the source too, but its own deletion event is the one to say
        // so: an event about the old sub may not decide for a user it does not name.
        var h = await CreateAsync();
        var oldSub = await CreateCapturedAsync(h, "old");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);
        await CreateCapturedAsync(h, "new");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, oldSub), CancellationToken.None);

        Assert.NotEqual(EventCaptureOutcome.Tombstoned, result.Outcome);
        Assert.False((await h.Mirror.GetUserAsync(Username, CancellationToken.None))!.Deleted);
    }

    [Fact]
    public async Task HandleAsync_DeleteEventForTheSubTheMirrorRecorded_TombstonesTheUsername()
    {
        var h = await CreateAsync();
        var sub = await CreateCapturedAsync(h, "only");
        await _primary.DeleteUserAsync(Username, CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Tombstoned, result.Outcome);
        Assert.True((await h.Mirror.GetUserAsync(Username, CancellationToken.None))!.Deleted);
    }

    [Theory]
    [InlineData("UpdateUserAttributes")]
    [InlineData("DeleteUser")]
    [InlineData("VerifyUserAttribute")]
    public async Task HandleAsync_SelfServiceCallOfAnotherPoolsUser_IsCountedUnresolvedWithoutCognitoCallsOrSweep(string eventName)
    {
        var h = await CreateAsync();
        using var captured = new MetricCollector<long>(ReplicationMetrics.Captured);

        var result = await h.Capture.HandleAsync(SelfService(eventName, Guid.NewGuid().ToString()), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Empty(_primary.Calls);
        Assert.Null(await h.Sweeps.PendingAsync(Pool, CancellationToken.None));
        Assert.Contains(captured.GetMeasurementSnapshot(), m => Equals(m.Tags["outcome"], nameof(EventCaptureOutcome.Unresolved)));
    }

    [Fact]
    public async Task HandleAsync_SelfServiceCallNamingNeitherPoolNorUser_IsUnresolvedWithoutASweep()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(SelfService("DeleteUser", sub: null), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Null(await h.Sweeps.PendingAsync(Pool, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_SelfServiceCallOfARecordedUser_RecordsItsCurrentState()
    {
        var h = await CreateAsync();
        var sub = await CreateCapturedAsync(h, "before");
        await _primary.UpdateAttributesAsync(Username, new Dictionary<string, string> { ["custom:tier"] = "after" }, CancellationToken.None);

        var result = await h.Capture.HandleAsync(SelfService("UpdateUserAttributes", sub), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        Assert.Equal("after", (await h.Mirror.GetUserAsync(Username, CancellationToken.None))!.Profile!.Attributes["custom:tier"]);
    }

    [Fact]
    public async Task HandleAsync_SourcePoolEventWithASubNoUserHas_IsUnresolvedWithoutASweepOrAWrite()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, Guid.NewGuid().ToString()), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Null(await h.Sweeps.PendingAsync(Pool, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_HintNamingAUsernameThatNeverExisted_WritesNothing()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Hint(Pool, username: "never-was"), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Unresolved, result.Outcome);
        Assert.Null(await h.Mirror.GetUserAsync("never-was", CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_UnredactedDeleteOfAUsernameThatNeverExisted_WritesNothing()
    {
        var h = await CreateAsync();

        await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDeleteUser", Pool, sub: null, username: "never-was"), CancellationToken.None);

        Assert.Null(await h.Mirror.GetUserAsync("never-was", CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_GroupDeletedThatTheMirrorNeverHad_WritesNothing()
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(CloudTrailEvents.GroupCall("DeleteGroup", Pool, "never-was"), CancellationToken.None);

        Assert.NotEqual(EventCaptureOutcome.Tombstoned, result.Outcome);
        Assert.Null(await h.Mirror.GetGroupAsync("never-was", CancellationToken.None));
    }

    [Fact]
    public async Task FunctionHandleAsync_CloudTrailEventWithA2048CharacterUsername_IsDroppedOnceWithoutACognitoCall()
    {
        var h = await CreateAsync();
        RejectLikeCognito("FindUser");
        using var captured = new MetricCollector<long>(ReplicationMetrics.Captured);

        var reply = await h.Function.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", Pool, sub: null, username: TooLong), CancellationToken.None);

        Assert.Null(reply);
        Assert.Equal(0, _primary.Calls.GetValueOrDefault("FindUser"));
        Assert.Null(await h.Sweeps.PendingAsync(Pool, CancellationToken.None));
        Assert.Contains(captured.GetMeasurementSnapshot(), m => Equals(m.Tags["outcome"], nameof(EventCaptureOutcome.Invalid)));
    }

    [Theory]
    [InlineData("CreateGroup")]
    [InlineData("DeleteGroup")]
    public async Task FunctionHandleAsync_GroupEventWithA2048CharacterGroupName_IsDroppedOnceWithoutACognitoCall(string eventName)
    {
        var h = await CreateAsync();
        RejectLikeCognito("GetGroup");

        var reply = await h.Function.HandleAsync(CloudTrailEvents.GroupCall(eventName, Pool, TooLong), CancellationToken.None);

        Assert.Null(reply);
        Assert.Equal(0, _primary.Calls.GetValueOrDefault("GetGroup"));
        Assert.Equal(EventCaptureOutcome.Invalid, (await h.Capture.HandleAsync(CloudTrailEvents.GroupCall(eventName, Pool, TooLong), CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData("username")]
    [InlineData("sub")]
    public async Task HandleAsync_HintWithAnIdentifierCognitoWouldReject_IsInvalid(string field)
    {
        var h = await CreateAsync();

        var result = await h.Capture.HandleAsync(
            field == "username" ? CloudTrailEvents.Hint(Pool, username: TooLong) : CloudTrailEvents.Hint(Pool, sub: "not a \"sub\""),
            CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Invalid, result.Outcome);
        Assert.Empty(_primary.Calls);
    }

    [Fact]
    public async Task FunctionHandleAsync_CognitoAnswersInvalidParameter_DropsTheEventInsteadOfRetrying()
    {
        var h = await CreateAsync();
        RejectLikeCognito("FindUser");

        var reply = await h.Function.HandleAsync(CloudTrailEvents.Hint(Pool, username: "looks-fine"), CancellationToken.None);

        Assert.Null(reply);
        Assert.Equal(1, _primary.Calls.GetValueOrDefault("FindUser"));
    }

    [Fact]
    public async Task FunctionHandleAsync_SqsBatchWithAnInvalidEvent_ReportsNoFailureForIt()
    {
        var h = await CreateAsync();
        var sqs = new JsonObject
        {
            ["Records"] = new JsonArray(
                new JsonObject { ["messageId"] = "m-long", ["body"] = CloudTrailEvents.Hint(Pool, username: TooLong).ToJsonString() },
                new JsonObject { ["messageId"] = "m-group", ["body"] = CloudTrailEvents.GroupCall("UpdateGroup", Pool, TooLong).ToJsonString() }),
        };

        var response = await h.Function.HandleAsync(sqs, CancellationToken.None);

        Assert.Empty(response!["batchItemFailures"]!.AsArray());
    }

    /// <summary>Creates <see cref="Username"/> in the primary with this tier and captures it; returns its sub.</summary>
    private async Task<string> CreateCapturedAsync(EventCaptureHarness h, string tier)
    {
        var sub = SubOf(_primary.Seed(Username, Attributes(tier)));
        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminCreateUser", Pool, sub), CancellationToken.None);
        Assert.Equal(EventCaptureOutcome.Recorded, result.Outcome);
        return sub;
    }

    /// <summary>What Cognito answers when a parameter breaks its limits (the in-memory pool accepts anything).</summary>
    private void RejectLikeCognito(string operation) =>
        _primary.FailNext(operation, CognitoErrors.Create("InvalidParameterException", "1 validation error detected: Value at 'username' failed to satisfy constraint", HttpStatusCode.BadRequest));

    /// <summary>A call made with the user's access token: CloudTrail names no pool and no username, only the sub.</summary>
    private static JsonObject SelfService(string eventName, string? sub) =>
        CloudTrailEvents.Call(eventName, new JsonObject { ["accessToken"] = CloudTrailEvents.Hidden, ["userAttributes"] = CloudTrailEvents.Hidden }, sub);

    private string SubOf(string username) => _primary.Users.Single(u => u.Username == username).Sub!;

    private static Dictionary<string, string> Attributes(string tier) => new()
    {
        ["email"] = $"{Username}@example.com",
        ["email_verified"] = "true",
        ["custom:tier"] = tier,
    };

    private Task<EventCaptureHarness> CreateAsync() => EventCaptureHarness.CreateAsync(dynalite, _primary);
}
