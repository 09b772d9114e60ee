using System.Security.Cryptography;
using System.Text;
using IdentityReplicator.Core.Compare;

namespace IdentityReplicator.Reconciler.Drift.Compact;

/// <summary>A source user as listed, folded: its identity key, the fingerprint's profile part (null when not replicated), the mirror digest of its profile, and the name the target should know it by.</summary>
internal sealed record SourceRow(string Key, string Username, UInt128? Profile, UInt128 ProfileHash, string? CreationName);

/// <summary>One membership from a ListUsersInGroup listing, keyed as the user's row is.</summary>
internal sealed record MemberRow(string Key, string Group);

/// <summary>
/// One mirror item for a user: its snapshot (<see cref="Snapshot"/>: deleted or not, with digests of its profile hash
/// when it has one and of its groups hash) or the target Region's applied state (the target username it was applied to).
/// </summary>
internal sealed record MirrorRow(string Key, bool Snapshot, bool Deleted, UInt128? ProfileHash, UInt128 GroupsHash, string? AppliedTarget);

/// <summary>A source user looking for its counterpart under <see cref="Name"/>: the applied target username (<see cref="Mapped"/>) or its creation name.</summary>
internal sealed record ProbeRow(string SortName, string Name, bool Mapped, string Username, UInt128? Fingerprint, MirrorState Mirror, bool Reread);

/// <summary>A target user as listed: username, the fingerprint's profile part, and its aliases when the pool signs in by alias.</summary>
internal sealed record TargetRow(string Username, UInt128 Profile, string? Email, string? Phone);

/// <summary>A name a target user is found by (rank 0 username, 1 email, 2 phone), with its whole fingerprint.</summary>
internal sealed record EntryRow(string SortName, string Name, byte Rank, int Seq, UInt128 Fingerprint);

/// <summary>The spill codecs and orders of the compact records (strings as UTF-8, digests as two 64-bit halves).</summary>
internal static class CompactCodecs
{
    public static ISpillCodec<SourceRow> Source { get; } = new Codec<SourceRow>(
        (w, r) => { w.Write(r.Key); w.Write(r.Username); WriteOptional(w, r.Profile); Write(w, r.ProfileHash); WriteOptional(w, r.CreationName); },
        r => new SourceRow(r.ReadString(), r.ReadString(), ReadOptionalDigest(r), ReadDigest(r), ReadOptional(r)),
        r => 48 + 2 * (r.Key.Length + r.Username.Length + (r.CreationName?.Length ?? 0)) + 80);

    public static ISpillCodec<MemberRow> Member { get; } = new Codec<MemberRow>(
        (w, r) => { w.Write(r.Key); w.Write(r.Group); },
        r => new MemberRow(r.ReadString(), r.ReadString()),
        r => 32 + 2 * r.Key.Length + 24);

    public static ISpillCodec<MirrorRow> Mirror { get; } = new Codec<MirrorRow>(
        (w, r) => { w.Write(r.Key); w.Write(r.Snapshot); w.Write(r.Deleted); WriteOptional(w, r.ProfileHash); Write(w, r.GroupsHash); WriteOptional(w, r.AppliedTarget); },
        r => new MirrorRow(r.ReadString(), r.ReadBoolean(), r.ReadBoolean(), ReadOptionalDigest(r), ReadDigest(r), ReadOptional(r)),
        r => 64 + 2 * (r.Key.Length + (r.AppliedTarget?.Length ?? 0)) + 48);

    public static ISpillCodec<ProbeRow> Probe { get; } = new Codec<ProbeRow>(
        (w, r) => { w.Write(r.SortName); w.Write(r.Name); w.Write(r.Mapped); w.Write(r.Username); WriteOptional(w, r.Fingerprint); w.Write((byte)r.Mirror); w.Write(r.Reread); },
        r => new ProbeRow(r.ReadString(), r.ReadString(), r.ReadBoolean(), r.ReadString(), ReadOptionalDigest(r), (MirrorState)r.ReadByte(), r.ReadBoolean()),
        r => 56 + 2 * (r.SortName.Length + r.Name.Length + r.Username.Length) + 72);

    public static ISpillCodec<TargetRow> Target { get; } = new Codec<TargetRow>(
        (w, r) => { w.Write(r.Username); Write(w, r.Profile); WriteOptional(w, r.Email); WriteOptional(w, r.Phone); },
        r => new TargetRow(r.ReadString(), ReadDigest(r), ReadOptional(r), ReadOptional(r)),
        r => 48 + 2 * (r.Username.Length + (r.Email?.Length ?? 0) + (r.Phone?.Length ?? 0)) + 72);

    public static ISpillCodec<EntryRow> Entry { get; } = new Codec<EntryRow>(
        (w, r) => { w.Write(r.SortName); w.Write(r.Name); w.Write(r.Rank); w.Write(r.Seq); Write(w, r.Fingerprint); },
        r => new EntryRow(r.ReadString(), r.ReadString(), r.ReadByte(), r.ReadInt32(), ReadDigest(r)),
        r => 48 + 2 * (r.SortName.Length + r.Name.Length) + 48);

    public static IComparer<SourceRow> SourceOrder { get; } = Comparer<SourceRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));

    public static IComparer<MemberRow> MemberOrder { get; } = Comparer<MemberRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));

    public static IComparer<MirrorRow> MirrorOrder { get; } = Comparer<MirrorRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));

    public static IComparer<ProbeRow> ProbeOrder { get; } = Comparer<ProbeRow>.Create((a, b) => string.CompareOrdinal(a.SortName, b.SortName));

    public static IComparer<TargetRow> TargetOrder { get; } = Comparer<TargetRow>.Create((a, b) => string.CompareOrdinal(a.Username, b.Username));

    public static IComparer<EntryRow> EntryOrder { get; } = Comparer<EntryRow>.Create((a, b) =>
        string.CompareOrdinal(a.SortName, b.SortName) is var c && c != 0 ? c : a.Rank.CompareTo(b.Rank));

    /// <summary>How names are ordered for pairing: case folded, so that every comparison a lookup makes falls in one group.</summary>
    public static string SortName(string name) => name.ToUpperInvariant();

    /// <summary>A 128-bit digest of a text (a content hash as the mirror stores it), so rows carry no long strings.</summary>
    public static UInt128 Digest(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static void Write(BinaryWriter w, UInt128 value)
    {
        w.Write((ulong)(value >> 64));
        w.Write((ulong)value);
    }

    private static UInt128 ReadDigest(BinaryReader r) => new(r.ReadUInt64(), r.ReadUInt64());

    private static void WriteOptional(BinaryWriter w, UInt128? value)
    {
        w.Write(value.HasValue);
        if (value is { } v)
        {
            Write(w, v);
        }
    }

    private static UInt128? ReadOptionalDigest(BinaryReader r) => r.ReadBoolean() ? ReadDigest(r) : null;

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private sealed class Codec<T>(Action<BinaryWriter, T> write, Func<BinaryReader, T> read, Func<T, int> size) : ISpillCodec<T>
    {
        public void Write(BinaryWriter writer, T record) => write(writer, record);

        public T Read(BinaryReader reader) => read(reader);

        public int EstimatedBytes(T record) => size(record);
    }
}
