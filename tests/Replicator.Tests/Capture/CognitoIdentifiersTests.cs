using System.Text.RegularExpressions;
using CsCheck;
using IdentityReplicator.Replicator.Capture;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>Cognito's limits on usernames, group names and subs, as the cognito-idp API model states them.</summary>
public sealed class CognitoIdentifiersTests
{
    /// <summary>The model's pattern and length, for text where .NET's UTF-16 regex and Cognito's agree (no surrogates).</summary>
    private static readonly Regex ModelRule = new(@"^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("a")]
    [InlineData("race-000")]
    [InlineData("ada@example.com")]
    [InlineData("+15550100")]
    [InlineData("名前")]
    [InlineData("e\u0301")]
    [InlineData("3f1e2d4c-0b5a-4e6f-9a8b-7c6d5e4f3a2b")]
    public void IsUsername_WhatCognitoAccepts_IsTrue(string username) => Assert.True(CognitoIdentifiers.IsUsername(username));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    public void IsUsername_WhatCognitoRejects_IsFalse(string username) => Assert.False(CognitoIdentifiers.IsUsername(username));

    [Fact]
    public void IsUsername_LoneSurrogate_IsFalse() =>
        Assert.False(CognitoIdentifiers.IsUsername(string.Concat("lone", ((char)0xD800).ToString(), "surrogate")));

    [Fact]
    public void IsUsername_LengthCountsCharactersNotUtf16Units()
    {
        var emoji = char.ConvertFromUtf32(0x1F600);

        Assert.True(CognitoIdentifiers.IsUsername(string.Concat(Enumerable.Repeat(emoji, 128))));
        Assert.False(CognitoIdentifiers.IsUsername(string.Concat(Enumerable.Repeat(emoji, 129))));
        Assert.True(CognitoIdentifiers.IsGroupName(new string('g', 128)));
        Assert.False(CognitoIdentifiers.IsGroupName(new string('g', 129)));
        Assert.False(CognitoIdentifiers.IsUsername(new string('a', 2048)));
    }

    [Theory]
    [InlineData("3f1e2d4c-0b5a-4e6f-9a8b-7c6d5e4f3a2b", true)]
    [InlineData("3F1E2D4C-0B5A-4E6F-9A8B-7C6D5E4F3A2B", true)]
    [InlineData("{3f1e2d4c-0b5a-4e6f-9a8b-7c6d5e4f3a2b}", false)]
    [InlineData("3f1e2d4c0b5a4e6f9a8b7c6d5e4f3a2b", false)]
    [InlineData("not a \"sub\"", false)]
    [InlineData("", false)]
    public void IsSub_OnlyTheUuidForm_IsASub(string sub, bool expected) => Assert.Equal(expected, CognitoIdentifiers.IsSub(sub));

    [Fact]
    public void IsUsername_AnyTextWithoutSurrogates_AgreesWithTheModelsPatternAndLength()
    {
        var characters = Gen.OneOf(Gen.Char.AlphaNumeric, Gen.Char.AlphaNumeric, Gen.Char[' ', '\u00ff'], Gen.Char).Where(c => !char.IsSurrogate(c));
        var texts = Gen.OneOf(characters.Array[0, 10], characters.Array[120, 140]).Select(chars => new string(chars));

        texts.Sample(text => Assert.Equal(ModelRule.IsMatch(text), CognitoIdentifiers.IsUsername(text)), iter: 5000);
    }

    [Fact]
    public void Problem_NamesTheFieldButNeverTheValue()
    {
        var value = new string('x', 300) + "@example.com";

        var problem = CognitoIdentifiers.Problem(value, sub: null, groupName: null);

        Assert.NotNull(problem);
        Assert.Contains("username", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", problem, StringComparison.Ordinal);
        Assert.Null(CognitoIdentifiers.Problem("ada", "3f1e2d4c-0b5a-4e6f-9a8b-7c6d5e4f3a2b", "editors"));
    }
}
