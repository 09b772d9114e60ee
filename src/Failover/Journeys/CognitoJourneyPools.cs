using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Failover.Plans;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>
/// The journeys' view of the plan's two pools on Cognito (or the sandbox). A monitoring user gets a fresh random
/// password before each sign-in; the password and every client secret stay in memory, never logged or stored.
/// Secrets published as <c>ClientSecretArn</c> are read from Secrets Manager in the pool's Region when a client for it is given.
/// </summary>
internal sealed class CognitoJourneyPools(FailoverPlan plan, PerPool<CognitoIdentityProviderClient> clients, PerPool<SecretsManagerClient?> secrets) : IJourneyPools
{
    private readonly Native.NativeJourneyPasswords _native = new();

    public async Task<JourneySignIn> SignInAsync(PoolRole role, string username, bool create, CancellationToken cancellationToken)
    {
        var pool = plan.Pools.For(role);
        var client = clients.For(role);
        var password = "Idrep-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "!A1";
        // Native mode: a secondary refuses user writes, so the password is set once per run in the primary Region and
        // Cognito copies it; later attempts only sign in, until the copy has arrived (NativeJourneyPasswords).
        var writer = plan.Cognito.IsNative ? clients.Primary : client;
        var known = plan.Cognito.IsNative ? _native.Known(username) : null;
        password = known ?? password;
        if (known is null)
        {
            try
            {
                await writer.AdminGetUserAsync(new AdminGetUserRequest(pool.UserPoolId, username), cancellationToken);
            }
            catch (UserNotFoundException) when (create)
            {
                var attributes = username.Contains('@', StringComparison.Ordinal)
                    ? new List<AttributeType> { new("email", username), new("email_verified", "true") }
                    : [];
                await writer.AdminCreateUserAsync(
                    new AdminCreateUserRequest { UserPoolId = pool.UserPoolId, Username = username, UserAttributes = attributes, MessageAction = "SUPPRESS", TemporaryPassword = password },
                    cancellationToken);
            }

            await writer.AdminSetUserPasswordAsync(new AdminSetUserPasswordRequest(pool.UserPoolId, username, password, Permanent: true), cancellationToken);
            if (plan.Cognito.IsNative)
            {
                _native.Remember(username, password);
            }
        }

        try
        {
            var auth = await client.InitiateAuthAsync(
                new InitiateAuthRequest("USER_PASSWORD_AUTH", pool.AppClientId)
                {
                    AuthParameters = new Dictionary<string, string> { ["USERNAME"] = username, ["PASSWORD"] = password },
                },
                cancellationToken);
            return auth.AuthenticationResult?.IdToken is { Length: > 0 } idToken
                ? new JourneySignIn(true, idToken, null, $"signed in to {pool.UserPoolId}")
                : new JourneySignIn(false, null, auth.ChallengeName, $"{pool.UserPoolId} answered without tokens (challenge {auth.ChallengeName ?? "none"})");
        }
        catch (CognitoException e) when (e is not UserNotFoundException)
        {
            return new JourneySignIn(false, null, e.ErrorCode, $"{pool.UserPoolId} refused: {e.ErrorCode}");
        }
    }

    public async Task<JourneyClient?> ClientAsync(PoolRole role, string? clientId, string? name, CancellationToken cancellationToken)
    {
        var pool = plan.Pools.For(role);
        var client = clients.For(role);
        if (clientId is null)
        {
            await foreach (var listed in client.ListUserPoolClientsAsync(pool.UserPoolId, cancellationToken))
            {
                if (string.Equals(listed.ClientName, name, StringComparison.Ordinal))
                {
                    clientId = listed.ClientId;
                    break;
                }
            }

            if (clientId is null)
            {
                return null;
            }
        }

        JsonObject described;
        try
        {
            described = await client.DescribeUserPoolClientRawAsync(pool.UserPoolId, clientId, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }

        var secret = (string?)described["ClientSecret"];
        if (string.IsNullOrEmpty(secret) && (string?)described["ClientSecretArn"] is { Length: > 0 } arn && secrets.For(role) is { } manager)
        {
            secret = SecretsManagerClient.ClientSecretOf(await manager.GetSecretValueAsync(new GetSecretValueRequest(arn), cancellationToken));
        }

        return new JourneyClient(
            clientId,
            (string?)described["ClientName"] ?? name ?? string.Empty,
            string.IsNullOrEmpty(secret) ? null : secret,
            Strings(described["CallbackURLs"]),
            Strings(described["AllowedOAuthFlows"]),
            Strings(described["AllowedOAuthScopes"]));
    }

    private static ImmutableArray<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(v => (string?)v).OfType<string>()] : [];
}
