using System.Security.Cryptography;
using System.Text;

namespace IdentityReplicator.Core.PoolConfiguration;

/// <summary>
/// A keyed fingerprint of a client secret (HMAC-SHA-256, first 16 bytes, hex): two pools hold the same secret when
/// their fingerprints are equal, and nobody holding only fingerprints can test guesses without the key. Secrets are
/// never stored, logged or printed; fingerprints may be (they are what reports and the mirror table see).
/// </summary>
public sealed class SecretFingerprinter
{
    private readonly byte[] _key;

    /// <param name="key">At least 32 bytes. The same key must fingerprint both pools (and every run, where fingerprints are kept).</param>
    public SecretFingerprinter(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException($"A secret fingerprint key needs at least 32 bytes; this one has {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A fingerprinter with a random key: fingerprints compare within this process only.</summary>
    public static SecretFingerprinter Ephemeral() => new(RandomNumberGenerator.GetBytes(32));

    public string Of(string secret)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(secret), mac);
        return "hmac:" + Convert.ToHexStringLower(mac[..16]);
    }
}
