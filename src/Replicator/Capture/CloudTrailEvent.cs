using System.Text.Json.Nodes;

namespace IdentityReplicator.Replicator.Capture;

/// <summary>
/// What capture reads from an EventBridge event of detail-type "AWS API Call via CloudTrail" from <c>aws.cognito-idp</c>
/// (the CloudTrail record is its <c>detail</c>). Cognito redacts personal data: usernames, attributes and passwords read
/// <c>HIDDEN_DUE_TO_SECURITY_REASONS</c>; user operations name the user by <c>additionalEventData.sub</c>.
/// </summary>
public sealed record CloudTrailEvent(
    string EventName,
    string? UserPoolId,
    string? Username,
    string? Sub,
    string? GroupName,
    string? ErrorCode,
    DateTimeOffset? EventTime,
    JsonObject? RequestParameters = null,
    JsonObject? ResponseElements = null)
{
    public const string DetailType = "AWS API Call via CloudTrail";
    public const string Source = "aws.cognito-idp";
    public const string Redacted = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /// <summary>Reads the event envelope; <c>null</c> (with the reason) when it is not a usable Cognito CloudTrail event.</summary>
    public static CloudTrailEvent? Parse(JsonObject envelope, out string? problem)
    {
        problem = null;
        if (envelope["detail"] is not JsonObject detail)
        {
            problem = "the event has no detail object";
            return null;
        }

        var eventName = Text(detail["eventName"]);
        if (eventName is null)
        {
            problem = "the CloudTrail record has no eventName";
            return null;
        }

        var request = detail["requestParameters"] as JsonObject;
        var error = Text(detail["errorCode"]);
        DateTimeOffset? time = DateTimeOffset.TryParse(Text(detail["eventTime"]), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return new CloudTrailEvent(
            eventName,
            Text(request?["userPoolId"]),
            Usable(Text(request?["username"])),
            Usable(Text(detail["additionalEventData"]?["sub"])),
            Usable(Text(request?["groupName"])),
            string.IsNullOrEmpty(error) ? null : error,
            time,
            request,
            detail["responseElements"] as JsonObject);
    }

    private static string? Usable(string? value) =>
        string.IsNullOrWhiteSpace(value) || value == Redacted ? null : value;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>What a Cognito API operation can have changed, and so what capture reads again.</summary>
public enum CloudTrailChange
{
    /// <summary>Nothing replicated (reads, sign-ins), or covered by a trigger already.</summary>
    None,

    /// <summary>The user's attributes, status or enabled flag.</summary>
    UserProfile,

    /// <summary>The user's group memberships (and read the profile too, to find the user).</summary>
    UserGroups,

    /// <summary>The user may be gone.</summary>
    UserDeleted,

    /// <summary>A group's settings, or the group itself.</summary>
    Group,

    /// <summary>An object of the pool's configuration (<see cref="ConfigurationRecords"/> says which).</summary>
    Configuration,
}

public static class CloudTrailChanges
{
    /// <summary>Every event name <see cref="Of"/> handles (the EventBridge rule in cdk/ subscribes to exactly these).</summary>
    public static readonly IReadOnlyList<string> EventNames =
    [
        "AdminCreateUser", "AdminUpdateUserAttributes", "AdminDeleteUserAttributes", "AdminDisableUser", "AdminEnableUser",
        "AdminConfirmSignUp", "AdminSetUserPassword", "AdminResetUserPassword", "UpdateUserAttributes", "DeleteUserAttributes",
        "VerifyUserAttribute", "AdminLinkProviderForUser", "AdminDisableProviderForUser", "AdminAddUserToGroup",
        "AdminRemoveUserFromGroup", "AdminDeleteUser", "DeleteUser", "CreateGroup", "UpdateGroup", "DeleteGroup",
        .. ConfigurationRecords.EventNames,
    ];

    /// <summary>
    /// The Cognito user pools operations that change users or groups (Amazon Cognito API reference). Self sign-up,
    /// its confirmation and forgotten-password confirmation are left to the PostConfirmation trigger, which carries
    /// the user's attributes (their CloudTrail records name no pool and no user); authentication to its triggers.
    /// </summary>
    public static CloudTrailChange Of(string eventName) => eventName switch
    {
        "AdminCreateUser" or "AdminUpdateUserAttributes" or "AdminDeleteUserAttributes" or "AdminDisableUser"
            or "AdminEnableUser" or "AdminConfirmSignUp" or "AdminSetUserPassword" or "AdminResetUserPassword"
            or "UpdateUserAttributes" or "DeleteUserAttributes" or "VerifyUserAttribute" or "AdminLinkProviderForUser"
            or "AdminDisableProviderForUser" => CloudTrailChange.UserProfile,
        "AdminAddUserToGroup" or "AdminRemoveUserFromGroup" => CloudTrailChange.UserGroups,
        "AdminDeleteUser" or "DeleteUser" => CloudTrailChange.UserDeleted,
        "CreateGroup" or "UpdateGroup" or "DeleteGroup" => CloudTrailChange.Group,
        _ when ConfigurationRecords.KindOf(eventName) is not null => CloudTrailChange.Configuration,
        _ => CloudTrailChange.None,
    };
}
