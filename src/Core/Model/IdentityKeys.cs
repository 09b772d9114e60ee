using System.Security.Cryptography;
using System.Text;

namespace IdentityReplicator.Core.Model;

/// <summary>
/// A user's identity key: the primary pool's username, which Cognito never changes (for pools that sign in by
/// email or phone it is the UUID Cognito assigned). Case-insensitive pools (Cognito's default) match usernames
/// regardless of case, so their keys are lower-cased.
/// </summary>
public static class IdentityKeys
{
    public static string ForUsername(string username, bool caseSensitive) =>
        caseSensitive ? username : username.ToLowerInvariant();

    /// <summary>A short, stable, non-reversible tag for logs: never log the key itself (it may be an email).</summary>
    public static string Fingerprint(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..5]);
    }
}
