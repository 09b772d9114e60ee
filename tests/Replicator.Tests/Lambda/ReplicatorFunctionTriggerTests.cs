using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Tests.Capture;
using NSubstitute;

namespace IdentityReplicator.Replicator.Tests.Lambda;

/// <summary>The trigger path of the function as a whole: one budget for everything an invocation does.</summary>
public sealed class ReplicatorFunctionTriggerTests
{
    [Fact]
    public async Task HandleAsync_StandbyTokenGenerationWhileEverythingHangs_ReturnsTheEventWithinOneBudget()
    {
        // After a failover the standby is the source: its token event is both captured and given the primary_sub
        // claim. Both stores hang (and ignore cancellation); the invocation still ends when its one budget does.
        var hanging = Substitute.For<IReplicaStateStore>();
        hanging.GetSubMappingAsync(default!, default!, default).ReturnsForAnyArgs(new TaskCompletionSource<SubMapping?>().Task);
        var control = Substitute.For<IReplicationControlStore>();
        control.GetAsync(default).ReturnsForAnyArgs(new ReplicationControl
        {
            Epoch = 1,
            SourceRegion = "us-west-2",
            SourcePoolId = FunctionHarness.StandbyPool,
            TargetRegion = "us-east-1",
            TargetPoolId = TriggerEvents.PrimaryPool,
        });
        var harness = new FunctionHarness(TimeSpan.FromMilliseconds(800), hanging, control);
        harness.Mirror.RecordUserAsync(default!, default).ReturnsForAnyArgs(new TaskCompletionSource<RecordOutcome>().Task);
        var @event = TriggerEvents.TokenGeneration();
        @event["userPoolId"] = FunctionHarness.StandbyPool;
        var before = @event.ToJsonString();

        var handling = harness.Function.HandleAsync(@event, CancellationToken.None);
        harness.Time.Advance(harness.Budget);
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal(before, result!.ToJsonString());
    }

    [Fact]
    public async Task HandleAsync_StandbyTokenGeneration_AddsThePrimarySubClaim()
    {
        var harness = new FunctionHarness();
        var @event = TriggerEvents.TokenGeneration();
        @event["userPoolId"] = FunctionHarness.StandbyPool;
        @event["request"]!["userAttributes"]!["custom:primary_sub"] = "11111111-2222-3333-4444-555555555555";

        var result = await harness.Function.HandleAsync(@event, CancellationToken.None);

        Assert.Equal("11111111-2222-3333-4444-555555555555", result?["response"]?["claimsOverrideDetails"]?["claimsToAddOrOverride"]?["primary_sub"]?.GetValue<string>());
    }

    [Fact]
    public async Task HandleAsync_TriggerWithBadInput_LogsNoPersonalData()
    {
        var harness = new FunctionHarness();
        var @event = TriggerEvents.PostConfirmation();
        @event["request"] = "alice@example.com";
        @event["userPoolId"] = "alice@example.com";

        await harness.Function.HandleAsync(@event, CancellationToken.None);

        var records = harness.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.DoesNotContain("example.com", r.Message, StringComparison.Ordinal));
    }

}
