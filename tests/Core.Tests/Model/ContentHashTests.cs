using CsCheck;
using IdentityReplicator.Core.Model;

namespace IdentityReplicator.Core.Tests.Model;

public sealed class ContentHashTests
{
    private static readonly Gen<string[]> GroupNames = Gen.String[Gen.Char.AlphaNumeric, 1, 10].HashSet[0, 12].Select(s => s.ToArray());

    [Fact]
    public void OfNames_AnyOrder_SameHash()
    {
        GroupNames.SelectMany(names => Gen.Shuffle(names).Select(shuffled => (names, shuffled)))
            .Sample((names, shuffled) => Assert.Equal(ContentHash.OfNames(names), ContentHash.OfNames(shuffled)));
    }

    [Fact]
    public void OfNames_DifferentSets_DifferentHashes()
    {
        Gen.Select(GroupNames, GroupNames)
            .Where((a, b) => !a.ToHashSet(StringComparer.Ordinal).SetEquals(b))
            .Sample((a, b) => Assert.NotEqual(ContentHash.OfNames(a), ContentHash.OfNames(b)));
    }

    [Fact]
    public void OfNames_NamesThatConcatenateAlike_DifferentHashes()
    {
        // Act / Assert
        Assert.NotEqual(ContentHash.OfNames(["ab", "c"]), ContentHash.OfNames(["a", "bc"]));
        Assert.NotEqual(ContentHash.OfNames([]), ContentHash.OfNames([string.Empty]));
    }

    [Fact]
    public void OfNames_Hash_Is32LowerHexCharacters()
    {
        // Act
        var hash = ContentHash.OfNames(["admins"]);

        // Assert
        Assert.Matches("^[0-9a-f]{32}$", hash);
    }

    [Fact]
    public void AppendField_NullEmptyAndDash_AreAllDistinct()
    {
        // Act
        var absent = ContentHash.Of(sb => ContentHash.AppendField(sb, "d", null));
        var empty = ContentHash.Of(sb => ContentHash.AppendField(sb, "d", string.Empty));
        var dash = ContentHash.Of(sb => ContentHash.AppendField(sb, "d", "-"));

        // Assert
        Assert.Equal(3, new[] { absent, empty, dash }.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NormalizeGroups_DuplicatesAndAnyOrder_SortedOrdinalDistinct()
    {
        // Act
        var groups = UserObservation.NormalizeGroups(["staff", "Admins", "admins", "staff", "Zeta"]);

        // Assert
        Assert.Equal(["Admins", "Zeta", "admins", "staff"], groups.AsEnumerable());
    }

    [Fact]
    public void GroupObservationHash_AnyFieldChanged_Differs()
    {
        // Arrange
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var group = new GroupObservation { Name = "admins", SourcePoolId = "p", ObservedAt = now, Source = CaptureSource.Sweep, Description = "Admins", Precedence = 1, RoleArn = "arn:aws:iam::123456789012:role/admin" };

        // Act
        string[] hashes =
        [
            group.Hash,
            (group with { Description = null }).Hash,
            (group with { Description = string.Empty }).Hash,
            (group with { Precedence = null }).Hash,
            (group with { Precedence = 2 }).Hash,
            (group with { RoleArn = null }).Hash,
            (group with { Deleted = true }).Hash,
        ];

        // Assert
        Assert.Equal(hashes.Length, hashes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(group.Hash, (group with { ObservedAt = now.AddDays(1), Source = CaptureSource.Trigger }).Hash);
    }
}
