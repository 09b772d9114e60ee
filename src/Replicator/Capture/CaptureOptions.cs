using IdentityReplicator.Core.Configuration;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>Settings of change capture in the primary pool.</summary>
public sealed class CaptureOptions
{
    public const string Section = "Capture";

    /// <summary>The pool whose changes are captured (events of other pools are ignored).</summary>
    public string PrimaryPoolId { get; set; } = string.Empty;

    /// <summary>Whether the primary pool's usernames are case sensitive (see Replication:UsernamesCaseSensitive).</summary>
    public bool UsernamesCaseSensitive { get; set; }

    /// <summary>
    /// The most a trigger invocation may spend recording; Cognito waits at most 5 s for a trigger and the user
    /// waits with it. On expiry the event goes back unchanged and the change is left for repair.
    /// </summary>
    public TimeSpan TriggerBudget { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How often the hint queue is polled while it has work.</summary>
    public TimeSpan HintPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the hint queue is polled while it is empty.</summary>
    public TimeSpan HintIdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a hint keeps looking for a user that does not exist (yet); a sign-up that failed never appears.</summary>
    public TimeSpan HintGiveUpAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Hints completed at once.</summary>
    public int HintConcurrency { get; set; } = 8;

    /// <summary>
    /// The custom attribute that carries a user's original <c>sub</c> in pools other than the original primary
    /// (see Replication:PrimarySubAttribute); read by the Pre Token Generation handler.
    /// </summary>
    public string PrimarySubAttribute { get; set; } = ReplicationOptions.DefaultPrimarySubAttribute;

    /// <summary>The default of <see cref="PrimarySubClaim"/>, for the worker's settings and the function's alike.</summary>
    public const string DefaultPrimarySubClaim = "primary_sub";

    /// <summary>The ID-token claim the standby's Pre Token Generation trigger adds with the original <c>sub</c>; empty turns it off.</summary>
    public string PrimarySubClaim { get; set; } = DefaultPrimarySubClaim;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(PrimaryPoolId))
        {
            yield return $"{Section}:PrimaryPoolId is empty; set it to the id of the pool whose triggers call this function.";
        }

        if (TriggerBudget <= TimeSpan.Zero || TriggerBudget > TimeSpan.FromSeconds(4))
        {
            yield return $"{Section}:TriggerBudget is {TriggerBudget}; it must be more than 0 and at most 00:00:04 (Cognito abandons a trigger after 5 s).";
        }

        if (PrimarySubClaim is "sub" or "aud" or "iss" or "exp" or "iat" or "token_use" or "auth_time" or "cognito:username")
        {
            yield return $"{Section}:PrimarySubClaim is '{PrimarySubClaim}', a claim Cognito does not let triggers override; use another name such as '{DefaultPrimarySubClaim}'.";
        }

        if (HintConcurrency is < 1 or > 64)
        {
            yield return $"{Section}:HintConcurrency is {HintConcurrency}; it must be between 1 and 64.";
        }
    }
}
