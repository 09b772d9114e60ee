using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Compare;

/// <summary>
/// The content hashes a compact read takes of every listed user — <see cref="UserProfile.Hash"/>,
/// <see cref="ContentHash.OfNames"/> and the 128-bit digests of them — computed without the intermediate objects
/// (a sorted immutable dictionary, a string builder, the text, its UTF-8 bytes, LINQ sorts) those build. A million-user
/// report takes these hashes several million times, so their allocations were most of its CPU per user. The text hashed
/// is exactly <see cref="ContentHash"/>'s canonical form (a property test holds the two equal), written into a buffer
/// each thread keeps and reuses.
/// </summary>
public static class ContentDigest
{
    private static readonly byte[] HexDigits = "0123456789abcdef"u8.ToArray();

    /// <summary>Equals <c>new UserProfile(attributes, enabled, status).Hash</c>.</summary>
    public static string ProfileHash(IReadOnlyDictionary<string, string> attributes, bool enabled, string status)
    {
        Span<byte> hash = stackalloc byte[32];
        ProfileText(attributes, enabled, status).Hash(hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Equals the 128-bit digest (SHA-256 of its UTF-8 text, first 16 bytes) of <see cref="ProfileHash"/>'s hex string.</summary>
    public static UInt128 ProfileHashDigest(IReadOnlyDictionary<string, string> attributes, bool enabled, string status) =>
        DigestOfHash(ProfileText(attributes, enabled, status));

    /// <summary>Equals <c>ContentHash.OfNames(names)</c>.</summary>
    public static string NamesHash(IEnumerable<string> names)
    {
        Span<byte> hash = stackalloc byte[32];
        NamesText(names).Hash(hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Equals the 128-bit digest of <see cref="NamesHash"/>'s hex string.</summary>
    public static UInt128 NamesHashDigest(IEnumerable<string> names) => DigestOfHash(NamesText(names));

    private static HashText ProfileText(IReadOnlyDictionary<string, string> attributes, bool enabled, string status)
    {
        var text = HashText.Start();
        text.Append("en=").Append(enabled ? '1' : '0').Append(';');
        text.Field(string.Empty, "st", status);
        var names = text.Names;
        foreach (var (name, value) in attributes)
        {
            if (!UserProfile.IsPseudoAttribute(name) && value is not null)
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            text.Field(string.Empty, name, attributes[name]);
        }

        return text;
    }

    private static HashText NamesText(IEnumerable<string> names)
    {
        var text = HashText.Start();
        var sorted = text.Names;
        sorted.AddRange(names);
        sorted.Sort(StringComparer.Ordinal);
        foreach (var name in sorted)
        {
            text.Field(string.Empty, name, null);
        }

        return text;
    }

    /// <summary>SHA-256 of the text, its first 16 bytes as lower-case hex, and the 128-bit digest of that hex text.</summary>
    private static UInt128 DigestOfHash(HashText text)
    {
        Span<byte> hash = stackalloc byte[32];
        text.Hash(hash);
        Span<byte> hex = stackalloc byte[32];
        for (var i = 0; i < 16; i++)
        {
            hex[2 * i] = HexDigits[hash[i] >> 4];
            hex[(2 * i) + 1] = HexDigits[hash[i] & 0xF];
        }

        SHA256.HashData(hex, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}

/// <summary>
/// <see cref="ContentHash"/>'s canonical text form, written into buffers the current thread reuses: one text at a time
/// per thread (<see cref="Start"/> clears it), so nothing that writes one may start another before hashing it.
/// </summary>
internal sealed class HashText
{
    [ThreadStatic]
    private static HashText? _current;

    private char[] _chars = new char[512];
    private byte[] _bytes = new byte[1024];
    private int _length;

    /// <summary>A list of names for the writer to sort, cleared by <see cref="Start"/>.</summary>
    public List<string> Names { get; } = new(16);

    public static HashText Start()
    {
        var text = _current ??= new HashText();
        text._length = 0;
        text.Names.Clear();
        return text;
    }

    public HashText Append(char c)
    {
        Reserve(1);
        _chars[_length++] = c;
        return this;
    }

    public HashText Append(string s)
    {
        Reserve(s.Length);
        s.CopyTo(_chars.AsSpan(_length));
        _length += s.Length;
        return this;
    }

    public HashText Append(int value)
    {
        Reserve(11);
        value.TryFormat(_chars.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    public HashText Append(UInt128 value)
    {
        Reserve(32);
        value.TryFormat(_chars.AsSpan(_length), out var written, "x32", CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>As <see cref="ContentHash.AppendField"/> with the name <paramref name="prefix"/> + <paramref name="name"/>.</summary>
    public void Field(string prefix, string name, string? value)
    {
        Append(prefix.Length + name.Length).Append(':').Append(prefix).Append(name).Append('=');
        if (value is null)
        {
            Append('-');
        }
        else
        {
            Append(value.Length).Append(':').Append(value);
        }

        Append(';');
    }

    /// <summary>SHA-256 of the text's UTF-8 bytes into <paramref name="hash"/> (32 bytes).</summary>
    public void Hash(Span<byte> hash)
    {
        var max = Encoding.UTF8.GetMaxByteCount(_length);
        if (_bytes.Length < max)
        {
            _bytes = new byte[Math.Max(max, _bytes.Length * 2)];
        }

        var count = Encoding.UTF8.GetBytes(_chars.AsSpan(0, _length), _bytes);
        SHA256.HashData(_bytes.AsSpan(0, count), hash);
    }

    /// <summary>The first 16 bytes of the text's SHA-256, little-endian.</summary>
    public UInt128 Digest()
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private void Reserve(int more)
    {
        if (_length + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_length + more, _chars.Length * 2));
        }
    }
}
