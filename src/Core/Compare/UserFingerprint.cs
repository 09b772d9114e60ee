using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Compare;

/// <summary>
/// The compact form of a user for comparisons at scale: 16 bytes digesting exactly what <see cref="UserComparison"/>
/// compares — the replicated attributes (a missing <c>*_verified</c> flag reads as "false"), the enabled flag, the
/// status (a source user's as the target status it maps to) and the group memberships. A source user and its target
/// counterpart have equal fingerprints exactly when <see cref="UserComparison.Compare"/> finds no difference (barring a
/// 128-bit collision), so a listing can be folded into fingerprints and only the users whose fingerprints differ read
/// again and compared field by field.
/// </summary>
public static class UserFingerprint
{
    private static readonly string[] VerifiedFlags = ["email_verified", "phone_number_verified"];

    /// <summary>A source user's fingerprint, as its target counterpart should be; <c>null</c> when it is not replicated.</summary>
    public static UInt128? OfSource(DirectoryUser user, IEnumerable<string> groups, Func<string, bool> isReplicatedAttribute) =>
        UserStatuses.TargetStatusFor(user.Status) is { } expected ? Of(user, expected, groups, isReplicatedAttribute) : null;

    /// <summary>A target user's fingerprint, as it is.</summary>
    public static UInt128 OfTarget(DirectoryUser user, IEnumerable<string> groups, Func<string, bool> isReplicatedAttribute) =>
        Of(user, user.Status, groups, isReplicatedAttribute);

    /// <summary>
    /// The part of a fingerprint a listing page knows (attributes, enabled flag, status as compared); folded with the
    /// memberships by <see cref="Fold"/> once the membership listings end. <c>null</c> for a source user not replicated.
    /// </summary>
    public static UInt128? ProfileOfSource(DirectoryUser user, Func<string, bool> isReplicatedAttribute) =>
        UserStatuses.TargetStatusFor(user.Status) is { } expected ? Profile(user, expected, isReplicatedAttribute) : null;

    /// <summary>The profile part of a target user's fingerprint, as it is.</summary>
    public static UInt128 ProfileOfTarget(DirectoryUser user, Func<string, bool> isReplicatedAttribute) =>
        Profile(user, user.Status, isReplicatedAttribute);

    /// <summary>A whole fingerprint: a profile part folded with the user's memberships (in any order, duplicates ignored).</summary>
    public static UInt128 Fold(UInt128 profile, IEnumerable<string> groups)
    {
        var text = HashText.Start();
        text.Append(profile).Append(';');
        var names = text.Names;
        names.AddRange(groups);
        names.Sort(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (i == 0 || !string.Equals(names[i], names[i - 1], StringComparison.Ordinal))
            {
                text.Field("g:", names[i], null);
            }
        }

        return text.Digest();
    }

    private static UInt128 Of(DirectoryUser user, string status, IEnumerable<string> groups, Func<string, bool> isReplicatedAttribute) =>
        Fold(Profile(user, status, isReplicatedAttribute), groups);

    private static UInt128 Profile(DirectoryUser user, string status, Func<string, bool> isReplicatedAttribute)
    {
        var text = HashText.Start();
        text.Append("en=").Append(user.Enabled ? '1' : '0').Append(';');
        text.Field(string.Empty, "st", status);
        var names = text.Names;
        foreach (var name in user.Attributes.Keys)
        {
            if (isReplicatedAttribute(name))
            {
                names.Add(name);
            }
        }

        foreach (var flag in VerifiedFlags)
        {
            if (!user.Attributes.ContainsKey(flag) && isReplicatedAttribute(flag))
            {
                names.Add(flag);
            }
        }

        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            text.Field("a:", name, UserComparison.ValueOf(user, name));
        }

        return text.Digest();
    }
}
