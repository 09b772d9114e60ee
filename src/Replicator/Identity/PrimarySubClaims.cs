using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Identity;

/// <summary>
/// The Pre Token Generation trigger of a pool that is not the one being captured (the target): adds the user's
/// original <c>sub</c> — the one the application keyed its data by — as a claim of the ID token, so the application
/// keeps using its keys after a failover. The value comes from the user's <c>custom:primary_sub</c> attribute when the
/// pool's schema has it (no lookup at all), else from the mapping the reconciler recorded in the mirror table.
/// Like every trigger path it never fails the sign-in: on any problem, or when the lookup outlasts
/// <see cref="CaptureOptions.TriggerBudget"/>, the token is issued without the claim.
/// </summary>
public sealed class PrimarySubClaims(IReplicaStateStore mappings, CaptureOptions options, TimeProvider time, ILogger<PrimarySubClaims> logger)
{
    /// <summary>
    /// Returns <paramref name="event"/> itself when it adds nothing, else a copy of it with the claim in the response
    /// shape of the event's version (V1 <c>claimsOverrideDetails</c>, V2/V3 <c>claimsAndScopeOverrideDetails.idTokenGeneration</c>).
    /// The caller's event is never changed. Never throws.
    /// </summary>
    public async Task<JsonNode?> HandleAsync(JsonObject @event, CognitoTriggerEvent trigger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.PrimarySubClaim) || !trigger.TriggerSource.StartsWith("TokenGeneration_", StringComparison.Ordinal))
        {
            return @event;
        }

        string outcome;
        Exception? failure = null;
        JsonNode? result = @event;
        try
        {
            var original = await OriginalSubAsync(trigger, cancellationToken);
            if (original is null)
            {
                outcome = "no mapping recorded";
            }
            else if (!Guid.TryParseExact(original, "D", out _))
            {
                // A sub is a UUID; anything else (a hand-edited attribute) would only make a bad token.
                outcome = "the recorded original sub is not a sub";
            }
            else
            {
                result = WithClaim(@event, options.PrimarySubClaim, original);
                outcome = "claim added";
            }
        }
        catch (Exception e)
        {
            // Deliberately broad (the caller giving up included): the sign-in goes on without the claim.
            outcome = "lookup failed: " + Reasons.Of(e);
            failure = e;
        }

        Log.ClaimAdded(logger, trigger.TriggerSource, trigger.UserPoolId, outcome, failure);
        return result;
    }

    private async Task<string?> OriginalSubAsync(CognitoTriggerEvent trigger, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.PrimarySubAttribute) && trigger.UserAttributes.TryGetValue(options.PrimarySubAttribute, out var attribute) && attribute.Length > 0)
        {
            return attribute;
        }

        if (!trigger.UserAttributes.TryGetValue("sub", out var sub))
        {
            return null;
        }

        // The store is asked to stop when the budget ends, and not waited for beyond it whether it stops or not.
        using var budget = new CancellationTokenSource(options.TriggerBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var mapping = await mappings.GetSubMappingAsync(trigger.UserPoolId, sub, linked.Token).WaitAsync(linked.Token);
        return mapping?.OriginalSub;
    }

    /// <summary>A copy of the event whose response adds (or overrides) one ID-token claim, keeping every other override.</summary>
    private static JsonObject WithClaim(JsonObject @event, string claim, string value)
    {
        var copy = (JsonObject)@event.DeepClone();
        var version = copy["version"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "1";
        var response = Child(copy, "response");
        var claims = version is "2" or "3"
            ? Child(Child(Child(response, "claimsAndScopeOverrideDetails"), "idTokenGeneration"), "claimsToAddOrOverride")
            : Child(Child(response, "claimsOverrideDetails"), "claimsToAddOrOverride");
        claims[claim] = value;
        return copy;
    }

    /// <summary>The object under <paramref name="name"/>, put there (in place of whatever else was) if there is none.</summary>
    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
