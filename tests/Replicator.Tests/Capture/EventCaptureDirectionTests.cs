using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>
/// CloudTrail and hint capture follow the replication control item: the pool it names as the source is read (through
/// the function's directory for that pool) and recorded; events of any other pool are ignored without a Cognito read.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class EventCaptureDirectionTests(DynaliteFixture dynalite)
{
    private const string PrimaryPool = TriggerEvents.PrimaryPool;
    private const string StandbyPool = "us-west-2_Standby1";
    private readonly InMemoryUserDirectory _primary = new(PrimaryPool, signInByEmail: true);
    private readonly InMemoryUserDirectory _standby = new(StandbyPool, signInByEmail: true);

    [Fact]
    public async Task HandleAsync_BeforeAnyFailover_ReadsAndRecordsTheConfiguredPrimary()
    {
        var h = await CreateAsync(reversed: false);
        var username = _primary.Seed("ada@example.com", Attributes("ada@example.com"), enabled: false);

        var result = await h.Function.HandleAsync(CloudTrailEvents.UserCall("AdminDisableUser", PrimaryPool, SubOf(_primary, username)), CancellationToken.None);

        Assert.Null(result);
        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.Equal(PrimaryPool, snapshot?.SourcePoolId);
        Assert.False(snapshot!.Profile!.Enabled);
        Assert.Empty(_standby.Calls);
    }

    [Fact]
    public async Task HandleAsync_ControlReversed_ReadsAndRecordsTheStandbyThroughItsOwnDirectory()
    {
        var h = await CreateAsync(reversed: true);
        var username = _standby.Seed("bob@example.com", Attributes("bob@example.com", tier: "enterprise"), enabled: false);

        await h.Function.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", StandbyPool, SubOf(_standby, username)), CancellationToken.None);

        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.Equal(StandbyPool, snapshot?.SourcePoolId);
        Assert.Equal(CaptureSource.CloudTrail, snapshot!.ChangeSource);
        Assert.Equal("enterprise", snapshot.Profile!.Attributes["custom:tier"]);
        Assert.False(snapshot.Profile.Enabled);
        Assert.Empty(_primary.Calls);
    }

    [Fact]
    public async Task HandleAsync_ControlReversed_HintForTheStandbyIsRecordedFromIt()
    {
        var h = await CreateAsync(reversed: true);
        var username = _standby.Seed("cy@example.com", Attributes("cy@example.com"), groups: ["editors"]);

        await h.Function.HandleAsync(CloudTrailEvents.Hint(StandbyPool, sub: SubOf(_standby, username)), CancellationToken.None);

        var snapshot = await h.Mirror.GetUserAsync(username, CancellationToken.None);
        Assert.Equal(StandbyPool, snapshot?.SourcePoolId);
        Assert.Equal(["editors"], snapshot!.Groups!.Value.ToArray());
    }

    [Fact]
    public async Task HandleAsync_ControlReversed_GroupChangeIsReadFromTheStandby()
    {
        var h = await CreateAsync(reversed: true);
        _standby.SeedGroup(new DirectoryGroup("editors", "Can edit", 5, null));

        await h.Function.HandleAsync(CloudTrailEvents.GroupCall("UpdateGroup", StandbyPool, "editors"), CancellationToken.None);

        var group = await h.Mirror.GetGroupAsync("editors", CancellationToken.None);
        Assert.Equal("Can edit", group?.Description);
        Assert.Equal(StandbyPool, group?.SourcePoolId);
    }

    [Fact]
    public async Task HandleAsync_ControlReversedAndUserNotNamed_RequestsASweepOfTheStandby()
    {
        var h = await CreateAsync(reversed: true);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminDisableUser", StandbyPool, sub: null), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.SweepRequested, result.Outcome);
        Assert.NotNull(await h.Sweeps.PendingAsync(StandbyPool, CancellationToken.None));
        Assert.Null(await h.Sweeps.PendingAsync(PrimaryPool, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_BeforeAnyFailover_StandbyEventsAreIgnoredWithoutACognitoRead()
    {
        // The reconciler's own apply calls on the standby show up in CloudTrail too; they must cost no Cognito read.
        var h = await CreateAsync(reversed: false);
        var username = _standby.Seed("dee@example.com", Attributes("dee@example.com"));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", StandbyPool, SubOf(_standby, username)), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Empty(_standby.Calls);
        Assert.Null(await h.Mirror.GetUserAsync(username, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_ControlReversed_PrimarysEventsAreIgnoredWithoutACognitoRead()
    {
        var h = await CreateAsync(reversed: true);
        var username = _primary.Seed("eve@example.com", Attributes("eve@example.com"));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", PrimaryPool, SubOf(_primary, username)), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Empty(_primary.Calls);
        Assert.Null(await h.Mirror.GetUserAsync(username, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_ControlReversedButNoStandbyDirectory_IgnoresTheStandbysEventsAsBefore()
    {
        var h = await CreateAsync(reversed: true, withStandby: false);
        var username = _standby.Seed("fay@example.com", Attributes("fay@example.com"));

        var result = await h.Capture.HandleAsync(CloudTrailEvents.UserCall("AdminUpdateUserAttributes", StandbyPool, SubOf(_standby, username)), CancellationToken.None);

        Assert.Equal(EventCaptureOutcome.Ignored, result.Outcome);
        Assert.Null(await h.Mirror.GetUserAsync(username, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_ControlReversedAndTheSubIsOneThePrimaryRecorded_WritesNoTombstone()
    {
        // The mirror's record still names the primary's user (its UUID username, its sub): the standby has no user by
        // that username, but that says nothing about whether the user is gone.
        var h = await CreateAsync(reversed: true);
        var username = _primary.Seed("gil@example.com", Attributes("gil@example.com"));
        var beforeFailover = new DynamoDbMirrorStore(dynalite.Client, h.Options, TimeProvider.System);
        var observed = await new SourceReader(_primary, false, TimeProvider.System).ReadUserAsync(username, CaptureSource.CloudTrail, includeGroups: false, CancellationToken.None);
        await beforeFailover.RecordUserAsync(observed!, CancellationToken.None);

        var result = await h.Capture.HandleAsync(CloudTrailEvents.Hint(StandbyPool, sub: SubOf(_primary, username)), CancellationToken.None);

        Assert.NotEqual(EventCaptureOutcome.Tombstoned, result.Outcome);
        Assert.False((await h.Mirror.GetUserAsync(username, CancellationToken.None))!.Deleted);
    }

    private static string SubOf(InMemoryUserDirectory pool, string username) => pool.Users.Single(u => u.Username == username).Sub!;

    private static Dictionary<string, string> Attributes(string email, string tier = "pro") => new()
    {
        ["email"] = email,
        ["email_verified"] = "true",
        ["custom:tier"] = tier,
    };

    private static ReplicationControl Configured() => new()
    {
        Epoch = 0,
        SourceRegion = "us-east-1",
        SourcePoolId = PrimaryPool,
        TargetRegion = "us-west-2",
        TargetPoolId = StandbyPool,
    };

    private static ReplicationControl Reversed() => new()
    {
        Epoch = 2,
        SourceRegion = "us-west-2",
        SourcePoolId = StandbyPool,
        TargetRegion = "us-east-1",
        TargetPoolId = PrimaryPool,
    };

    private async Task<Harness> CreateAsync(bool reversed, bool withStandby = true)
    {
        var options = await dynalite.NewTableAsync();
        var control = new DynamoDbReplicationControlStore(dynalite.Client, options);
        if (reversed)
        {
            Assert.True(await control.TryAdvanceAsync(Reversed(), 0, CancellationToken.None));
        }

        var controlReader = new ReplicationControlReader(control, Configured(), TimeProvider.System);
        var mirror = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System, controlReader);
        var sweeps = new DynamoDbSweepRequests(dynalite.Client, options);
        var capture = new CaptureOptions { PrimaryPoolId = PrimaryPool };
        var standby = withStandby ? _standby : null;
        var eventCapture = new EventCapture(
            new SourceReader(_primary, false, TimeProvider.System),
            mirror,
            sweeps,
            capture,
            TimeProvider.System,
            NullLogger<EventCapture>.Instance,
            controlReader,
            standby is null ? null : [new SourceReader(standby, false, TimeProvider.System)]);
        var function = ReplicatorFunction.Create(dynalite.Client, _primary, options, capture, NullLoggerFactory.Instance, TimeProvider.System, controlReader, standby);
        return new Harness(eventCapture, function, mirror, sweeps, options);
    }

    private sealed record Harness(EventCapture Capture, ReplicatorFunction Function, IMirrorStore Mirror, ISweepRequests Sweeps, MirrorOptions Options);
}
