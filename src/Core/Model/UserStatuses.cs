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
}
