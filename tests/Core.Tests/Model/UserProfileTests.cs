using System.Security.Cryptography;
using System.Text;
using CsCheck;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Tests.Model;

public sealed class UserProfileTests
{
    // Attribute names as Cognito has them, plus arbitrary custom ones; values of any text.
    private static readonly Gen<string> Names = Gen.OneOf(
        Gen.OneOf("email", "email_verified", "phone_number", "given_name", "family_name", "locale", "custom:tier", "custom:cognito"),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_:"], 1, 12]);

    private static readonly Gen<string> Values = Gen.String[0, 20];

    private static readonly Gen<KeyValuePair<string, string>[]> Attributes =
        Gen.Select(Names, Values, KeyValuePair.Create).Array[0, 10]
            .Select(pairs => pairs.DistinctBy(p => p.Key, StringComparer.Ordinal).Where(p => !UserProfile.IsPseudoAttribute(p.Key)).ToArray());

    private static readonly Gen<string> Statuses = Gen.OneOf(
        UserStatuses.Confirmed, UserStatuses.Unconfirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired,
        UserStatuses.Archived, UserStatuses.Compromised, UserStatuses.ExternalProvider, UserStatuses.Unknown);

    [Fact]
    public void Constructor_PseudoAttributes_AreDropped()
    {
        // Act
        var profile = new UserProfile(
            new Dictionary<string, string>
            {
                ["sub"] = "8c1d4f2e-1111-2222-3333-444455556666",
                ["cognito:user_status"] = "CONFIRMED",
                ["cognito:mfa_enabled"] = "false",
                ["email"] = "jane@example.com",
                ["custom:cognito"] = "kept: only the cognito: prefix is bookkeeping",
            },
            enabled: true,
            UserStatuses.Confirmed);

        // Assert
        Assert.Equal(["custom:cognito", "email"], profile.Attributes.Keys);
    }

    [Fact]
    public void Constructor_NullValue_IsDropped()
    {
        // Act
        var profile = new UserProfile([KeyValuePair.Create("email", (string)null!), KeyValuePair.Create("locale", "de")], true, UserStatuses.Confirmed);

        // Assert
        Assert.Equal(["locale"], profile.Attributes.Keys);
    }

    [Fact]
    public void Hash_KnownProfile_IsTheDigestOfTheDocumentedCanonicalForm()
    {
        // Arrange: the hash is stored in the mirror table, so its text form must never drift.
        var profile = new UserProfile(new Dictionary<string, string> { ["locale"] = "de", ["email"] = "jane@example.com" }, true, "CONFIRMED");
        const string canonical = "en=1;2:st=9:CONFIRMED;5:email=16:jane@example.com;6:locale=2:de;";

        // Act
        var hash = profile.Hash;

        // Assert
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))[..16]), hash);
    }

    [Fact]
    public void HashAndEquals_SameContentInAnyInsertionOrder_AreEqual()
    {
        Gen.Select(Attributes, Gen.Bool, Statuses).SelectMany((attributes, enabled, status) =>
                Gen.Shuffle(attributes).Select(shuffled => (attributes, shuffled, enabled, status)))
            .Sample((attributes, shuffled, enabled, status) =>
            {
                // Arrange
                var pseudo = new[] { KeyValuePair.Create("sub", Guid.NewGuid().ToString()), KeyValuePair.Create("cognito:username", "x") };
                var a = new UserProfile(attributes, enabled, status);
                var b = new UserProfile(shuffled.Concat(pseudo), enabled, status);

                // Act / Assert
                Assert.Equal(a.Hash, b.Hash);
                Assert.Equal(a, b);
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            });
    }

    [Fact]
    public void Hash_OneAttributeValueChanged_Differs()
    {
        Gen.Select(Attributes.Where(a => a.Length > 0), Gen.Int[0, 100], Values, Gen.Bool, Statuses)
            .Sample((attributes, pick, newValue, enabled, status) =>
            {
                // Arrange
                var index = pick % attributes.Length;
                if (attributes[index].Value == newValue)
                {
                    return;
                }

                var changed = attributes.ToArray();
                changed[index] = KeyValuePair.Create(changed[index].Key, newValue);

                // Act
                var before = new UserProfile(attributes, enabled, status);
                var after = new UserProfile(changed, enabled, status);

                // Assert
                Assert.NotEqual(before.Hash, after.Hash);
                Assert.NotEqual(before, after);
            });
    }

    [Fact]
    public void Hash_AttributeAddedOrRemoved_Differs()
    {
        Gen.Select(Attributes.Where(a => a.Length > 0), Gen.Bool, Statuses)
            .Sample((attributes, enabled, status) =>
            {
                // Act
                var all = new UserProfile(attributes, enabled, status);
                var fewer = new UserProfile(attributes[1..], enabled, status);

                // Assert
                Assert.NotEqual(all.Hash, fewer.Hash);
                Assert.NotEqual(all, fewer);
            });
    }

    [Fact]
    public void Hash_EnabledOrStatusChanged_Differs()
    {
        Gen.Select(Attributes, Gen.Bool, Statuses, Statuses)
            .Sample((attributes, enabled, status, otherStatus) =>
            {
                // Arrange
                var profile = new UserProfile(attributes, enabled, status);

                // Act
                var toggled = new UserProfile(attributes, !enabled, status);
                var restatused = new UserProfile(attributes, enabled, otherStatus);

                // Assert
                Assert.NotEqual(profile.Hash, toggled.Hash);
                Assert.NotEqual(profile, toggled);
                Assert.Equal(status == otherStatus, profile.Hash == restatused.Hash);
            });
    }

    [Fact]
    public void Hash_ValueBoundaryMoved_Differs()
    {
        // Arrange: the same characters split differently between name and value, or between two attributes.
        var a = new UserProfile(new Dictionary<string, string> { ["ab"] = "c" }, true, "CONFIRMED");
        var b = new UserProfile(new Dictionary<string, string> { ["a"] = "bc" }, true, "CONFIRMED");
        var c = new UserProfile(new Dictionary<string, string> { ["x"] = "1;2:y=1:z" }, true, "CONFIRMED");
        var d = new UserProfile(new Dictionary<string, string> { ["x"] = "1", ["y"] = "z" }, true, "CONFIRMED");

        // Act / Assert
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(c.Hash, d.Hash);
    }

    [Fact]
    public void IsPseudoAttribute_Names_RecognisesOnlySubAndCognitoPrefix()
    {
        // Act / Assert
        Assert.True(UserProfile.IsPseudoAttribute("sub"));
        Assert.True(UserProfile.IsPseudoAttribute("cognito:user_status"));
        Assert.False(UserProfile.IsPseudoAttribute("Sub"));
        Assert.False(UserProfile.IsPseudoAttribute("custom:sub"));
        Assert.False(UserProfile.IsPseudoAttribute("email"));
    }
}
