using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Failover.Journeys;

/// <summary>A token that is not a well-formed, correctly signed JWT of the expected issuer; the message says which check failed.</summary>
internal sealed class TokenRejectedException(string message) : Exception(message);

/// <summary>
/// The JWTs Cognito issues: their claims read (<see cref="Claims"/>), and an access token checked as a resource server
/// checks it (<see cref="ValidateAccessToken"/>): RS256 signature by a key of the pool's JWKS (matched by <c>kid</c>),
/// <c>iss</c>, <c>token_use</c>, <c>exp</c>. System.Security.Cryptography only: no JWT package.
/// </summary>
internal static class Jwt
{
    /// <summary>The payload's claims, without checking the signature (for ID tokens the pool just handed over).</summary>
    public static JsonObject Claims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new TokenRejectedException($"not a JWT ({parts.Length} part(s), 3 expected)");
        }

        return Json(parts[1], "payload");
    }

    /// <summary>
    /// Checks an access token against <paramref name="jwks"/> (the pool's <c>/.well-known/jwks.json</c> document) and
    /// returns its claims; throws <see cref="TokenRejectedException"/> naming the first check that fails.
    /// </summary>
    public static JsonObject ValidateAccessToken(string token, JsonObject jwks, string expectedIssuer, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new TokenRejectedException($"not a JWT ({parts.Length} part(s), 3 expected)");
        }

        var header = Json(parts[0], "header");
        if ((string?)header["alg"] != "RS256")
        {
            throw new TokenRejectedException($"signed with '{(string?)header["alg"]}', not RS256");
        }

        var kid = (string?)header["kid"];
        var key = (jwks["keys"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(k => (string?)k["kid"] == kid && (string?)k["kty"] == "RSA")
            ?? throw new TokenRejectedException($"its key id '{kid}' is not in the pool's JWKS");
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url((string?)key["n"], "n"), Exponent = Base64Url((string?)key["e"], "e") });
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!rsa.VerifyData(signed, Base64Url(parts[2], "signature"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw new TokenRejectedException($"its signature does not verify with key '{kid}' of the pool's JWKS");
        }

        var claims = Json(parts[1], "payload");
        if ((string?)claims["iss"] != expectedIssuer)
        {
            throw new TokenRejectedException($"its issuer is '{(string?)claims["iss"]}', not {expectedIssuer}");
        }

        if ((string?)claims["token_use"] != "access")
        {
            throw new TokenRejectedException($"its token_use is '{(string?)claims["token_use"]}', not access");
        }

        if (claims["exp"] is not JsonValue exp || !exp.TryGetValue<long>(out var expires) || DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            throw new TokenRejectedException("it has expired (or has no exp)");
        }

        return claims;
    }

    /// <summary>The token's space-separated <c>scope</c> claim.</summary>
    public static ImmutableHashSet<string> Scopes(JsonObject claims) =>
        ((string?)claims["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToImmutableHashSet(StringComparer.Ordinal);

    private static JsonObject Json(string part, string what)
    {
        try
        {
            return JsonNode.Parse(Base64Url(part, what)) as JsonObject ?? throw new TokenRejectedException($"its {what} is not a JSON object");
        }
        catch (JsonException)
        {
            throw new TokenRejectedException($"its {what} is not JSON");
        }
    }

    private static byte[] Base64Url(string? text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new TokenRejectedException($"its {what} is empty");
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new TokenRejectedException($"its {what} is not base64url");
        }
    }
}
