using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace IdentityReplicator.TestSupport;

/// <summary>Checks an RS256 JWT against a JWKS document, as a resource server does, and returns its claims.</summary>
public static class JwtAssert
{
    public static JsonObject ValidRs256(string token, JsonObject jwks)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = (JsonObject)JsonNode.Parse(Decode(parts[0]))!;
        Assert.Equal("RS256", (string?)header["alg"]);
        var kid = (string?)header["kid"];
        var key = Assert.Single(jwks["keys"]!.AsArray(), k => (string?)k!["kid"] == kid)!;
        using var rsa = RSA.Create(new RSAParameters { Modulus = Decode((string)key["n"]!), Exponent = Decode((string)key["e"]!) });
        Assert.True(
            rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "The token's signature does not verify against the JWKS key " + kid);
        return (JsonObject)JsonNode.Parse(Decode(parts[1]))!;
    }

    private static byte[] Decode(string part)
    {
        var text = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
    }
}
