using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// Real Cognito lets AdminUpdateUserAttributes set <c>email_verified</c> (or <c>phone_number_verified</c>) on its own —
/// it is how an administrator marks an address verified, or not. cognito-local 5.3.0 refuses a flag without its
/// address in the same call ("Email is required to verify/un-verify an email"), which parks a standby user whose flag
/// must change while the address stays. This interceptor adds the user's current address to such a call, which
/// changes nothing else in the emulator.
/// </summary>
internal sealed class VerifiedFlagAlone(CognitoIdentityProviderClient emulator) : ICognitoInterceptor
{
    private static readonly (string Address, string Flag)[] Pairs = [("email", "email_verified"), ("phone_number", "phone_number_verified")];

    public async ValueTask<FrontReply?> BeforeAsync(FrontCall call, CancellationToken cancellationToken)
    {
        if (call.Operation != "AdminUpdateUserAttributes" || call.Body is not JsonObject body || body["UserAttributes"] is not JsonArray attributes
            || call.UserPoolId is not { } pool || body["Username"]?.GetValue<string>() is not { } username)
        {
            return null;
        }

        var names = attributes.OfType<JsonObject>().Select(a => a["Name"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var missing = Pairs.Where(p => names.Contains(p.Flag) && !names.Contains(p.Address)).Select(p => p.Address).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        try
        {
            var current = (await emulator.AdminGetUserAsync(new AdminGetUserRequest(pool, username), cancellationToken)).UserAttributes.ToDictionary();
            foreach (var address in missing.Where(current.ContainsKey))
            {
                attributes.Add(new JsonObject { ["Name"] = address, ["Value"] = current[address] });
            }
        }
        catch (UserNotFoundException)
        {
            // The emulator answers the call itself.
        }

        return null;
    }

    public ValueTask AfterAsync(FrontCall call, FrontReply reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
