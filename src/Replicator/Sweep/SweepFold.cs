using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>A source user as listed (kept whole, in a spillable row: the sweep records it without reading it again).</summary>
internal sealed record SweepUserRow(string Key, DirectoryUser User);

/// <summary>One membership from a ListUsersInGroup listing, keyed by the member's identity key.</summary>
internal sealed record SweepMemberRow(string Key, string Group);

/// <summary>A user snapshot of the mirror, as the sweep compares it: <see cref="InventoryRecorder.Holds"/> needs no more.</summary>
internal sealed record SweepMirrorRow(string Key, string Username, bool Deleted, bool GroupsRecorded, string? ProfileHash, string? GroupsHash);

/// <summary>What an ordered walk of the sweep's rows finds for one identity key: a user to record, or a snapshot whose user is gone.</summary>
internal sealed record SweepWork(DirectoryUser? User, IReadOnlyList<string> Groups, SweepMirrorRow? Gone);

/// <summary>
/// The sweep's listings in bounded memory: the source's users (whole), its memberships and the mirror's user snapshots
/// go into <see cref="SpillSorter{T}"/>s keyed by identity key (sorted runs spilled past the budget), and an ordered walk
/// over the three yields only what the mirror does not hold already — users to record and snapshots of users gone.
/// </summary>
internal sealed class SweepFold : IDisposable
{
    public SweepFold(SpillFolder folder, long budgetBytes)
    {
        var share = Math.Max(1, budgetBytes / 3);
        Users = new(new UserCodec(), Comparer<SweepUserRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key)), share, folder);
        Members = new(new MemberCodec(), Comparer<SweepMemberRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key)), share, folder);
        Mirror = new(new MirrorCodec(), Comparer<SweepMirrorRow>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key)), share, folder);
    }

    public SpillSorter<SweepUserRow> Users { get; }

    public SpillSorter<SweepMemberRow> Members { get; }

    public SpillSorter<SweepMirrorRow> Mirror { get; }

    public int Unchanged { get; private set; }

    public int UserCount { get; private set; }

    /// <summary>The work, key by key; users the mirror holds exactly are counted in <see cref="Unchanged"/> and not yielded.</summary>
    public IEnumerable<SweepWork> Walk()
    {
        using var users = Users.Sorted().GetEnumerator();
        using var members = Members.Sorted().GetEnumerator();
        using var mirror = Mirror.Sorted().GetEnumerator();
        bool moreUsers = users.MoveNext(), moreMembers = members.MoveNext(), moreMirror = mirror.MoveNext();
        while (Min(moreUsers ? users.Current.Key : null, moreMembers ? members.Current.Key : null, moreMirror ? mirror.Current.Key : null) is { } key)
        {
            var rows = new List<DirectoryUser>();
            while (moreUsers && users.Current.Key == key)
            {
                rows.Add(users.Current.User);
                moreUsers = users.MoveNext();
            }

            var groups = new SortedSet<string>(StringComparer.Ordinal);
            while (moreMembers && members.Current.Key == key)
            {
                groups.Add(members.Current.Group);
                moreMembers = members.MoveNext();
            }

            SweepMirrorRow? snapshot = null;
            while (moreMirror && mirror.Current.Key == key)
            {
                snapshot = mirror.Current;
                moreMirror = mirror.MoveNext();
            }

            if (rows.Count == 0)
            {
                if (snapshot is { Deleted: false })
                {
                    yield return new SweepWork(null, [], snapshot);
                }

                continue;
            }

            var groupList = groups.ToList();
            foreach (var user in rows)
            {
                UserCount++;
                if (snapshot is { Deleted: false, GroupsRecorded: true }
                    && snapshot.ProfileHash == ContentDigest.ProfileHash(user.Attributes, user.Enabled, user.Status)
                    && snapshot.GroupsHash == ContentDigest.NamesHash(groupList))
                {
                    Unchanged++;
                }
                else
                {
                    yield return new SweepWork(user, groupList, null);
                }
            }
        }
    }

    public void Dispose()
    {
        Users.Dispose();
        Members.Dispose();
        Mirror.Dispose();
    }

    private static string? Min(params string?[] keys) =>
        keys.Where(k => k is not null).Order(StringComparer.Ordinal).FirstOrDefault();

    private sealed class UserCodec : ISpillCodec<SweepUserRow>
    {
        public void Write(BinaryWriter writer, SweepUserRow record)
        {
            var user = record.User;
            writer.Write(record.Key);
            writer.Write(user.Username);
            writer.Write(user.Sub ?? string.Empty);
            writer.Write(user.Enabled);
            writer.Write(user.Status);
            writer.Write(user.Attributes.Count);
            foreach (var (name, value) in user.Attributes)
            {
                writer.Write(name);
                writer.Write(value);
            }
        }

        public SweepUserRow Read(BinaryReader reader)
        {
            var key = reader.ReadString();
            var username = reader.ReadString();
            var sub = reader.ReadString();
            var enabled = reader.ReadBoolean();
            var status = reader.ReadString();
            var count = reader.ReadInt32();
            var attributes = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                attributes[reader.ReadString()] = reader.ReadString();
            }

            return new SweepUserRow(key, new DirectoryUser(username, sub.Length == 0 ? null : sub, attributes, enabled, status));
        }

        public int EstimatedBytes(SweepUserRow record) =>
            160 + (2 * (record.Key.Length + record.User.Username.Length)) + record.User.Attributes.Sum(a => 80 + (2 * (a.Key.Length + a.Value.Length)));
    }

    private sealed class MemberCodec : ISpillCodec<SweepMemberRow>
    {
        public void Write(BinaryWriter writer, SweepMemberRow record)
        {
            writer.Write(record.Key);
            writer.Write(record.Group);
        }

        public SweepMemberRow Read(BinaryReader reader) => new(reader.ReadString(), reader.ReadString());

        public int EstimatedBytes(SweepMemberRow record) => 56 + (2 * record.Key.Length);
    }

    private sealed class MirrorCodec : ISpillCodec<SweepMirrorRow>
    {
        public void Write(BinaryWriter writer, SweepMirrorRow record)
        {
            writer.Write(record.Key);
            writer.Write(record.Username);
            writer.Write(record.Deleted);
            writer.Write(record.GroupsRecorded);
            writer.Write(record.ProfileHash ?? string.Empty);
            writer.Write(record.GroupsHash ?? string.Empty);
        }

        public SweepMirrorRow Read(BinaryReader reader)
        {
            var key = reader.ReadString();
            var username = reader.ReadString();
            var deleted = reader.ReadBoolean();
            var groupsRecorded = reader.ReadBoolean();
            var profile = reader.ReadString();
            var groups = reader.ReadString();
            return new SweepMirrorRow(key, username, deleted, groupsRecorded, profile.Length == 0 ? null : profile, groups.Length == 0 ? null : groups);
        }

        public int EstimatedBytes(SweepMirrorRow record) => 200 + (2 * (record.Key.Length + record.Username.Length));
    }
}
