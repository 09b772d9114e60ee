using IdentityReplicator.Core.PoolConfiguration;

namespace IdentityReplicator.Core.Tests.PoolConfiguration;

public sealed class SecretFingerprintTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Of_SameSecretSameKey_IsEqualAndDoesNotContainTheSecret()
    {
        // Arrange
        var a = new SecretFingerprinter(Key);
        var b = new SecretFingerprinter(Key);

        // Act
        var fa = a.Of("client-secret-value-0123456789");
        var fb = b.Of("client-secret-value-0123456789");

        // Assert
        Assert.Equal(fa, fb);
        Assert.DoesNotContain("client-secret", fa, StringComparison.Ordinal);
        Assert.StartsWith("hmac:", fa, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_DifferentKeyOrSecret_Differs()
    {
        // Arrange
        var other = Key.ToArray();
        other[0] ^= 0xFF;

        // Act / Assert
        Assert.NotEqual(new SecretFingerprinter(Key).Of("s"), new SecretFingerprinter(other).Of("s"));
        Assert.NotEqual(new SecretFingerprinter(Key).Of("s1"), new SecretFingerprinter(Key).Of("s2"));
    }

    [Fact]
    public void Constructor_ShortKey_SaysHowLongItMustBe()
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => new SecretFingerprinter(new byte[16]));

        // Assert
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }
}
