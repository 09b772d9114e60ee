using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;

namespace IdentityReplicator.Core.Tests.Compare;

/// <summary>The allocation-free content hashes of a compact read: the same values as the text-building ones they replace.</summary>
public sealed class ContentDigestTests
{
    private static readonly Func<string, bool> Replicated = name => !UserProfile.IsPseudoAttribute(name) && name != "custom:department";

    private static readonly Gen<Dictionary<string, string>> Attributes =
        Gen.Dictionary(
            Gen.OneOf(Gen.Const("email"), Gen.Const("email_verified"), Gen.Const("phone_number_verified"), Gen.Const("sub"), Gen.Const("cognito:mfa_enabled"), Gen.Const("custom:department"), Gen.String[Gen.Char.AlphaNumeric, 1, 12]),
            Gen.OneOf(Gen.String, Gen.Const("true"), Gen.Const(string.Empty), Gen.String[Gen.Char['\u00e0', '\u2603'], 0, 300]))[0, 12];

    private static readonly Gen<string> Statuses = Gen.OneOf(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired, UserStatuses.Unconfirmed);

    private static readonly Gen<string[]> GroupNames = Gen.OneOf(Gen.Const("admins"), Gen.Const("staff"), Gen.String[Gen.Char.AlphaNumeric, 1, 200]).Array[0, 6];

    [Fact]
    public void ProfileHash_AnyProfile_EqualsUserProfileHash()
    {
        Gen.Select(Attributes, Gen.Bool, Statuses).Sample((attributes, enabled, status) =>
        {
            var expected = new UserProfile(attributes, enabled, status).Hash;

            Assert.Equal(expected, ContentDigest.ProfileHash(attributes, enabled, status));
            Assert.Equal(DigestOf(expected), ContentDigest.ProfileHashDigest(attributes, enabled, status));
        });
    }

    [Fact]
    public void NamesHash_AnyNames_EqualsContentHashOfNames()
    {
        GroupNames.Sample(names =>
        {
            var expected = ContentHash.OfNames(names);

            Assert.Equal(expected, ContentDigest.NamesHash(names));
            Assert.Equal(DigestOf(expected), ContentDigest.NamesHashDigest(names));
        });
    }

    [Fact]
    public void UserFingerprint_AnyUser_EqualsTheTextFormItWasDefinedBy()
    {
        Gen.Select(Attributes, Gen.Bool, Statuses, GroupNames).Sample((attributes, enabled, status, groups) =>
        {
            var user = new DirectoryUser("u", "s", attributes, enabled, status);

            Assert.Equal(TextFingerprint(user, user.Status, groups), UserFingerprint.OfTarget(user, groups, Replicated));
        });
    }

    [Fact]
    public void ProfileOfTargetAndProfileHashDigest_AListedUser_AllocateNoTextPerUser()
    {
        var user = new DirectoryUser(
            "vu-00000042",
            "3f0c5d1e-0000-4000-8000-00000000002a",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = "vu-00000042@example.com", ["email_verified"] = "true", ["given_name"] = "Grace", ["custom:tier"] = "pro" },
            true,
            UserStatuses.Confirmed);
        string[] groups = ["vgroup-0002"];
        _ = Both();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = Both();
        }

        var perUser = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000.0;
        // Enumerating the attributes through their interface boxes an enumerator (a few dozen bytes); the text form,
        // its UTF-8 bytes and the sorted copies the string-building hashes made came to kilobytes.
        Assert.True(perUser < 512, $"{perUser:0} bytes allocated per user");

        UInt128 Both() => UserFingerprint.Fold(UserFingerprint.ProfileOfTarget(user, Replicated), groups) ^ ContentDigest.ProfileHashDigest(user.Attributes, user.Enabled, user.Status);
    }

    private static UInt128 DigestOf(string text) => BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The fingerprint as it was first written: the canonical text built whole, then hashed.</summary>
    private static UInt128 TextFingerprint(DirectoryUser user, string status, IEnumerable<string> groups)
    {
        var text = new StringBuilder();
        text.Append("en=").Append(user.Enabled ? '1' : '0').Append(';');
        ContentHash.AppendField(text, "st", status);
        foreach (var name in user.Attributes.Keys.Concat(["email_verified", "phone_number_verified"]).Where(Replicated).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            ContentHash.AppendField(text, "a:" + name, UserComparison.ValueOf(user, name));
        }

        var profile = DigestOf(text.ToString());
        var folded = new StringBuilder();
        folded.Append(profile.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
        foreach (var group in groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            ContentHash.AppendField(folded, "g:" + group, null);
        }

        return DigestOf(folded.ToString());
    }
}
