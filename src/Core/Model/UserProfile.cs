using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace IdentityReplicator.Core.Model;

/// <summary>
/// The replicated part of a user besides group memberships: attributes (without <c>sub</c> and Cognito's
/// <c>cognito:*</c> pseudo-attributes), the enabled flag, and the status.
/// </summary>
public sealed record UserProfile
{
    public UserProfile(IEnumerable<KeyValuePair<string, string>> attributes, bool enabled, string status)
    {
        Attributes = Clean(attributes);
        Enabled = enabled;
        Status = status;
    }

    public ImmutableSortedDictionary<string, string> Attributes { get; }

    public bool Enabled { get; }

    public string Status { get; }

    /// <summary>A digest of the content: equal profiles have equal hashes.</summary>
    public string Hash => ContentHash.Of(sb =>
    {
        sb.Append("en=").Append(Enabled ? '1' : '0').Append(';');
        ContentHash.AppendField(sb, "st", Status);
        foreach (var (name, value) in Attributes)
        {
            ContentHash.AppendField(sb, name, value);
        }
    });

    public bool Equals(UserProfile? other) =>
        other is not null && Enabled == other.Enabled && Status == other.Status && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Enabled, Status, Attributes.Count);

    /// <summary>Whether an attribute name is Cognito bookkeeping rather than user data.</summary>
    public static bool IsPseudoAttribute(string name) =>
        name == "sub" || name.StartsWith("cognito:", StringComparison.Ordinal);

    private static ImmutableSortedDictionary<string, string> Clean(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (!IsPseudoAttribute(name) && value is not null)
            {
                builder[name] = value;
            }
        }

        return builder.ToImmutable();
    }
}

/// <summary>Stable content digests (SHA-256, first 16 bytes, hex) over a canonical, unambiguous text form.</summary>
public static class ContentHash
{
    public static string Of(Action<StringBuilder> write)
    {
        var sb = new StringBuilder();
        write(sb);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    public static void AppendField(StringBuilder sb, string name, string? value)
    {
        sb.Append(name.Length).Append(':').Append(name).Append('=');
        if (value is null)
        {
            sb.Append('-');
        }
        else
        {
            sb.Append(value.Length).Append(':').Append(value);
        }

        sb.Append(';');
    }

    public static string OfNames(IEnumerable<string> names) => Of(sb =>
    {
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            AppendField(sb, name, null);
        }
    });
}
