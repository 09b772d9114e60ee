using System.Text.Json.Nodes;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace IdentityReplicator.Replicator.Tests.Capture;

public sealed class TriggerCaptureTests
{
    private readonly IMirrorStore _mirror = Substitute.For<IMirrorStore>();
    private readonly ICaptureHintQueue _hints = Substitute.For<ICaptureHintQueue>();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<TriggerCapture> _logger = new();

    private TriggerCapture Capture(TimeSpan? budget = null) => new(
        _mirror,
        _hints,
        new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, TriggerBudget = budget ?? TimeSpan.FromMilliseconds(1500) },
        _time,
        _logger);

    [Fact]
    public async Task HandleAsync_PostConfirmation_RecordsProfileAndReturnsTheEventUnchanged()
    {
        var @event = TriggerEvents.PostConfirmation();
        var before = @event.ToJsonString();
        UserObservation? recorded = null;
        _mirror.RecordUserAsync(Arg.Do<UserObservation>(o => recorded = o), Arg.Any<CancellationToken>()).Returns(RecordOutcome.Changed);

        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        Assert.Same(@event, result);
        Assert.Equal(before, result!.ToJsonString());
        Assert.NotNull(recorded);
        Assert.Equal("alice", recorded.Key);
        Assert.Equal("d8411330-6061-70eb-ec7d-e9eb17f8f222", recorded.Sub);
        Assert.Equal(TriggerEvents.PrimaryPool, recorded.SourcePoolId);
        Assert.Equal(_time.GetUtcNow(), recorded.ObservedAt);
        Assert.Equal(CaptureSource.Trigger, recorded.Source);
        Assert.Equal(UserStatuses.Confirmed, recorded.Profile!.Status);
        Assert.True(recorded.Profile.Enabled);
        Assert.Equal("pro", recorded.Profile.Attributes["custom:tier"]);
        Assert.False(recorded.Profile.Attributes.ContainsKey("sub"));
        Assert.DoesNotContain(recorded.Profile.Attributes.Keys, k => k.StartsWith("cognito:", StringComparison.Ordinal));
        Assert.Null(recorded.Groups);
    }

    [Fact]
    public async Task HandleAsync_CaseInsensitivePool_LowerCasesTheKey()
    {
        _mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(RecordOutcome.Changed);

        await Capture().HandleAsync(TriggerEvents.PostConfirmation(userName: "Alice"), CancellationToken.None);

        await _mirror.Received(1).RecordUserAsync(Arg.Is<UserObservation>(o => o.Key == "alice" && o.Username == "Alice"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task HandleAsync_TokenGeneration_RecordsGroupMemberships()
    {
        _mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(RecordOutcome.Unchanged);

        await Capture().HandleAsync(TriggerEvents.TokenGeneration(), CancellationToken.None);

        await _mirror.Received(1).RecordUserAsync(
            Arg.Is<UserObservation>(o => o.Groups != null && o.Groups.Value.SequenceEqual(new[] { "admins", "editors" })),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task HandleAsync_PreSignUpAdminCreateUser_EnqueuesAHintBecauseTheUserDoesNotExistYet()
    {
        await Capture().HandleAsync(TriggerEvents.PreSignUp("PreSignUp_AdminCreateUser"), CancellationToken.None);

        await _hints.Received(1).EnqueueAsync(
            Arg.Is<CaptureHint>(h => h.Username == "alice" && h.SourcePoolId == TriggerEvents.PrimaryPool && h.Due == _time.GetUtcNow()),
            Arg.Any<CancellationToken>());
        await _mirror.DidNotReceiveWithAnyArgs().RecordUserAsync(default!, default);
    }

    [Theory]
    [InlineData("PreSignUp_SignUp")]
    [InlineData("PreSignUp_ExternalProvider")]
    [InlineData("DefineAuthChallenge_Authentication")]
    [InlineData("CustomMessage_ForgotPassword")]
    public async Task HandleAsync_TriggersWithNothingToCapture_RecordNothing(string source)
    {
        await Capture().HandleAsync(TriggerEvents.PreSignUp(source), CancellationToken.None);

        await _hints.DidNotReceiveWithAnyArgs().EnqueueAsync(default!, default);
        await _mirror.DidNotReceiveWithAnyArgs().RecordUserAsync(default!, default);
    }

    [Fact]
    public async Task HandleAsync_EventOfAnotherPool_IsIgnored()
    {
        var @event = TriggerEvents.PostConfirmation(pool: "us-west-2_Standby01");

        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        Assert.Same(@event, result);
        await _mirror.DidNotReceiveWithAnyArgs().RecordUserAsync(default!, default);
    }

    [Fact]
    public async Task HandleAsync_MalformedEvent_ReturnsItAndLogsAWarning()
    {
        var @event = JsonNode.Parse("""{"hello":"world"}""");

        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        Assert.Same(@event, result);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Theory]
    [InlineData("PostConfirmation_ConfirmSignUp", "\"x\"")]
    [InlineData("PostConfirmation_ConfirmForgotPassword", "{}")]
    [InlineData("PostAuthentication_Authentication", "{ \"userAttributes\": \"x\" }")]
    [InlineData("TokenGeneration_Authentication", "{ \"userAttributes\": { \"email\": \"alice@example.com\" } }")]
    [InlineData("TokenGeneration_RefreshTokens", "{ \"userAttributes\": { \"sub\": \"\" } }")]
    public async Task HandleAsync_TriggerThatShouldCarryTheUserButHasNoAttributesWithASub_RecordsNothingAndCountsItAsMalformed(string source, string request)
    {
        // Arrange: Cognito sends these with the user's attributes, sub included. Recorded as it is, such an event
        // would blank a real user's attributes in the standby, or invent a user that never existed (bench chaos found it).
        var @event = TriggerEvents.PostConfirmation();
        @event["triggerSource"] = source;
        @event["request"] = JsonNode.Parse(request);
        var before = @event.ToJsonString();

        // Act
        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        // Assert
        Assert.Same(@event, result);
        Assert.Equal(before, result!.ToJsonString());
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1002);
        await _mirror.DidNotReceiveWithAnyArgs().RecordUserAsync(default!, default);
        await _hints.DidNotReceiveWithAnyArgs().EnqueueAsync(default!, default);
    }

    [Fact]
    public async Task HandleAsync_MirrorFails_ReturnsTheEventAndLogsWithoutPersonalData()
    {
        var @event = TriggerEvents.PostConfirmation();
        _mirror.RecordUserAsync(default!, default).ThrowsAsyncForAnyArgs(new MirrorStoreException("Mirror table 'x' does not exist"));

        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        Assert.Same(@event, result);
        var records = _logger.Collector.GetSnapshot();
        var failure = Assert.Single(records, r => r.Id.Id == 1004);
        foreach (var record in records)
        {
            Assert.DoesNotContain("alice", record.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("example.com", record.Message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("mirror table", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_CaptureFailsWithAnErrorQuotingTheUser_WarnsWithoutItAndLogsTheExceptionAtDebug()
    {
        var @event = TriggerEvents.PostConfirmation();
        var error = new InvalidOperationException("Cannot record alice@example.com");
        _mirror.RecordUserAsync(default!, default).ThrowsAsyncForAnyArgs(error);

        await Capture().HandleAsync(@event, CancellationToken.None);

        var records = _logger.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Id == 1004);
        Assert.Null(warning.Exception);
        Assert.Contains("(InvalidOperationException)", warning.Message, StringComparison.Ordinal);
        var detail = Assert.Single(records, r => r.Id.Id == 1104);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, detail.Level);
        Assert.Same(error, detail.Exception);
    }

    [Fact]
    public async Task HandleAsync_MirrorNeverAnswers_ReturnsWhenTheBudgetRunsOut()
    {
        var @event = TriggerEvents.PostConfirmation();
        var hang = new TaskCompletionSource<RecordOutcome>();
        _mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(hang.Task);
        var budget = TimeSpan.FromMilliseconds(800);

        var handling = Capture(budget).HandleAsync(@event, CancellationToken.None);
        Assert.False(handling.IsCompleted);
        _time.Advance(budget);
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Same(@event, result);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1004 && r.Message.Contains("capture failed (timed out) after 800.0 ms", StringComparison.Ordinal));
        hang.SetResult(RecordOutcome.Changed);
    }

    [Theory]
    [InlineData("{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"triggerSource\":\"x\",\"userPoolId\":\"us-east-1_Primary01\",\"userName\":\"alice\"}")]
    [InlineData("{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"userPoolId\":\"us-east-1_Primary01\",\"userName\":\"alice\",\"request\":{\"userAttributes\":{\"email\":\"a\",\"email\":\"b\"}}}")]
    [InlineData("{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"userPoolId\":\"us-east-1_Primary01\",\"userName\":\"al\\ud800ice\"}")]
    [InlineData("{\"triggerSource\":\"PostConfirmation_ConfirmSignUp\",\"userPoolId\":\"us-east-1_Primary01\",\"userName\":\"alice\",\"request\":{\"userAttributes\":{\"name\":\"\\udc00\"}}}")]
    public async Task HandleAsync_NodeThatCannotBeRead_ReturnsItAndCountsItAsMalformed(string json)
    {
        var @event = JsonNode.Parse(json);

        var result = await Capture().HandleAsync(@event, CancellationToken.None);

        Assert.Same(@event, result);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1002);
        await _mirror.DidNotReceiveWithAnyArgs().RecordUserAsync(default!, default);
    }

    [Fact]
    public async Task HandleAsync_SlowControlThenHangingMirror_ReturnsWithinOneBudget()
    {
        // The control read may take half the budget; the recording gets what is left of it, not a budget of its own.
        var budget = TimeSpan.FromMilliseconds(800);
        var control = Substitute.For<IReplicationControlStore>();
        control.GetAsync(default).ReturnsForAnyArgs(new TaskCompletionSource<ReplicationControl?>().Task);
        var recording = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(_ =>
        {
            recording.TrySetResult();
            return new TaskCompletionSource<RecordOutcome>().Task;
        });
        var capture = new TriggerCapture(
            _mirror,
            _hints,
            new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, TriggerBudget = budget },
            _time,
            _logger,
            new ReplicationControlReader(control, Control(), _time));
        var @event = TriggerEvents.PostConfirmation();

        var handling = capture.HandleAsync(@event, CancellationToken.None);
        _time.Advance(budget / 2);
        await recording.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        _time.Advance(budget / 2);
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Same(@event, result);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1004 && r.Message.Contains("after 800.0 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_CallerGivesUpWhileTheControlIsRead_ReturnsTheEvent()
    {
        var control = Substitute.For<IReplicationControlStore>();
        control.GetAsync(default).ReturnsForAnyArgs(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, call.Arg<CancellationToken>());
            return (ReplicationControl?)null;
        });
        var capture = new TriggerCapture(_mirror, _hints, new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool }, _time, _logger, new ReplicationControlReader(control, Control(), _time));
        var @event = TriggerEvents.PostConfirmation();
        using var caller = new CancellationTokenSource();

        var handling = capture.HandleAsync(@event, caller.Token);
        await caller.CancelAsync();
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Same(@event, result);
    }

    private static ReplicationControl Control() => new()
    {
        Epoch = 0,
        SourceRegion = "us-east-1",
        SourcePoolId = TriggerEvents.PrimaryPool,
        TargetRegion = "us-west-2",
        TargetPoolId = "us-west-2_Standby01",
    };

    [Theory]
    [InlineData("PreSignUp_AdminCreateUser", "Hint")]
    [InlineData("CustomMessage_UpdateUserAttribute", "Hint")]
    [InlineData("UserMigration_Authentication", "Hint")]
    [InlineData("PostConfirmation_ConfirmForgotPassword", "Observe")]
    [InlineData("PostAuthentication_Authentication", "Observe")]
    [InlineData("TokenGeneration_RefreshTokens", "Observe")]
    [InlineData("PreSignUp_SignUp", "Ignore")]
    [InlineData("PreAuthentication_Authentication", "Ignore")]
    public void Classify_TriggerSource_DecidesWhatToCapture(string source, string expected) =>
        Assert.Equal(expected, TriggerCapture.Classify(source).ToString());
}
