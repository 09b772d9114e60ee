namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// Cognito user pools meter API calls per account and Region by category. The table of which operation counts
/// against which category, and the default rates, are from the Amazon Cognito Developer Guide, "Quotas in
/// Amazon Cognito" → "API operation categories and request rate quotas". The client-secret operations
/// (ListUserPoolClientSecrets, Add/DeleteUserPoolClientSecret), managed login branding and terms are newer than the
/// table we read; they are placed with their kin (client reads/updates, pool resource reads/updates) — see
/// docs/design/configuration-replication.md. Operations in the UserPool* categories are also held to 5 RPS per pool.
/// </summary>
public enum QuotaCategory
{
    UserAuthentication,
    UserCreation,
    UserFederation,
    UserAccountRecovery,
    UserRead,
    UserUpdate,
    UserResourceRead,
    UserResourceUpdate,
    UserList,
    UserPoolRead,
    UserPoolUpdate,
    UserPoolResourceRead,
    UserPoolResourceUpdate,
    UserPoolClientRead,
    UserPoolClientUpdate,
    UserToken,
}

public static class CognitoQuotas
{
    private static readonly Dictionary<string, QuotaCategory> OperationCategories = new(StringComparer.Ordinal)
    {
        ["InitiateAuth"] = QuotaCategory.UserAuthentication,
        ["AdminInitiateAuth"] = QuotaCategory.UserAuthentication,
        ["RespondToAuthChallenge"] = QuotaCategory.UserAuthentication,
        ["AdminRespondToAuthChallenge"] = QuotaCategory.UserAuthentication,

        ["SignUp"] = QuotaCategory.UserCreation,
        ["ConfirmSignUp"] = QuotaCategory.UserCreation,
        ["AdminCreateUser"] = QuotaCategory.UserCreation,
        ["AdminConfirmSignUp"] = QuotaCategory.UserCreation,

        ["AdminLinkProviderForUser"] = QuotaCategory.UserFederation,
        ["AdminDisableProviderForUser"] = QuotaCategory.UserFederation,

        ["ForgotPassword"] = QuotaCategory.UserAccountRecovery,
        ["ConfirmForgotPassword"] = QuotaCategory.UserAccountRecovery,
        ["ChangePassword"] = QuotaCategory.UserAccountRecovery,
        ["AdminResetUserPassword"] = QuotaCategory.UserAccountRecovery,
        ["AdminSetUserPassword"] = QuotaCategory.UserAccountRecovery,

        ["AdminGetUser"] = QuotaCategory.UserRead,
        ["GetUser"] = QuotaCategory.UserRead,

        ["AdminUpdateUserAttributes"] = QuotaCategory.UserUpdate,
        ["AdminDeleteUserAttributes"] = QuotaCategory.UserUpdate,
        ["AdminDeleteUser"] = QuotaCategory.UserUpdate,
        ["AdminEnableUser"] = QuotaCategory.UserUpdate,
        ["AdminDisableUser"] = QuotaCategory.UserUpdate,
        ["AdminUserGlobalSignOut"] = QuotaCategory.UserUpdate,
        ["AdminSetUserMFAPreference"] = QuotaCategory.UserUpdate,
        ["AdminSetUserSettings"] = QuotaCategory.UserUpdate,
        ["UpdateUserAttributes"] = QuotaCategory.UserUpdate,
        ["DeleteUserAttributes"] = QuotaCategory.UserUpdate,
        ["DeleteUser"] = QuotaCategory.UserUpdate,

        ["AdminListGroupsForUser"] = QuotaCategory.UserResourceRead,
        ["AdminListDevices"] = QuotaCategory.UserResourceRead,
        ["AdminGetDevice"] = QuotaCategory.UserResourceRead,
        ["AdminListUserAuthEvents"] = QuotaCategory.UserResourceRead,

        ["AdminAddUserToGroup"] = QuotaCategory.UserResourceUpdate,
        ["AdminRemoveUserFromGroup"] = QuotaCategory.UserResourceUpdate,
        ["AdminForgetDevice"] = QuotaCategory.UserResourceUpdate,
        ["AdminUpdateDeviceStatus"] = QuotaCategory.UserResourceUpdate,

        ["ListUsers"] = QuotaCategory.UserList,
        ["ListUsersInGroup"] = QuotaCategory.UserList,

        ["DescribeUserPool"] = QuotaCategory.UserPoolRead,
        ["ListUserPools"] = QuotaCategory.UserPoolRead,
        ["ListUserPoolReplicas"] = QuotaCategory.UserPoolRead,
        ["GetUserPoolMfaConfig"] = QuotaCategory.UserPoolRead,
        ["GetLogDeliveryConfiguration"] = QuotaCategory.UserPoolRead,

        ["CreateUserPool"] = QuotaCategory.UserPoolUpdate,
        ["UpdateUserPool"] = QuotaCategory.UserPoolUpdate,
        ["DeleteUserPool"] = QuotaCategory.UserPoolUpdate,
        ["CreateUserPoolReplica"] = QuotaCategory.UserPoolUpdate,
        ["UpdateUserPoolReplica"] = QuotaCategory.UserPoolUpdate,
        ["DeleteUserPoolReplica"] = QuotaCategory.UserPoolUpdate,
        ["SetUserPoolMfaConfig"] = QuotaCategory.UserPoolUpdate,
        ["SetLogDeliveryConfiguration"] = QuotaCategory.UserPoolUpdate,

        ["GetGroup"] = QuotaCategory.UserPoolResourceRead,
        ["ListGroups"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeResourceServer"] = QuotaCategory.UserPoolResourceRead,
        ["ListResourceServers"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeIdentityProvider"] = QuotaCategory.UserPoolResourceRead,
        ["GetIdentityProviderByIdentifier"] = QuotaCategory.UserPoolResourceRead,
        ["ListIdentityProviders"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeUserPoolDomain"] = QuotaCategory.UserPoolResourceRead,
        ["GetUICustomization"] = QuotaCategory.UserPoolResourceRead,
        ["ListTagsForResource"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeManagedLoginBranding"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeManagedLoginBrandingByClient"] = QuotaCategory.UserPoolResourceRead,
        ["ListTerms"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeTerms"] = QuotaCategory.UserPoolResourceRead,
        ["DescribeRiskConfiguration"] = QuotaCategory.UserPoolResourceRead,

        ["CreateGroup"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateGroup"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteGroup"] = QuotaCategory.UserPoolResourceUpdate,
        ["AddCustomAttributes"] = QuotaCategory.UserPoolResourceUpdate,
        ["CreateResourceServer"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateResourceServer"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteResourceServer"] = QuotaCategory.UserPoolResourceUpdate,
        ["CreateIdentityProvider"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateIdentityProvider"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteIdentityProvider"] = QuotaCategory.UserPoolResourceUpdate,
        ["CreateUserPoolDomain"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateUserPoolDomain"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteUserPoolDomain"] = QuotaCategory.UserPoolResourceUpdate,
        ["SetUICustomization"] = QuotaCategory.UserPoolResourceUpdate,
        ["TagResource"] = QuotaCategory.UserPoolResourceUpdate,
        ["UntagResource"] = QuotaCategory.UserPoolResourceUpdate,
        ["CreateManagedLoginBranding"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateManagedLoginBranding"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteManagedLoginBranding"] = QuotaCategory.UserPoolResourceUpdate,
        ["CreateTerms"] = QuotaCategory.UserPoolResourceUpdate,
        ["UpdateTerms"] = QuotaCategory.UserPoolResourceUpdate,
        ["DeleteTerms"] = QuotaCategory.UserPoolResourceUpdate,
        ["SetRiskConfiguration"] = QuotaCategory.UserPoolResourceUpdate,

        ["DescribeUserPoolClient"] = QuotaCategory.UserPoolClientRead,
        ["ListUserPoolClients"] = QuotaCategory.UserPoolClientRead,
        ["ListUserPoolClientSecrets"] = QuotaCategory.UserPoolClientRead,

        ["CreateUserPoolClient"] = QuotaCategory.UserPoolClientUpdate,
        ["UpdateUserPoolClient"] = QuotaCategory.UserPoolClientUpdate,
        ["DeleteUserPoolClient"] = QuotaCategory.UserPoolClientUpdate,
        ["AddUserPoolClientSecret"] = QuotaCategory.UserPoolClientUpdate,
        ["DeleteUserPoolClientSecret"] = QuotaCategory.UserPoolClientUpdate,

        ["GetTokensFromRefreshToken"] = QuotaCategory.UserToken,
        ["RevokeToken"] = QuotaCategory.UserToken,
    };

    /// <summary>The category an operation counts against; unknown operations count as <see cref="QuotaCategory.UserPoolRead"/>, the most conservative.</summary>
    public static QuotaCategory CategoryOf(string operation) =>
        OperationCategories.TryGetValue(operation, out var category) ? category : QuotaCategory.UserPoolRead;

    /// <summary>Default quota in requests per second for an account and Region.</summary>
    public static double DefaultRate(QuotaCategory category) => category switch
    {
        QuotaCategory.UserAuthentication => 120,
        QuotaCategory.UserCreation => 50,
        QuotaCategory.UserFederation => 25,
        QuotaCategory.UserAccountRecovery => 30,
        QuotaCategory.UserRead => 120,
        QuotaCategory.UserUpdate => 25,
        QuotaCategory.UserResourceRead => 50,
        QuotaCategory.UserResourceUpdate => 25,
        QuotaCategory.UserList => 30,
        QuotaCategory.UserPoolRead => 15,
        QuotaCategory.UserPoolUpdate => 15,
        QuotaCategory.UserPoolResourceRead => 20,
        QuotaCategory.UserPoolResourceUpdate => 15,
        QuotaCategory.UserPoolClientRead => 15,
        QuotaCategory.UserPoolClientUpdate => 15,
        QuotaCategory.UserToken => 120,
        _ => 15,
    };

    /// <summary>The largest page ListUsers returns.</summary>
    public const int ListUsersPageLimit = 60;

    /// <summary>The largest page ListUsersInGroup, ListGroups and AdminListGroupsForUser return.</summary>
    public const int ListPageLimit = 60;
}
