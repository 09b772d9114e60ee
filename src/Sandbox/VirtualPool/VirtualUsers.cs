using System.Globalization;

namespace IdentityReplicator.Sandbox.VirtualPool;

/// <summary>Which side of a replication pair a virtual pool stands for; differences are injected into the standby.</summary>
public enum VirtualSide
{
    Primary,
    Standby,
}

/// <summary>
/// What a virtual pool holds: <see cref="Users"/> deterministic users in <see cref="Groups"/> groups, derived from
/// <see cref="Seed"/>, and <see cref="Differences"/> users whose standby copy differs from the primary's.
/// </summary>
public sealed record VirtualPoolOptions
{
    public int Users { get; init; } = 10_000;

    public int Groups { get; init; } = 10;

    public long Seed { get; init; } = 15;

    /// <summary>Users whose standby copy differs (missing, an attribute, the enabled flag, a membership, in turn).</summary>
    public int Differences { get; init; }

    /// <summary>Checks the values and names the offending one and its allowed range.</summary>
    public IEnumerable<string> Validate()
    {
        if (Users is < 0 or > 100_000_000)
        {
            yield return $"Users is {Users}; it must be between 0 and 100000000.";
        }

        if (Groups is < 0 or > 10_000)
        {
            yield return $"Groups is {Groups}; it must be between 0 and 10000.";
        }

        if (Differences < 0 || Differences > Users)
        {
            yield return $"Differences is {Differences}; it must be between 0 and the number of users ({Users}).";
        }
    }
}

/// <summary>How a standby user differs from its primary counterpart.</summary>
public enum VirtualDifference
{
    None,
    Missing,
    Attribute,
    Enabled,
    Membership,
}

/// <summary>One user of a virtual pool, computed on demand (nothing is stored: a pool of any size takes no memory).</summary>
public sealed record VirtualUser(int Index, string Username, string Sub, string Email, string GivenName, string Tier, bool Enabled, string Status, int? Group)
{
    public long CreatedAt => VirtualUsers.Epoch + Index;

    /// <summary>The attributes the pool serves for this user, in the order it lists them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Attributes =>
    [
        new("sub", Sub),
        new("email", Email),
        new("email_verified", "true"),
        new("given_name", GivenName),
        new("custom:tier", Tier),
    ];

    /// <summary>The groups it is a member of (none or one).</summary>
    public IEnumerable<string> Groups => Group is { } group ? [VirtualUsers.GroupName(group)] : [];
}

/// <summary>
/// The users of a virtual pool, a pure function of the options and the side: user <c>i</c> is <c>vu-{i:D8}</c>, in
/// group <c>i mod Groups</c>, with attributes drawn from a hash of the seed and <c>i</c>. The standby differs from the
/// primary in exactly <see cref="VirtualPoolOptions.Differences"/> users, spread evenly over the pool. The <c>sub</c>
/// carries <c>i</c> in its last twelve hex digits, so a <c>sub = "…"</c> filter is answered without a scan.
/// </summary>
public sealed class VirtualUsers(VirtualPoolOptions options, VirtualSide side)
{
    /// <summary>When every virtual user was created (epoch seconds), plus its index.</summary>
    public const long Epoch = 1_764_547_200;

    private static readonly string[] GivenNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Niklaus"];
    private static readonly string[] Tiers = ["free", "pro", "enterprise"];

    public VirtualPoolOptions Options { get; } = options;

    public VirtualSide Side { get; } = side;

    public int Count => Options.Users;

    public int GroupCount => Options.Groups;

    public static string UsernameOf(int index) => string.Create(CultureInfo.InvariantCulture, $"vu-{index:D8}");

    public static string GroupName(int group) => string.Create(CultureInfo.InvariantCulture, $"vgroup-{group:D4}");

    /// <summary>The index a username stands for, or -1 when it is not one of this pool's.</summary>
    public int IndexOfUsername(string username) =>
        username.Length > 3 && username.StartsWith("vu-", StringComparison.OrdinalIgnoreCase)
        && int.TryParse(username.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < Count && UsernameOf(i).Equals(username, StringComparison.OrdinalIgnoreCase)
            ? i
            : -1;

    /// <summary>The index of a group name, or -1.</summary>
    public int IndexOfGroup(string name) =>
        name.StartsWith("vgroup-", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g < GroupCount && GroupName(g) == name
            ? g
            : -1;

    /// <summary>How user <paramref name="index"/>'s standby copy differs (on both sides: what is injected there).</summary>
    public VirtualDifference DifferenceOf(int index)
    {
        var d = Options.Differences;
        if (d == 0)
        {
            return VirtualDifference.None;
        }

        var stride = Count / d;
        var offset = stride / 2;
        if (index < offset || (index - offset) % stride != 0 || (index - offset) / stride >= d)
        {
            return VirtualDifference.None;
        }

        return ((index - offset) / stride % 4) switch
        {
            0 => VirtualDifference.Missing,
            1 => VirtualDifference.Attribute,
            2 => VirtualDifference.Enabled,
            _ => VirtualDifference.Membership,
        };
    }

    /// <summary>User <paramref name="index"/> as this side holds it; <c>null</c> when it has none there.</summary>
    public VirtualUser? User(int index)
    {
        if (index < 0 || index >= Count)
        {
            return null;
        }

        var difference = Side == VirtualSide.Standby ? DifferenceOf(index) : VirtualDifference.None;
        if (difference == VirtualDifference.Missing)
        {
            return null;
        }

        var hash = Mix(Options.Seed, index);
        var username = UsernameOf(index);
        var given = GivenNames[(int)(hash % (ulong)GivenNames.Length)];
        var enabled = (hash >> 8) % 50 != 0;
        return new VirtualUser(
            index,
            username,
            SubOf(index),
            username + "@example.com",
            difference == VirtualDifference.Attribute ? given + "-changed" : given,
            Tiers[(int)((hash >> 16) % (ulong)Tiers.Length)],
            difference == VirtualDifference.Enabled ? !enabled : enabled,
            "CONFIRMED",
            GroupCount == 0 || difference == VirtualDifference.Membership ? null : index % GroupCount);
    }

    /// <summary>The sub of user <paramref name="index"/> on this side (each side has its own, as two pools do).</summary>
    public string SubOf(int index)
    {
        var hash = Mix(Options.Seed ^ (Side == VirtualSide.Primary ? 0x5A5A : 0xA5A5), index);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(uint)hash:x8}-{(ushort)(hash >> 32):x4}-4{(ushort)(hash >> 48) & 0xfff:x3}-8{(int)(hash >> 20) & 0xfff:x3}-{index:x12}");
    }

    /// <summary>The index a sub stands for on this side, or -1.</summary>
    public int IndexOfSub(string sub)
    {
        if (sub.Length != 36 || !long.TryParse(sub.AsSpan(24), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var i) || i >= Count)
        {
            return -1;
        }

        return SubOf((int)i) == sub ? (int)i : -1;
    }

    /// <summary>The users a ListUsersInGroup of group <paramref name="group"/> lists, in index order, from <paramref name="from"/>.</summary>
    internal IEnumerable<VirtualUser> MembersOf(int group, int from)
    {
        // Every member has index ≡ group (mod GroupCount); start at the first such index at or after from.
        var start = from <= group ? group : from + (((group - from) % GroupCount) + GroupCount) % GroupCount;
        for (var i = start; i < Count; i += GroupCount)
        {
            if (User(i) is { Group: { } g } user && g == group)
            {
                yield return user;
            }
        }
    }

    /// <summary>SplitMix64 of the seed and the index: fast, deterministic, well spread.</summary>
    private static ulong Mix(long seed, int index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
