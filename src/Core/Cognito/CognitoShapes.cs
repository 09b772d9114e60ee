using System.Text.Json;
using System.Text.Json.Nodes;

// Request and response shapes of the Cognito user pools API (cognito-idp 2016-04-18), named and spelled as in
// the official API model (npm aws-sdk apis/cognito-idp-2016-04-18.min.json). Only the operations this tool calls.
// Members the tool does not interpret but must carry through a read-modify-write are kept as raw JSON.
namespace IdentityReplicator.Core.Cognito;

#pragma warning disable CA1056 // URIs are strings on the wire

public sealed record AttributeType(string Name, string? Value = null);

public sealed record MFAOptionType(string? DeliveryMedium, string? AttributeName);

public sealed record UserType
{
    public string? Username { get; init; }
    public IReadOnlyList<AttributeType>? Attributes { get; init; }
    public DateTimeOffset? UserCreateDate { get; init; }
    public DateTimeOffset? UserLastModifiedDate { get; init; }
    public bool? Enabled { get; init; }
    public string? UserStatus { get; init; }
    public IReadOnlyList<MFAOptionType>? MFAOptions { get; init; }
}

public sealed record GroupType
{
    public string? GroupName { get; init; }
    public string? UserPoolId { get; init; }
    public string? Description { get; init; }
    public string? RoleArn { get; init; }
    public int? Precedence { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

public sealed record Empty;

public sealed record AdminGetUserRequest(string UserPoolId, string Username);

public sealed record AdminGetUserResponse
{
    public string? Username { get; init; }
    public IReadOnlyList<AttributeType>? UserAttributes { get; init; }
    public DateTimeOffset? UserCreateDate { get; init; }
    public DateTimeOffset? UserLastModifiedDate { get; init; }
    public bool? Enabled { get; init; }
    public string? UserStatus { get; init; }
    public IReadOnlyList<MFAOptionType>? MFAOptions { get; init; }
    public string? PreferredMfaSetting { get; init; }
    public IReadOnlyList<string>? UserMFASettingList { get; init; }
}

public sealed record AdminCreateUserRequest
{
    public required string UserPoolId { get; init; }
    public required string Username { get; init; }
    public IReadOnlyList<AttributeType>? UserAttributes { get; init; }
    public IReadOnlyList<AttributeType>? ValidationData { get; init; }
    public string? TemporaryPassword { get; init; }
    public bool? ForceAliasCreation { get; init; }

    /// <summary><c>RESEND</c> or <c>SUPPRESS</c>.</summary>
    public string? MessageAction { get; init; }

    public IReadOnlyList<string>? DesiredDeliveryMediums { get; init; }
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record AdminCreateUserResponse
{
    public UserType? User { get; init; }
}

public sealed record AdminUpdateUserAttributesRequest(string UserPoolId, string Username, IReadOnlyList<AttributeType> UserAttributes)
{
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record AdminDeleteUserAttributesRequest(string UserPoolId, string Username, IReadOnlyList<string> UserAttributeNames);

public sealed record AdminDeleteUserRequest(string UserPoolId, string Username);

public sealed record AdminEnableUserRequest(string UserPoolId, string Username);

public sealed record AdminDisableUserRequest(string UserPoolId, string Username);

public sealed record AdminSetUserPasswordRequest(string UserPoolId, string Username, string Password, bool? Permanent);

internal sealed record AdminListGroupsForUserRequest(string Username, string UserPoolId)
{
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

internal sealed record AdminListGroupsForUserResponse
{
    public IReadOnlyList<GroupType>? Groups { get; init; }
    public string? NextToken { get; init; }
}

public sealed record AdminAddUserToGroupRequest(string UserPoolId, string Username, string GroupName);

public sealed record AdminRemoveUserFromGroupRequest(string UserPoolId, string Username, string GroupName);

public sealed record CreateGroupRequest(string GroupName, string UserPoolId)
{
    public string? Description { get; init; }
    public string? RoleArn { get; init; }
    public int? Precedence { get; init; }
}

public sealed record UpdateGroupRequest(string GroupName, string UserPoolId)
{
    public string? Description { get; init; }
    public string? RoleArn { get; init; }
    public int? Precedence { get; init; }
}

public sealed record GroupResponse
{
    public GroupType? Group { get; init; }
}

public sealed record DeleteGroupRequest(string GroupName, string UserPoolId);

public sealed record GetGroupRequest(string GroupName, string UserPoolId);

public sealed record ListGroupsRequest(string UserPoolId)
{
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

internal sealed record ListGroupsResponse
{
    public IReadOnlyList<GroupType>? Groups { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListUsersRequest(string UserPoolId)
{
    public IReadOnlyList<string>? AttributesToGet { get; init; }

    /// <summary>At most 60.</summary>
    public int? Limit { get; init; }

    public string? PaginationToken { get; init; }
    public string? Filter { get; init; }
}

internal sealed record ListUsersResponse
{
    public IReadOnlyList<UserType>? Users { get; init; }
    public string? PaginationToken { get; init; }
}

public sealed record ListUsersInGroupRequest(string UserPoolId, string GroupName)
{
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

internal sealed record ListUsersInGroupResponse
{
    public IReadOnlyList<UserType>? Users { get; init; }
    public string? NextToken { get; init; }
}

internal sealed record DescribeUserPoolRequest(string UserPoolId);

internal sealed record DescribeUserPoolResponse
{
    public UserPoolType? UserPool { get; init; }
}

/// <summary>DescribeUserPool's reply with the pool as raw JSON (for read-modify-write of settings not modelled here).</summary>
public sealed record DescribeUserPoolRawResponse
{
    public JsonObject? UserPool { get; init; }
}

public sealed record NumberAttributeConstraintsType(string? MinValue = null, string? MaxValue = null);

public sealed record StringAttributeConstraintsType(string? MinLength = null, string? MaxLength = null);

public sealed record SchemaAttributeType
{
    public string? Name { get; init; }

    /// <summary><c>String</c>, <c>Number</c>, <c>DateTime</c> or <c>Boolean</c>.</summary>
    public string? AttributeDataType { get; init; }

    public bool? DeveloperOnlyAttribute { get; init; }
    public bool? Mutable { get; init; }
    public bool? Required { get; init; }
    public NumberAttributeConstraintsType? NumberAttributeConstraints { get; init; }
    public StringAttributeConstraintsType? StringAttributeConstraints { get; init; }
}

public sealed record PasswordPolicyType
{
    public int? MinimumLength { get; init; }
    public bool? RequireUppercase { get; init; }
    public bool? RequireLowercase { get; init; }
    public bool? RequireNumbers { get; init; }
    public bool? RequireSymbols { get; init; }
    public int? PasswordHistorySize { get; init; }
    public int? TemporaryPasswordValidityDays { get; init; }
}

public sealed record UserPoolPolicyType
{
    public PasswordPolicyType? PasswordPolicy { get; init; }
}

public sealed record LambdaVersionArn(string LambdaVersion, string LambdaArn);

public sealed record LambdaConfigType
{
    public string? PreSignUp { get; init; }
    public string? CustomMessage { get; init; }
    public string? PostConfirmation { get; init; }
    public string? PreAuthentication { get; init; }
    public string? PostAuthentication { get; init; }
    public string? DefineAuthChallenge { get; init; }
    public string? CreateAuthChallenge { get; init; }
    public string? VerifyAuthChallengeResponse { get; init; }
    public string? PreTokenGeneration { get; init; }
    public string? UserMigration { get; init; }
    public LambdaVersionArn? PreTokenGenerationConfig { get; init; }
    public LambdaVersionArn? CustomSMSSender { get; init; }
    public LambdaVersionArn? CustomEmailSender { get; init; }
    public string? KMSKeyID { get; init; }
}

public sealed record UsernameConfigurationType(bool CaseSensitive);

public sealed record AdminCreateUserConfigType
{
    public bool? AllowAdminCreateUserOnly { get; init; }
    public int? UnusedAccountValidityDays { get; init; }
    public JsonElement? InviteMessageTemplate { get; init; }
}

/// <summary>
/// A user pool as DescribeUserPool returns it. Settings this tool never interprets are carried as raw JSON so a
/// read-modify-write (UpdateUserPool resets whatever it is not given) can hand them back unchanged.
/// </summary>
public sealed record UserPoolType
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public UserPoolPolicyType? Policies { get; init; }
    public string? DeletionProtection { get; init; }
    public LambdaConfigType? LambdaConfig { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public IReadOnlyList<SchemaAttributeType>? SchemaAttributes { get; init; }
    public IReadOnlyList<string>? AutoVerifiedAttributes { get; init; }
    public IReadOnlyList<string>? AliasAttributes { get; init; }
    public IReadOnlyList<string>? UsernameAttributes { get; init; }
    public string? SmsVerificationMessage { get; init; }
    public string? EmailVerificationMessage { get; init; }
    public string? EmailVerificationSubject { get; init; }
    public JsonElement? VerificationMessageTemplate { get; init; }
    public string? SmsAuthenticationMessage { get; init; }
    public JsonElement? UserAttributeUpdateSettings { get; init; }
    public string? MfaConfiguration { get; init; }
    public JsonElement? DeviceConfiguration { get; init; }
    public int? EstimatedNumberOfUsers { get; init; }
    public JsonElement? EmailConfiguration { get; init; }
    public JsonElement? SmsConfiguration { get; init; }
    public IReadOnlyDictionary<string, string>? UserPoolTags { get; init; }
    public string? SmsConfigurationFailure { get; init; }
    public string? EmailConfigurationFailure { get; init; }
    public string? Domain { get; init; }
    public string? CustomDomain { get; init; }
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    public JsonElement? UserPoolAddOns { get; init; }
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    public string? Arn { get; init; }
    public JsonElement? AccountRecoverySetting { get; init; }
}

public sealed record CreateUserPoolRequest(string PoolName)
{
    public UserPoolPolicyType? Policies { get; init; }
    public LambdaConfigType? LambdaConfig { get; init; }
    public IReadOnlyList<string>? AutoVerifiedAttributes { get; init; }
    public IReadOnlyList<string>? AliasAttributes { get; init; }
    public IReadOnlyList<string>? UsernameAttributes { get; init; }
    public string? MfaConfiguration { get; init; }
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    public IReadOnlyList<SchemaAttributeType>? Schema { get; init; }
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    public IReadOnlyDictionary<string, string>? UserPoolTags { get; init; }
}

public sealed record CreateUserPoolResponse
{
    public UserPoolType? UserPool { get; init; }
}

public sealed record CreateUserPoolClientRequest(string UserPoolId, string ClientName)
{
    public bool? GenerateSecret { get; init; }
    public IReadOnlyList<string>? ExplicitAuthFlows { get; init; }
    public IReadOnlyList<string>? ReadAttributes { get; init; }
    public IReadOnlyList<string>? WriteAttributes { get; init; }
}

public sealed record UserPoolClientType
{
    public string? UserPoolId { get; init; }
    public string? ClientName { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public IReadOnlyList<string>? ExplicitAuthFlows { get; init; }
}

public sealed record CreateUserPoolClientResponse
{
    public UserPoolClientType? UserPoolClient { get; init; }
}

public sealed record SignUpRequest(string ClientId, string Username, string Password)
{
    public string? SecretHash { get; init; }
    public IReadOnlyList<AttributeType>? UserAttributes { get; init; }
    public IReadOnlyList<AttributeType>? ValidationData { get; init; }
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record CodeDeliveryDetailsType(string? Destination, string? DeliveryMedium, string? AttributeName);

public sealed record SignUpResponse
{
    public bool UserConfirmed { get; init; }
    public string? UserSub { get; init; }
    public CodeDeliveryDetailsType? CodeDeliveryDetails { get; init; }
}

public sealed record ConfirmSignUpRequest(string ClientId, string Username, string ConfirmationCode)
{
    public string? SecretHash { get; init; }
    public bool? ForceAliasCreation { get; init; }
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record InitiateAuthRequest(string AuthFlow, string ClientId)
{
    public IReadOnlyDictionary<string, string>? AuthParameters { get; init; }
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }
}

public sealed record AuthenticationResultType
{
    public string? AccessToken { get; init; }
    public int? ExpiresIn { get; init; }
    public string? TokenType { get; init; }
    public string? RefreshToken { get; init; }
    public string? IdToken { get; init; }
}

public sealed record InitiateAuthResponse
{
    public string? ChallengeName { get; init; }
    public string? Session { get; init; }
    public IReadOnlyDictionary<string, string>? ChallengeParameters { get; init; }
    public AuthenticationResultType? AuthenticationResult { get; init; }
}

/// <summary>The attributes of a user as a dictionary (the API's <c>[{Name, Value}]</c> list, names unique).</summary>
public static class AttributeTypeExtensions
{
    public static Dictionary<string, string> ToDictionary(this IReadOnlyList<AttributeType>? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (attributes is null)
        {
            return result;
        }

        foreach (var attribute in attributes)
        {
            result[attribute.Name] = attribute.Value ?? string.Empty;
        }

        return result;
    }

    public static List<AttributeType> ToAttributeList(this IEnumerable<KeyValuePair<string, string>> attributes) =>
        attributes.Select(a => new AttributeType(a.Key, a.Value)).ToList();
}
