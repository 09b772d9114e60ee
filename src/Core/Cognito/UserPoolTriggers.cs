using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.Cognito;

/// <summary>One trigger of a pool's LambdaConfig: what it is now and what it would become.</summary>
public sealed record TriggerChange(string Trigger, string? Current, string? Desired)
{
    public bool Changes => Current != Desired;
}

/// <summary>What installing the triggers would do; <see cref="Conflicts"/> are triggers another function holds.</summary>
public sealed record TriggerPlan(string UserPoolId, IReadOnlyList<TriggerChange> Triggers, IReadOnlyList<TriggerChange> Conflicts)
{
    public bool HasChanges => Triggers.Any(t => t.Changes);
}

/// <summary>A trigger slot is taken by another function; installing would break that function's job.</summary>
public sealed class TriggerConflictException(string message) : Exception(message);

/// <summary>
/// Installs the Replicator as a pool's Lambda triggers with a careful read-modify-write: UpdateUserPool resets every
/// setting it is not given, so the request carries every updatable member exactly as DescribeUserPool returned it,
/// and only LambdaConfig's trigger entries change. Triggers held by another function are left alone unless replacing
/// them is asked for.
/// </summary>
public sealed class UserPoolTriggers(CognitoIdentityProviderClient client)
{
    /// <summary>The members of UpdateUserPoolRequest (Cognito API model, current), other than the pool id.</summary>
    private static readonly string[] UpdatableMembers =
    [
        "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes", "SmsVerificationMessage",
        "EmailVerificationMessage", "EmailVerificationSubject", "VerificationMessageTemplate", "SmsAuthenticationMessage",
        "UserAttributeUpdateSettings", "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration",
        "UserPoolTags", "AdminCreateUserConfig", "UserPoolAddOns", "DcrConfiguration", "AccountRecoverySetting",
        "UserPoolTier", "KeyConfiguration", "IssuerConfiguration",
    ];

    /// <summary>The trigger slots the Replicator can take, by the LambdaConfig member name.</summary>
    public static readonly string[] Slots = ["PreSignUp", "PostConfirmation", "PostAuthentication", "PreTokenGeneration", "CustomMessage"];

    /// <summary>The triggers the Replicator handles on a primary pool.</summary>
    public static readonly string[] PrimaryDefaults = ["PreSignUp", "PostConfirmation", "PostAuthentication"];

    /// <summary>On a standby pool also Pre Token Generation (the <c>primary_sub</c> claim); the rest capture after a failover.</summary>
    public static readonly string[] StandbyDefaults = [.. PrimaryDefaults, "PreTokenGeneration"];

    public async Task<TriggerPlan> PlanAsync(string userPoolId, IReadOnlyDictionary<string, string> desired, bool replace, CancellationToken cancellationToken)
    {
        var pool = await DescribeAsync(userPoolId, cancellationToken);
        return Plan(userPoolId, pool, desired, replace);
    }

    /// <summary>Installs the triggers; returns the plan it carried out. Nothing is written when nothing changes.</summary>
    public async Task<TriggerPlan> InstallAsync(string userPoolId, IReadOnlyDictionary<string, string> desired, bool replace, CancellationToken cancellationToken)
    {
        var pool = await DescribeAsync(userPoolId, cancellationToken);
        var plan = Plan(userPoolId, pool, desired, replace);
        if (plan.Conflicts.Count > 0)
        {
            throw new TriggerConflictException(
                $"Pool {userPoolId} already has {string.Join(", ", plan.Conflicts.Select(c => $"{c.Trigger} → {c.Current}"))}; "
                + "call the Replicator from that function, or pass --replace to put the Replicator in its place (that function then stops being called).");
        }

        if (!plan.HasChanges)
        {
            return plan;
        }

        var request = new JsonObject { ["UserPoolId"] = userPoolId };
        foreach (var member in UpdatableMembers)
        {
            if (pool[member] is { } value)
            {
                request[member] = value.DeepClone();
            }
        }

        if (pool["Name"] is JsonValue name)
        {
            request["PoolName"] = name.DeepClone();
        }

        // Cognito refuses the deprecated UnusedAccountValidityDays next to TemporaryPasswordValidityDays.
        if (request["Policies"]?["PasswordPolicy"]?["TemporaryPasswordValidityDays"] is not null && request["AdminCreateUserConfig"] is JsonObject admin)
        {
            admin.Remove("UnusedAccountValidityDays");
        }

        var lambda = request["LambdaConfig"] as JsonObject ?? new JsonObject();
        request["LambdaConfig"] = lambda;
        foreach (var change in plan.Triggers.Where(t => t.Changes))
        {
            lambda[change.Trigger] = change.Desired;
            if (change.Trigger == "PreTokenGeneration")
            {
                // The versioned form must name the same function, or Cognito rejects the pair.
                lambda["PreTokenGenerationConfig"] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = change.Desired };
            }
        }

        await client.UpdateUserPoolRawAsync(request, cancellationToken);
        return plan;
    }

    private static TriggerPlan Plan(string userPoolId, JsonObject pool, IReadOnlyDictionary<string, string> desired, bool replace)
    {
        var lambda = pool["LambdaConfig"] as JsonObject;
        var triggers = new List<TriggerChange>();
        var conflicts = new List<TriggerChange>();
        foreach (var (slot, arn) in desired.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (!Slots.Contains(slot))
            {
                throw new ArgumentException($"'{slot}' is not a trigger the Replicator handles; use one of {string.Join(", ", Slots)}.", nameof(desired));
            }

            var current = lambda?[slot] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
            var change = new TriggerChange(slot, current, arn);
            if (current is not null && current != arn && !replace)
            {
                conflicts.Add(change);
                triggers.Add(change with { Desired = current });
            }
            else
            {
                triggers.Add(change);
            }
        }

        return new TriggerPlan(userPoolId, triggers, conflicts);
    }

    private async Task<JsonObject> DescribeAsync(string userPoolId, CancellationToken cancellationToken)
    {
        var response = await client.DescribeUserPoolRawAsync(userPoolId, cancellationToken);
        return response.UserPool ?? throw new CognitoException($"DescribeUserPool returned no pool for {userPoolId}.");
    }
}
