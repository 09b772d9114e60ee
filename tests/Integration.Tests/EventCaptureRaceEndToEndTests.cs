using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// A username deleted and taken again, end to end in a sandbox whose pools sign in by username: CloudTrail records and
/// hints about the old user's sub that arrive late (as EventBridge and Lambda retries deliver them) leave the new user
/// alone — in the mirror and in the standby. The worker's sweep is off, so only events carry changes.
/// </summary>
public sealed class EventCaptureRaceEndToEndTests
{
    private const string Username = "race-000";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task LateCloudTrailRecordsAndHintForTheOldSub_AfterTheUsernameWasTakenAgain_LeaveTheLiveUserInMirrorAndStandby()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { SignInByEmail = false });
        await using var worker = await sandbox.StartWorkerAsync(new Dictionary<string, string?> { ["Sweep:Enabled"] = "false" });
        var pool = sandbox.Primary.UserPoolId;
        var primary = sandbox.Client(sandbox.Primary);
        var standby = sandbox.UserDirectory(sandbox.Standby);
        var mirror = sandbox.Mirror();

        // The first race-000: created, edited, disabled, deleted; each call leaves its CloudTrail record.
        var oldSub = await CreateAsync(primary, pool, "old");
        await Eventually.TrueAsync(async () => await standby.FindUserAsync(Username, CancellationToken.None) is not null, Bound, "the first race-000 to be replicated");
        await primary.AdminUpdateUserAttributesAsync(new AdminUpdateUserAttributesRequest(pool, Username, [new AttributeType("custom:plan", "trial")]));
        await primary.AdminDisableUserAsync(new AdminDisableUserRequest(pool, Username));
        await primary.AdminDeleteUserAsync(new AdminDeleteUserRequest(pool, Username));
        await Eventually.TrueAsync(async () => await standby.FindUserAsync(Username, CancellationToken.None) is null, Bound, "the first race-000 to be deleted in the standby");

        // The second race-000, with a new sub; settled in the mirror and the standby.
        var newSub = await CreateAsync(primary, pool, "new");
        await Eventually.TrueAsync(
            async () => (await standby.FindUserAsync(Username, CancellationToken.None))?.Attributes.GetValueOrDefault("custom:tier") == "new",
            Bound,
            "the second race-000 to be replicated");
        var standbyBefore = (await standby.FindUserAsync(Username, CancellationToken.None))!;

        // Cognito's records of the old user's calls, delivered again late: the username hidden, the user named by sub.
        var late = new List<JsonObject>();
        foreach (var eventName in new[] { "AdminDeleteUser", "AdminUpdateUserAttributes", "AdminDisableUser" })
        {
            var record = RecordOf(sandbox, eventName, oldSub);
            Assert.Equal(CloudTrailEvent.Redacted, record["requestParameters"]?["username"]?.GetValue<string>());
            late.Add(record);
        }

        var hints = sandbox.Hints(sandbox.Primary);
        foreach (var deliver in late.Select(r => (Func<Task>)(() => Task.FromResult(sandbox.EventBus.Publish(CloudTrailEvent.Source, CloudTrailEvent.DetailType, r))))
            .Append(() => hints.PublishAsync(pool, sub: oldSub)))
        {
            // Each late event makes the Replicator read race-000 again: wait for that read, then look.
            var before = (await mirror.GetUserAsync(Username, CancellationToken.None))!.ProfileVersion;
            await deliver();
            await Eventually.TrueAsync(
                async () => await mirror.GetUserAsync(Username, CancellationToken.None) is { } now && (now.ProfileVersion > before || now.Deleted),
                Bound,
                "the late event to be captured");

            var recorded = (await mirror.GetUserAsync(Username, CancellationToken.None))!;
            Assert.False(recorded.Deleted, "a late event about the old sub tombstoned the live race-000 in the mirror");
            Assert.Equal(newSub, recorded.Sub);
        }

        // A marker user replicated after the late events means the reconciler has read the feed past them.
        var marker = await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, "marker@example.com");
        await Eventually.TrueAsync(async () => await standby.FindUserAsync(marker.Username, CancellationToken.None) is not null, Bound, "the marker user to be replicated");
        var standbyAfter = await standby.FindUserAsync(Username, CancellationToken.None);
        Assert.NotNull(standbyAfter);
        Assert.Equal(standbyBefore.Sub, standbyAfter.Sub);
        Assert.Equal("new", standbyAfter.Attributes.GetValueOrDefault("custom:tier"));
        Assert.True(standbyAfter.Enabled);
    }

    /// <summary>Creates race-000 in the primary (no message); returns its sub.</summary>
    private static async Task<string> CreateAsync(CognitoIdentityProviderClient primary, string pool, string tier)
    {
        var created = await primary.AdminCreateUserAsync(new AdminCreateUserRequest
        {
            UserPoolId = pool,
            Username = Username,
            MessageAction = "SUPPRESS",
            TemporaryPassword = "Temporary-Passw0rd!",
            UserAttributes = [new AttributeType("email", "race@example.com"), new AttributeType("email_verified", "true"), new AttributeType("custom:tier", tier)],
        });
        return created.User!.Attributes!.Single(a => a.Name == "sub").Value!;
    }

    /// <summary>The CloudTrail record (the event's detail) the sandbox published for this call on the user with this sub.</summary>
    private static JsonObject RecordOf(SandboxEnvironment sandbox, string eventName, string sub) =>
        (JsonObject)sandbox.EventBus.Events
            .Where(e => e["source"]?.GetValue<string>() == CloudTrailEvent.Source)
            .Select(e => e["detail"]!)
            .Last(d => d["eventName"]?.GetValue<string>() == eventName && d["additionalEventData"]?["sub"]?.GetValue<string>() == sub)
            .DeepClone();
}
