using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito.NativeReplica;

/// <summary>
/// The simulated native replica: in the secondary's Region, the primary's pool id answered at this Region's endpoint.
/// What the developer guide says a secondary refuses — creating users, password resets, profile edits, TOTP — and the
/// configuration writes the primary owns are refused with OperationNotEnabledException; end-user calls to an INACTIVE
/// replica likewise. Everything else is served from the primary's directory (the sandbox's stand-in for the copy
/// Cognito keeps), except that for <see cref="NativeReplicaRegistry.Lag"/> after a change a user reads as it was before
/// (AdminGetUser), which is what the companion's canary measures. Calls for other pools pass on to this Region's emulator.
/// </summary>
internal sealed class SecondaryEndpoint(string region, NativeReplicaRegistry registry, Func<string, Uri?> frontOf) : ICognitoInterceptor, IDisposable
{
    /// <summary>Operations a secondary replica refuses (multi-Region replication page: limitations; UserPoolReplicaType.Role).</summary>
    public static readonly IReadOnlySet<string> Refused = new HashSet<string>(StringComparer.Ordinal)
    {
        // No new users, by sign-up or by an administrator.
        "SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp", "ResendConfirmationCode",
        // No password resets or changes.
        "ForgotPassword", "ConfirmForgotPassword", "AdminResetUserPassword", "AdminSetUserPassword", "ChangePassword",
        // No profile edits, and no other change of a user.
        "UpdateUserAttributes", "AdminUpdateUserAttributes", "DeleteUserAttributes", "AdminDeleteUserAttributes", "VerifyUserAttribute",
        "GetUserAttributeVerificationCode", "AdminDeleteUser", "DeleteUser", "AdminDisableUser", "AdminEnableUser", "AdminAddUserToGroup",
        "AdminRemoveUserFromGroup", "AdminLinkProviderForUser", "AdminDisableProviderForUser", "AdminSetUserMFAPreference", "SetUserMFAPreference",
        // No TOTP.
        "AssociateSoftwareToken", "VerifySoftwareToken",
        // Configuration is set in the primary and copied (Regional settings aside: SecondaryRegionalSettings keeps them).
        "CreateUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient", "CreateGroup", "UpdateGroup", "DeleteGroup",
        "CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer", "CreateIdentityProvider", "UpdateIdentityProvider",
        "DeleteIdentityProvider", "AddCustomAttributes", "SetUserPoolMfaConfig", "DeleteUserPool",
    };

    private static readonly HashSet<string> EndUser = new(StringComparer.Ordinal)
    {
        "InitiateAuth", "RespondToAuthChallenge", "AdminInitiateAuth", "AdminRespondToAuthChallenge", "GetUser", "GetTokensFromRefreshToken",
        "RevokeToken", "GlobalSignOut", "AdminUserGlobalSignOut",
    };

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (call.Operation is "CreateUserPoolReplica" or "UpdateUserPoolReplica" or "DeleteUserPoolReplica" or "ListUserPoolReplicas")
        {
            return null;
        }

        var pool = call.UserPoolId
            ?? (Text(call.Body?["ClientId"]) is { } clientId ? registry.PoolOfClient(clientId) : null)
            ?? PoolOfToken(Text(call.Body?["AccessToken"]));
        if (pool is null || registry.Find(pool) is not { } replica || replica.SecondaryRegion != region || frontOf(replica.PrimaryRegion) is not { } primary)
        {
            return null;
        }

        if (replica.Status is ReplicaStatus.Creating or ReplicaStatus.Deleting)
        {
            return FrontReply.Error(400, "ResourceNotFoundException", $"User pool {pool} does not exist in {region}.");
        }

        if (Refused.Contains(call.Operation))
        {
            return FrontReply.Error(400, "OperationNotEnabledException", $"{call.Operation} is not supported by the secondary replica of user pool {pool} in {region}.");
        }

        if (SecondaryRegionalSettings.Handles(call.Operation))
        {
            return SecondaryRegionalSettings.Serve(pool, registry, call);
        }

        if (EndUser.Contains(call.Operation) && replica.Status != ReplicaStatus.Active)
        {
            return FrontReply.Error(400, "OperationNotEnabledException", $"The replica of user pool {pool} in {region} is {replica.Status}: it does not serve end users.");
        }

        if (call.Operation == "AdminGetUser" && Text(call.Body?["Username"]) is { } username && registry.TryGetLagging(pool, username, out var before))
        {
            return before is null
                ? FrontReply.Error(400, "UserNotFoundException", "User does not exist.")
                : new FrontReply(200, Encoding.UTF8.GetBytes(before.ToJsonString()));
        }

        var reply = Diverged(pool, call.Operation, await ForwardAsync(primary, call, cancellationToken));
        if (call.Operation == "DescribeUserPool")
        {
            return SecondaryRegionalSettings.Describe(pool, region, registry, reply);
        }

        return reply.IsSuccess && call.Operation is "InitiateAuth" or "AdminInitiateAuth" or "RespondToAuthChallenge" or "AdminRespondToAuthChallenge" && reply.Body.AsSpan().IndexOf("\"SOFTWARE_TOKEN_MFA\""u8) >= 0
            ? FrontReply.Error(400, "OperationNotEnabledException", $"TOTP MFA is not supported by the secondary replica of user pool {pool} in {region}; sign in while the primary serves.")
            : reply;
    }

    /// <summary>A user read (AdminGetUser, ListUsers) as the secondary shows it when a test made it diverge (<see cref="NativeReplicaRegistry.Diverge"/>).</summary>
    private FrontReply Diverged(string pool, string operation, FrontReply reply)
    {
        if (!reply.IsSuccess || operation is not ("AdminGetUser" or "ListUsers") || JsonNode.Parse(reply.Body) is not JsonObject body)
        {
            return reply;
        }

        var changed = false;
        var users = operation == "AdminGetUser" ? [body] : (body["Users"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var user in users)
        {
            if (Text(user["Username"]) is { } username && registry.DivergedAttributes(pool, username) is { } attributes
                && user[operation == "AdminGetUser" ? "UserAttributes" : "Attributes"] is JsonArray list)
            {
                foreach (var (name, value) in attributes)
                {
                    list.Remove(list.FirstOrDefault(a => Text(a?["Name"]) == name));
                    list.Add(new JsonObject { ["Name"] = name, ["Value"] = value });
                }

                changed = true;
            }
        }

        return changed ? new FrontReply(reply.Status, Encoding.UTF8.GetBytes(body.ToJsonString())) : reply;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Dispose() => _http.Dispose();

    private async Task<FrontReply> ForwardAsync(Uri primary, FrontCall call, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, primary) { Content = new StringContent(call.Body?.ToJsonString() ?? "{}", Encoding.UTF8) };
        message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + call.Operation);
        using var response = await _http.SendAsync(message, cancellationToken);
        return new FrontReply((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>The pool an access token was issued by (its <c>iss</c> ends with the pool id); null for anything else. Not verified: routing only.</summary>
    private static string? PoolOfToken(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var issuer = Text(JsonNode.Parse(Convert.FromBase64String(payload))?["iss"]);
            return issuer?[(issuer.LastIndexOf('/') + 1)..];
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
