namespace IdentityReplicator.Core.Model;

/// <summary>Cognito's user statuses (<c>UserStatusType</c> in the API model).</summary>
public static class UserStatuses
{
    public const string Unconfirmed = "UNCONFIRMED";
    public const string Confirmed = "CONFIRMED";
    public const string Archived = "ARCHIVED";
    public const string Compromised = "COMPROMISED";
    public const string Unknown = "UNKNOWN";
    public const string ResetRequired = "RESET_REQUIRED";
    public const string ForceChangePassword = "FORCE_CHANGE_PASSWORD";
    public const string ExternalProvider = "EXTERNAL_PROVIDER";

    /// <summary>Which status a source user's status maps to in the target; <c>null</c> when the user is not replicated.</summary>
    public static string? TargetStatusFor(string sourceStatus) => sourceStatus switch
    {
        Confirmed or ResetRequired or Compromised => Confirmed,
        ForceChangePassword => ForceChangePassword,

        // Unconfirmed sign-ups cannot confirm against the target (their code came from the source); federated
        // users are re-created by their identity provider at their next sign-in. See docs/replication.md.
        _ => null,
    };
}
