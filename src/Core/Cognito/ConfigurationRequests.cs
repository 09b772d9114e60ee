using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Core.Cognito;

/// <summary>
/// Builds Create/Update/Set requests from what Describe/Get returned, for read-modify-write. Cognito's Update
/// operations reset every setting they are not given, so these copy <em>every</em> member they read, known or not
/// (a setting newer than this code is carried, not dropped), and leave out only the members the API model says the
/// write operation does not accept (what Describe returns but Update refuses: ids, dates, computed values). The lists
/// come from the API model of the AWS SDK for JavaScript v3 (3.1178.0): UserPoolClientType vs
/// UpdateUserPoolClientRequest, UserPoolType vs UpdateUserPoolRequest, and so on. Every result is a deep copy.
/// </summary>
public static class ConfigurationRequests
{
    /// <summary>Members of UserPoolClientType that UpdateUserPoolClient and CreateUserPoolClient do not accept.</summary>
    public static readonly FrozenSet<string> ClientReadOnlyMembers =
        FrozenSet.Create(StringComparer.Ordinal, "ClientSecret", "ClientSecretArn", "LastModifiedDate", "CreationDate", "ClientType");

    /// <summary>Members of UserPoolType that UpdateUserPool does not accept (<c>Id</c> and <c>Name</c> become <c>UserPoolId</c> and <c>PoolName</c>).</summary>
    public static readonly FrozenSet<string> PoolReadOnlyMembers = FrozenSet.Create(
        StringComparer.Ordinal,
        "Id", "Name", "Arn", "Status", "LastModifiedDate", "CreationDate", "EstimatedNumberOfUsers", "SchemaAttributes",
        "AliasAttributes", "UsernameAttributes", "UsernameConfiguration", "Domain", "CustomDomain", "SmsConfigurationFailure",
        "EmailConfigurationFailure");

    /// <summary>Members of IdentityProviderType that UpdateIdentityProvider does not accept.</summary>
    public static readonly FrozenSet<string> IdentityProviderReadOnlyMembers =
        FrozenSet.Create(StringComparer.Ordinal, "ProviderType", "LastModifiedDate", "CreationDate");

    /// <summary>
    /// Keys of an identity provider's <c>ProviderDetails</c> that Cognito computes and refuses on input (the SAML
    /// encryption certificate it generated for this pool: each pool has its own).
    /// </summary>
    public static readonly FrozenSet<string> ProviderDetailsReadOnlyKeys = FrozenSet.Create(StringComparer.Ordinal, "ActiveEncryptionCertificate");

    /// <summary>Members of ResourceServerType that Create/UpdateResourceServer do not accept.</summary>
    public static readonly FrozenSet<string> ResourceServerReadOnlyMembers = FrozenSet.Create(StringComparer.Ordinal, "ManagedBy");

    /// <summary>UpdateUserPool for <paramref name="targetPoolId"/> carrying every writable setting of a described pool.</summary>
    public static JsonObject UpdateUserPool(JsonObject describedPool, string targetPoolId)
    {
        var request = CopyExcept(describedPool, PoolReadOnlyMembers);
        request["UserPoolId"] = targetPoolId;
        if (describedPool["Name"] is JsonValue name)
        {
            request["PoolName"] = name.DeepClone();
        }

        // Cognito refuses the deprecated UnusedAccountValidityDays next to TemporaryPasswordValidityDays.
        if (request["Policies"]?["PasswordPolicy"]?["TemporaryPasswordValidityDays"] is not null && request["AdminCreateUserConfig"] is JsonObject admin)
        {
            admin.Remove("UnusedAccountValidityDays");
        }

        return request;
    }

    /// <summary>UpdateUserPoolClient for the target's client carrying every setting of a described client.</summary>
    public static JsonObject UpdateUserPoolClient(JsonObject describedClient, string targetPoolId, string targetClientId)
    {
        var request = ClientSettings(describedClient);
        request["UserPoolId"] = targetPoolId;
        request["ClientId"] = targetClientId;
        return request;
    }

    /// <summary>
    /// CreateUserPoolClient in the target carrying every setting of a described client and, for a confidential
    /// client, the same secret value (<paramref name="clientSecret"/>; null for a public client).
    /// </summary>
    public static JsonObject CreateUserPoolClient(JsonObject describedClient, string targetPoolId, string? clientSecret)
    {
        var request = ClientSettings(describedClient);
        request.Remove("ClientId");
        request["UserPoolId"] = targetPoolId;
        if (clientSecret is not null)
        {
            request["ClientSecret"] = clientSecret;
        }

        return request;
    }

    /// <summary>CreateIdentityProvider in the target: every member of the described provider, its type included.</summary>
    public static JsonObject CreateIdentityProvider(JsonObject describedProvider, string targetPoolId)
    {
        var request = UpdateIdentityProvider(describedProvider, targetPoolId);
        if (describedProvider["ProviderType"] is JsonValue type)
        {
            request["ProviderType"] = type.DeepClone();
        }

        return request;
    }

    /// <summary>UpdateIdentityProvider in the target carrying every writable member of the described provider.</summary>
    public static JsonObject UpdateIdentityProvider(JsonObject describedProvider, string targetPoolId)
    {
        var request = CopyExcept(describedProvider, IdentityProviderReadOnlyMembers);
        request["UserPoolId"] = targetPoolId;
        if (request["ProviderDetails"] is JsonObject details)
        {
            foreach (var key in ProviderDetailsReadOnlyKeys)
            {
                details.Remove(key);
            }
        }

        return request;
    }

    /// <summary>Create- or UpdateResourceServer in the target (both take the same members).</summary>
    public static JsonObject ResourceServer(JsonObject describedServer, string targetPoolId)
    {
        var request = CopyExcept(describedServer, ResourceServerReadOnlyMembers);
        request["UserPoolId"] = targetPoolId;
        return request;
    }

    /// <summary>SetUserPoolMfaConfig in the target carrying every factor GetUserPoolMfaConfig returned.</summary>
    public static JsonObject SetUserPoolMfaConfig(JsonObject mfaConfig, string targetPoolId)
    {
        var request = CopyExcept(mfaConfig, FrozenSet<string>.Empty);
        request["UserPoolId"] = targetPoolId;
        return request;
    }

    private static JsonObject ClientSettings(JsonObject describedClient)
    {
        var request = CopyExcept(describedClient, ClientReadOnlyMembers);

        // Describe says where the secret lives, not the switch that put it there.
        if (describedClient["ClientSecretArn"] is JsonValue arn && arn.TryGetValue<string>(out var text) && text.Length > 0)
        {
            request["PublishSecretsInAWSSecretsManager"] = true;
        }

        return request;
    }

    private static JsonObject CopyExcept(JsonObject source, FrozenSet<string> excluded)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (!excluded.Contains(name) && value is not null)
            {
                copy[name] = value.DeepClone();
            }
        }

        return copy;
    }
}
