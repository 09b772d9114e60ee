using System.Text.Json.Nodes;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Replicator.Capture;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Replicator.Identity;

/// <summary>
/// The Pre Token Generation trigger of a pool that is not the one being captured (the standby): adds the user's
/// original <c>sub</c> — the one the application keyed its data by — as a claim of the ID token, so the application
/// keeps using its keys after a failover. The value comes from the user's <c>custom:primary_sub</c> attribute when the
/// pool's schema has it (no lookup at all), else from the mapping the reconciler recorded in the mirror table.
/// Like every trigger path it never fails the sign-in: on any problem the token is issued without the claim.
/// </summary>
public sealed class PrimarySubClaims(IReplicaStateStore mappings, CaptureOptions options, TimeProvider time, ILogger<PrimarySubClaims> logger)
{
    public async Task<JsonNode?> HandleAsync(JsonObject @event, CognitoTriggerEvent trigger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.PrimarySubClaim) || !trigger.TriggerSource.StartsWith("TokenGeneration_", StringComparison.Ordinal))
        {
            return @event;
        }

        string outcome;
        try
        {
            var original = await OriginalSubAsync(trigger, cancellationToken);
            if (original is null)
            {
                outcome = "no mapping recorded";
            }
            else
            {
                var response = @event["response"] as JsonObject ?? (JsonObject)(@event["response"] = new JsonObject());
                var details = response["claimsOverrideDetails"] as JsonObject ?? (JsonObject)(response["claimsOverrideDetails"] = new JsonObject());
                var claims = details["claimsToAddOrOverride"] as JsonObject ?? (JsonObject)(details["claimsToAddOrOverride"] = new JsonObject());
                claims[options.PrimarySubClaim] = original;
                outcome = "claim added";
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested || e is not OperationCanceledException)
        {
            // Deliberately broad: the sign-in goes on without the claim.
            outcome = "lookup failed: " + Reasons.Of(e);
        }

        Log.ClaimAdded(logger, trigger.TriggerSource, trigger.UserPoolId, outcome);
        return @event;
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

        using var budget = new CancellationTokenSource(options.TriggerBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var mapping = await mappings.GetSubMappingAsync(trigger.UserPoolId, sub, linked.Token);
        return mapping?.OriginalSub;
    }
}
