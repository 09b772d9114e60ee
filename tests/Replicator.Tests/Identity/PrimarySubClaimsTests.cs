using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Identity;
using IdentityReplicator.Replicator.Tests.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace IdentityReplicator.Replicator.Tests.Identity;

public sealed class PrimarySubClaimsTests
{
    private const string StandbyPool = "us-west-2_Standby01";
    private const string StandbySub = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string PrimarySub = "11111111-2222-3333-4444-555555555555";

    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(800);

    private readonly InMemoryReplicaState _mappings = new();

    [Fact]
    public async Task HandleAsync_UserCarriesTheIdentityAttribute_AddsItAsTheClaim()
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = PrimarySub });

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Equal(PrimarySub, Claim(result));
    }

    [Fact]
    public async Task HandleAsync_NoAttributeButAMapping_AddsTheMappedOriginalSub()
    {
        await _mappings.PutSubMappingAsync(StandbyPool, StandbySub, new SubMapping("ada", PrimarySub, PrimarySub), CancellationToken.None);
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub });

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Equal(PrimarySub, Claim(result));
    }

    [Fact]
    public async Task HandleAsync_NothingKnown_LeavesTheEventAsItWas()
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub });
        var before = @event.ToJsonString();

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Equal(before, result!.ToJsonString());
    }

    [Fact]
    public async Task HandleAsync_ClaimTurnedOff_AddsNothing()
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = PrimarySub });

        var result = await Claims(claim: string.Empty).HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Null(result!["response"]!["claimsOverrideDetails"]);
    }

    [Fact]
    public async Task HandleAsync_LookupNeverAnswers_ReturnsWithoutTheClaimWhenTheBudgetRunsOut()
    {
        var time = new FakeTimeProvider();
        var hanging = Substitute.For<IReplicaStateStore>();
        hanging.GetSubMappingAsync(default!, default!, default).ReturnsForAnyArgs(new TaskCompletionSource<SubMapping?>().Task);
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub });
        var before = @event.ToJsonString();

        var handling = Claims(mappings: hanging, time: time).HandleAsync(@event, Parse(@event), CancellationToken.None);
        time.Advance(Budget);
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Equal(before, result!.ToJsonString());
    }

    [Fact]
    public async Task HandleAsync_CallerGivesUpDuringTheLookup_ReturnsTheEventInsteadOfThrowing()
    {
        var time = new FakeTimeProvider();
        var slow = Substitute.For<IReplicaStateStore>();
        slow.GetSubMappingAsync(default!, default!, default).ReturnsForAnyArgs(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, call.Arg<CancellationToken>());
            return (SubMapping?)null;
        });
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub });
        using var caller = new CancellationTokenSource();

        var handling = Claims(mappings: slow, time: time).HandleAsync(@event, Parse(@event), caller.Token);
        await caller.CancelAsync();
        var result = await handling.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.Same(@event, result);
    }

    [Fact]
    public async Task HandleAsync_ClaimAdded_LeavesTheCallersEventAsItWas()
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = PrimarySub });
        var before = @event.ToJsonString();

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.NotSame(@event, result);
        Assert.Equal(before, @event.ToJsonString());
        Assert.Equal(PrimarySub, Claim(result));
    }

    [Fact]
    public async Task HandleAsync_Version2Event_AddsTheClaimToTheIdTokenOfTheV2Response()
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = PrimarySub });
        @event["version"] = "2";
        @event["response"] = new JsonObject { ["claimsAndScopeOverrideDetails"] = null };

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Equal(PrimarySub, result?["response"]?["claimsAndScopeOverrideDetails"]?["idTokenGeneration"]?["claimsToAddOrOverride"]?["primary_sub"]?.GetValue<string>());
        Assert.Null(result?["response"]?["claimsOverrideDetails"]);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("{\"claimsOverrideDetails\":\"x\"}")]
    [InlineData("{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":[1,2]}}")]
    [InlineData("{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":{\"tier\":\"pro\"},\"claimsToSuppress\":[\"email\"]}}")]
    public async Task HandleAsync_ResponseOfAnyShape_AddsTheClaimAndKeepsOtherOverrides(string response)
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = PrimarySub });
        @event["response"] = JsonNode.Parse(response);

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Equal(PrimarySub, Claim(result));
        if (response.Contains("tier", StringComparison.Ordinal))
        {
            Assert.Equal("pro", result?["response"]?["claimsOverrideDetails"]?["claimsToAddOrOverride"]?["tier"]?.GetValue<string>());
            Assert.Equal("email", result?["response"]?["claimsOverrideDetails"]?["claimsToSuppress"]?[0]?.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("not-a-sub")]
    [InlineData("11111111-2222-3333-4444-5555555555551111111111")]
    public async Task HandleAsync_AttributeThatIsNoSub_AddsNoClaim(string value)
    {
        var @event = TokenGeneration(new JsonObject { ["sub"] = StandbySub, ["custom:primary_sub"] = value });

        var result = await Claims().HandleAsync(@event, Parse(@event), CancellationToken.None);

        Assert.Same(@event, result);
    }

    private PrimarySubClaims Claims(string claim = "primary_sub", IReplicaStateStore? mappings = null, TimeProvider? time = null) =>
        new(mappings ?? _mappings, new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, PrimarySubClaim = claim, TriggerBudget = Budget }, time ?? TimeProvider.System, NullLogger<PrimarySubClaims>.Instance);

    private static JsonObject TokenGeneration(JsonObject attributes) => new()
    {
        ["version"] = "1",
        ["triggerSource"] = "TokenGeneration_Authentication",
        ["region"] = "us-west-2",
        ["userPoolId"] = StandbyPool,
        ["userName"] = StandbySub,
        ["request"] = new JsonObject { ["userAttributes"] = attributes, ["groupConfiguration"] = new JsonObject() },
        ["response"] = new JsonObject { ["claimsOverrideDetails"] = null },
    };

    private static CognitoTriggerEvent Parse(JsonObject @event) => CognitoTriggerEvent.Parse(@event, out _)!;

    private static string? Claim(JsonNode? result) =>
        result?["response"]?["claimsOverrideDetails"]?["claimsToAddOrOverride"]?["primary_sub"]?.GetValue<string>();
}
