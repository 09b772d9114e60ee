using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Tests.Model;

public sealed class IdentityKeysTests
{
    private static readonly Gen<string> Emails = Gen.Select(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-"], 1, 20],
        Gen.OneOf("example.com", "Example.ORG", "mail.example.net"),
        (local, domain) => $"{local}@{domain}");

    [Theory]
    [InlineData("Jane.Doe@Example.COM", false, "jane.doe@example.com")]
    [InlineData("Jane.Doe@Example.COM", true, "Jane.Doe@Example.COM")]
    [InlineData("8c1d4f2e-AAAA-2222-3333-444455556666", false, "8c1d4f2e-aaaa-2222-3333-444455556666")]
    [InlineData("already-lower", false, "already-lower")]
    public void ForUsername_CaseSensitivity_LowerCasesOnlyCaseInsensitivePools(string username, bool caseSensitive, string expected)
    {
        // Act / Assert
        Assert.Equal(expected, IdentityKeys.ForUsername(username, caseSensitive));
    }

    [Fact]
    public void ForUsername_CaseInsensitivePool_UsernamesDifferingOnlyInCaseShareAKey()
    {
        Emails.Sample(email =>
            Assert.Equal(IdentityKeys.ForUsername(email.ToUpperInvariant(), false), IdentityKeys.ForUsername(email, false)));
    }

    [Fact]
    public void Fingerprint_SameInput_SameTenHexCharacters()
    {
        Emails.Sample(email =>
        {
            // Act
            var first = IdentityKeys.Fingerprint(email);
            var second = IdentityKeys.Fingerprint(email);

            // Assert
            Assert.Equal(first, second);
            Assert.Matches("^[0-9a-f]{10}$", first);
        });
    }

    [Fact]
    public void Fingerprint_AnyEmail_DoesNotContainIt()
    {
        Emails.Sample(email =>
        {
            // Act
            var fingerprint = IdentityKeys.Fingerprint(email);

            // Assert
            Assert.DoesNotContain(email, fingerprint, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Fingerprint_ThousandDistinctKeys_NoCollisions()
    {
        // Arrange
        var keys = Enumerable.Range(0, 1000).Select(i => $"user{i}@example.com").ToList();

        // Act
        var fingerprints = keys.Select(IdentityKeys.Fingerprint).ToHashSet(StringComparer.Ordinal);

        // Assert
        Assert.Equal(keys.Count, fingerprints.Count);
    }

    [Fact]
    public void EntityIdToString_UserKey_ShowsKindAndFingerprintOnly()
    {
        // Arrange
        var entity = EntityId.ForUser("jane@example.com");

        // Act
        var text = entity.ToString();

        // Assert
        Assert.Equal("user:" + IdentityKeys.Fingerprint("jane@example.com"), text);
        Assert.DoesNotContain("jane", text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("group:", EntityId.ForGroup("admins").ToString(), StringComparison.Ordinal);
    }
}
