using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>Hint completion against a real DynamoDB emulator, reading an in-memory primary pool.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class HintCompletionTests(DynaliteFixture dynalite)
{
    private readonly InMemoryUserDirectory _primary = new("us-east-1_Primary01", signInByEmail: true);

    [Fact]
    public async Task RunOnceAsync_HintForAnExistingUser_RecordsItsSnapshotAndRemovesTheHint()
    {
        var (completion, hints, mirror) = await CreateAsync();
        var username = _primary.Seed("ada@example.com", new Dictionary<string, string> { ["email"] = "ada@example.com", ["custom:tier"] = "pro" }, status: UserStatuses.ForceChangePassword);
        await hints.EnqueueAsync(Hint(username, TimeProvider.System.GetUtcNow()), CancellationToken.None);

        var handled = await completion.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, handled);
        var snapshot = await mirror.GetUserAsync(username, CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal(UserStatuses.ForceChangePassword, snapshot.Profile!.Status);
        Assert.Equal("pro", snapshot.Profile.Attributes["custom:tier"]);
        Assert.Null(snapshot.Groups);
        Assert.Empty(await hints.DueAsync(TimeProvider.System.GetUtcNow().AddHours(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_UserNotCreatedYet_ReschedulesTheHintWithBackoff()
    {
        var (completion, hints, _) = await CreateAsync();
        var now = TimeProvider.System.GetUtcNow();
        await hints.EnqueueAsync(Hint("not-yet", now), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Empty(await hints.DueAsync(now, 10, CancellationToken.None));
        var later = Assert.Single(await hints.DueAsync(now.AddMinutes(1), 10, CancellationToken.None));
        Assert.Equal(1, later.Attempts);
        Assert.True(later.Due > now);
    }

    [Fact]
    public async Task RunOnceAsync_UserNeverAppears_AbandonsTheHintAfterTheGiveUpTime()
    {
        var (completion, hints, _) = await CreateAsync();
        var longAgo = TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(10);
        await hints.EnqueueAsync(Hint("failed-sign-up", longAgo), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Empty(await hints.DueAsync(TimeProvider.System.GetUtcNow().AddHours(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_PrimaryFailing_KeepsTheHintForLater()
    {
        var (completion, hints, _) = await CreateAsync();
        var username = _primary.Seed("grace@example.com", new Dictionary<string, string> { ["email"] = "grace@example.com" });
        _primary.FailNext("FindUser", Core.Cognito.CognitoErrors.Create("InternalErrorException", "boom", System.Net.HttpStatusCode.InternalServerError));
        await hints.EnqueueAsync(Hint(username, TimeProvider.System.GetUtcNow()), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        var kept = Assert.Single(await hints.DueAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 10, CancellationToken.None));
        Assert.Equal(username, kept.Username);
    }

    [Fact]
    public async Task RunOnceAsync_SeveralHintsForOneUser_ReadsThePrimaryOnce()
    {
        var (completion, hints, _) = await CreateAsync();
        var username = _primary.Seed("alan@example.com", new Dictionary<string, string> { ["email"] = "alan@example.com" });
        var now = TimeProvider.System.GetUtcNow();
        await hints.EnqueueAsync(Hint(username, now.AddMilliseconds(-2)), CancellationToken.None);
        await hints.EnqueueAsync(Hint(username, now.AddMilliseconds(-1)), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, _primary.Calls["FindUser"]);
        Assert.Empty(await hints.DueAsync(now.AddHours(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_HintOfTheStandbyAfterFailover_ReadsTheStandbyPool()
    {
        var standby = new InMemoryUserDirectory("us-west-2_Standby01", signInByEmail: true);
        var options = await dynalite.NewTableAsync();
        var hints = new DynamoDbCaptureHintQueue(dynalite.Client, options);
        var mirror = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        var completion = new HintCompletion(
            hints,
            mirror,
            new SourceReader(_primary, false, TimeProvider.System),
            new CaptureOptions { PrimaryPoolId = _primary.PoolId },
            TimeProvider.System,
            NullLogger<HintCompletion>.Instance,
            new Dictionary<string, SourceReader> { [standby.PoolId] = new SourceReader(standby, false, TimeProvider.System) });
        var username = standby.Seed("eve@example.com", new Dictionary<string, string> { ["email"] = "eve@example.com" });
        await hints.EnqueueAsync(Hint(username, TimeProvider.System.GetUtcNow()) with { SourcePoolId = standby.PoolId }, CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Equal(standby.PoolId, (await mirror.GetUserAsync(username, CancellationToken.None))?.SourcePoolId);
        Assert.False(_primary.Calls.ContainsKey("FindUser"));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(0)]
    public async Task RunOnceAsync_HintWithAUsernameCognitoWouldReject_IsDroppedWithoutACognitoCall(int length)
    {
        var (completion, hints, mirror) = await CreateAsync();
        var username = length > 0 ? new string('h', length) : "two words";
        RejectLikeCognito();
        var now = TimeProvider.System.GetUtcNow();
        await hints.EnqueueAsync(Hint(username, now), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Empty(await hints.DueAsync(now.AddHours(1), 10, CancellationToken.None));
        Assert.False(_primary.Calls.ContainsKey("FindUser"));
        Assert.Null(await mirror.GetUserAsync(username, CancellationToken.None));
    }

    [Fact]
    public async Task RunOnceAsync_CognitoAnswersInvalidParameter_DropsTheHintInsteadOfRetrying()
    {
        var (completion, hints, _) = await CreateAsync();
        RejectLikeCognito();
        var now = TimeProvider.System.GetUtcNow();
        await hints.EnqueueAsync(Hint("looks-fine", now), CancellationToken.None);

        await completion.RunOnceAsync(CancellationToken.None);

        Assert.Empty(await hints.DueAsync(now.AddHours(1), 10, CancellationToken.None));
        Assert.Equal(1, _primary.Calls["FindUser"]);
    }

    [Fact]
    public async Task RunOnceAsync_ReadFailsQuotingTheUserAndTheRescheduleFailsToo_WarnsWithoutItAndLogsBothExceptionsAtDebug()
    {
        var hint = Hint("ada@example.com", TimeProvider.System.GetUtcNow());
        var hints = Substitute.For<ICaptureHintQueue>();
        hints.DueAsync(default, default, default).ReturnsForAnyArgs(Task.FromResult<IReadOnlyList<CaptureHint>>([hint]));
        var unreachable = new HttpRequestException("Connection refused");
        hints.RescheduleAsync(default!, default, default).ThrowsAsyncForAnyArgs(unreachable);
        var error = Core.Cognito.CognitoErrors.Create("InternalErrorException", "Internal error reading ada@example.com", System.Net.HttpStatusCode.InternalServerError);
        _primary.FailNext("FindUser", error);
        var logger = new FakeLogger<HintCompletion>();
        var capture = new CaptureOptions { PrimaryPoolId = _primary.PoolId, HintGiveUpAfter = TimeSpan.FromMinutes(2) };
        var completion = new HintCompletion(hints, Substitute.For<IMirrorStore>(), new SourceReader(_primary, false, TimeProvider.System), capture, TimeProvider.System, logger);

        await completion.RunOnceAsync(CancellationToken.None);

        var records = logger.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Id == 1013);
        Assert.Null(warning.Exception);
        Assert.DoesNotContain("ada@example.com", warning.Message, StringComparison.Ordinal);
        Assert.Same(error, Assert.Single(records, r => r.Id.Id == 1113 && r.Level == LogLevel.Debug).Exception);
        Assert.Same(unreachable, Assert.Single(records, r => r.Id.Id == 1016 && r.Level == LogLevel.Debug).Exception);
    }

    /// <summary>What Cognito answers for a username that breaks its limits (the in-memory pool accepts anything).</summary>
    private void RejectLikeCognito() =>
        _primary.FailNext("FindUser", Core.Cognito.CognitoErrors.Create("InvalidParameterException", "1 validation error detected: Value at 'username' failed to satisfy constraint"));

    private async Task<(HintCompletion Completion, ICaptureHintQueue Hints, IMirrorStore Mirror)> CreateAsync()
    {
        var options = await dynalite.NewTableAsync();
        var hints = new DynamoDbCaptureHintQueue(dynalite.Client, options);
        var mirror = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        var capture = new CaptureOptions { PrimaryPoolId = _primary.PoolId, HintGiveUpAfter = TimeSpan.FromMinutes(2) };
        var completion = new HintCompletion(hints, mirror, new SourceReader(_primary, false, TimeProvider.System), capture, TimeProvider.System, NullLogger<HintCompletion>.Instance);
        return (completion, hints, mirror);
    }

    private CaptureHint Hint(string username, DateTimeOffset firstSeen) => new()
    {
        Username = username,
        SourcePoolId = _primary.PoolId,
        Source = CaptureSource.Trigger,
        FirstSeen = firstSeen,
        Due = firstSeen,
    };
}
