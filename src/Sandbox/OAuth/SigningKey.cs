using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityReplicator.Sandbox.OAuth;

/// <summary>
/// A pool's RS256 signing key: generated on the sandbox's first start and kept (PKCS#8 PEM, readable by its owner only)
/// in the pool's data folder, so a restart on the same folder keeps issuing tokens its earlier JWKS verifies. Its
/// <c>kid</c> is the key's RFC 7638 thumbprint.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    public const string FileName = "oauth-signing-key.pem";
    private readonly RSA _rsa;

    private SigningKey(RSA rsa)
    {
        _rsa = rsa;
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        Modulus = Base64Url(parameters.Modulus!);
        Exponent = Base64Url(parameters.Exponent!);
        KeyId = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{Exponent}}","kty":"RSA","n":"{{Modulus}}"}""")));
    }

    public string KeyId { get; }

    private string Modulus { get; }

    private string Exponent { get; }

    /// <summary>The key in <paramref name="folder"/> (created there when missing), or an in-memory one when null.</summary>
    public static SigningKey LoadOrCreate(string? folder)
    {
        var rsa = RSA.Create(2048);
        try
        {
            if (folder is null)
            {
                return new SigningKey(rsa);
            }

            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, FileName);
            if (File.Exists(path))
            {
                rsa.ImportFromPem(File.ReadAllText(path));
                return new SigningKey(rsa);
            }

            var temporary = path + ".tmp";
            File.WriteAllText(temporary, rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: false);
            return new SigningKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>The JWKS document Cognito publishes at <c>/{userPoolId}/.well-known/jwks.json</c>.</summary>
    public JsonObject Jwks() => new()
    {
        ["keys"] = new JsonArray(new JsonObject
        {
            ["alg"] = "RS256",
            ["e"] = Exponent,
            ["kid"] = KeyId,
            ["kty"] = "RSA",
            ["n"] = Modulus,
            ["use"] = "sig",
        }),
    };

    /// <summary>A compact JWS (RS256) of <paramref name="claims"/>, with the header Cognito writes (<c>kid</c>, <c>alg</c>).</summary>
    public string Sign(JsonObject claims)
    {
        var header = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["kid"] = KeyId, ["alg"] = "RS256" }.ToJsonString()));
        var payload = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signed = header + "." + payload;
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    public void Dispose() => _rsa.Dispose();

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
