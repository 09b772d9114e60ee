using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Identity;
using IdentityReplicator.Replicator.Tests.Capture;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Identity;

public sealed class PrimarySubClaimsTests
{
    private const string StandbyPool = "us-west-2_Standby01";
    private const string StandbySub = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private const string PrimarySub = "11111111-2222-3333-4444-555555555555";

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

    private PrimarySubClaims Claims(string claim = "primary_sub") =>
        new(_mappings, new CaptureOptions { PrimaryPoolId = TriggerEvents.PrimaryPool, PrimarySubClaim = claim }, TimeProvider.System, NullLogger<PrimarySubClaims>.Instance);

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
