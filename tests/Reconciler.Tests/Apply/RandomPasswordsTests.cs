using CsCheck;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>Standby passwords satisfy any Cognito password policy and are never the same twice.</summary>
public sealed class RandomPasswordsTests
{
    /// <summary>The special characters Cognito password policies accept (besides letters and digits).</summary>
    private const string CognitoSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

    [Fact]
    public void Create_Default_Is64CharactersWithEveryCharacterClass()
    {
        var password = RandomPasswords.Create();

        Assert.Equal(64, password.Length);
        AssertEveryClass(password);
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(8, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 65)]
    [InlineData(80, 80)]
    [InlineData(99, 99)]
    [InlineData(100, 99)]
    [InlineData(256, 99)]
    public void Create_PoolMinimumLength_IsAtLeast64AndAtMostCognitosMaximum(int minimumLength, int expectedLength)
    {
        var password = RandomPasswords.Create(minimumLength);

        Assert.Equal(expectedLength, password.Length);
    }

    [Fact]
    public void Create_AnyMinimumLength_HasEveryClassAndOnlyCharactersCognitoAccepts() =>
        Gen.Int[-10, 300].Sample(minimumLength =>
        {
            var password = RandomPasswords.Create(minimumLength);

            Assert.Equal(Math.Clamp(minimumLength, 64, 99), password.Length);
            AssertEveryClass(password);
            Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c) || CognitoSymbols.Contains(c, StringComparison.Ordinal), $"'{c}' is not accepted by Cognito"));
        });

    [Fact]
    public void Create_ManyTimes_NeverRepeats()
    {
        var passwords = Enumerable.Range(0, 2000).Select(_ => RandomPasswords.Create()).ToList();

        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
    }

    private static void AssertEveryClass(string password)
    {
        Assert.Contains(password, char.IsAsciiLetterUpper);
        Assert.Contains(password, char.IsAsciiLetterLower);
        Assert.Contains(password, char.IsAsciiDigit);
        Assert.Contains(password, c => CognitoSymbols.Contains(c, StringComparison.Ordinal));
    }
}
