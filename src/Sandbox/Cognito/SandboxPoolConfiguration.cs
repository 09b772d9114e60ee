using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// The configuration both sandbox pools are provisioned with, alike, as a real deployment's infrastructure code makes
/// them: an app client (<see cref="AppClientName"/>, one per pool with its own id), a resource server with scopes, a
/// confidential machine-to-machine client whose secret is the same value in both pools, and a password policy. So a
/// fresh sandbox has no configuration drift, and tests and the demo start from a clean, alike pair.
/// </summary>
internal static class SandboxPoolConfiguration
{
    /// <summary>The sign-in app client each pool has (its id differs per pool: what a failover's client-config flip changes).</summary>
    public const string AppClientName = "idrep-sandbox-app";

    /// <summary>The confidential client (client credentials, the resource server's scopes, a generated secret).</summary>
    public const string MachineClientName = "idrep-sandbox-m2m";

    /// <summary>The resource server's identifier (its scopes are <c>read</c> and <c>write</c>).</summary>
    public const string ResourceServer = "https://api.sandbox.idrep.test";

    public const int PasswordMinimumLength = 12;

    /// <summary>The application's hosted-UI callback URL, on the sign-in app client of both pools (the hosted-ui-config journey checks it).</summary>
    public const string CallbackUrl = "https://app.sandbox.idrep.test/oauth2/callback";

    /// <summary>The sign-in app client, as both pools get it (the front records it as given).</summary>
    public static CreateUserPoolClientRequest AppClient(string userPoolId) =>
        new(userPoolId, AppClientName)
        {
            GenerateSecret = false,
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        };

    /// <summary>
    /// Gives the primary its configuration, then the standby the same, with the confidential client's secret copied
    /// (a deployment passes both pools one secret value). The secret goes from one call to the other and nowhere else.
    /// </summary>
    public static async Task ProvisionAsync(
        CognitoIdentityProviderClient primary,
        string primaryPoolId,
        CognitoIdentityProviderClient standby,
        string standbyPoolId,
        CancellationToken cancellationToken)
    {
        var secret = await ProvisionPoolAsync(primary, primaryPoolId, null, cancellationToken)
            ?? throw new InvalidOperationException($"The sandbox's front created {MachineClientName} without a secret.");
        await ProvisionPoolAsync(standby, standbyPoolId, secret, cancellationToken);
    }

    /// <summary>Provisions one pool; returns the confidential client's secret.</summary>
    private static async Task<string?> ProvisionPoolAsync(CognitoIdentityProviderClient client, string userPoolId, string? secret, CancellationToken cancellationToken)
    {
        await client.CreateResourceServerRawAsync(
            new JsonObject
            {
                ["UserPoolId"] = userPoolId,
                ["Identifier"] = ResourceServer,
                ["Name"] = "api",
                ["Scopes"] = new JsonArray(Scope("read", "Read the API"), Scope("write", "Change through the API")),
            },
            cancellationToken);

        var described = (await client.DescribeUserPoolRawAsync(userPoolId, cancellationToken)).UserPool
            ?? throw new InvalidOperationException($"The sandbox's front described no pool {userPoolId}.");
        var update = ConfigurationRequests.UpdateUserPool(described, userPoolId);
        update["Policies"] = new JsonObject
        {
            ["PasswordPolicy"] = new JsonObject
            {
                ["MinimumLength"] = PasswordMinimumLength,
                ["RequireUppercase"] = true,
                ["RequireLowercase"] = true,
                ["RequireNumbers"] = true,
                ["RequireSymbols"] = false,
                ["TemporaryPasswordValidityDays"] = 7,
            },
        };
        await client.UpdateUserPoolRawAsync(update, cancellationToken);

        // The application's hosted-UI callback on its sign-in client (the request shape above has no CallbackURLs).
        await foreach (var listed in client.ListUserPoolClientsAsync(userPoolId, cancellationToken))
        {
            if (listed is { ClientName: AppClientName, ClientId: { } appClientId })
            {
                var app = ConfigurationRequests.UpdateUserPoolClient(await client.DescribeUserPoolClientRawAsync(userPoolId, appClientId, cancellationToken), userPoolId, appClientId);
                app["CallbackURLs"] = new JsonArray(CallbackUrl);
                await client.UpdateUserPoolClientRawAsync(app, cancellationToken);
            }
        }

        var machine = new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["ClientName"] = MachineClientName,
            ["AllowedOAuthFlows"] = new JsonArray("client_credentials"),
            ["AllowedOAuthScopes"] = new JsonArray($"{ResourceServer}/read", $"{ResourceServer}/write"),
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
            ["AccessTokenValidity"] = 1,
            ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "hours" },
        };
        if (secret is null)
        {
            machine["GenerateSecret"] = true;
        }
        else
        {
            machine["ClientSecret"] = secret;
        }

        var created = await client.CreateUserPoolClientRawAsync(machine, cancellationToken);
        return (string?)created["ClientSecret"];
    }

    private static JsonObject Scope(string name, string description) =>
        new() { ["ScopeName"] = name, ["ScopeDescription"] = description };
}
