using System.Reflection;
using System.Text.RegularExpressions;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// docs/design/mirror-table.md describes the item format the code owns (<see cref="MirrorAttributes"/>,
/// <see cref="MirrorTable"/>): every item, its keys and exactly its attributes. A name added, renamed or dropped in
/// the code without the page (or the other way round) fails here.
/// </summary>
public sealed partial class MirrorTableDocTests
{
    private static readonly string[] Feed = [MirrorTable.FeedBucket, MirrorTable.FeedPosition, MirrorTable.ExpiresAt];

    /// <summary>Each row of the page's item table: its keys as the code makes them, and the classes naming its attributes.</summary>
    public static TheoryData<string, string[], string[], Type[], string[]> Items => new()
    {
        { "user snapshot", [MirrorTable.EntityPartition(EntityId.ForUser("<identity key>"))], [MirrorTable.SnapshotSortKey], [typeof(MirrorAttributes.Snapshot), typeof(MirrorAttributes.User)], Feed },
        { "group snapshot", [MirrorTable.EntityPartition(EntityId.ForGroup("<group name>"))], [MirrorTable.SnapshotSortKey], [typeof(MirrorAttributes.Snapshot), typeof(MirrorAttributes.Group)], Feed },
        { "sub index", [MirrorTable.SubPartition("<sub>")], [MirrorTable.SnapshotSortKey], [typeof(MirrorAttributes.SubIndex)], [] },
        {
            "applied state",
            [MirrorTable.EntityPartition(EntityId.ForUser("<key>")), MirrorTable.EntityPartition(EntityId.ForGroup("<name>")), "CFG#<pool>#<kind>[#<id>]"],
            [MirrorTable.AppliedSortKey("<Region>")],
            [typeof(MirrorAttributes.Applied)],
            []
        },
        { "sub mapping", [MirrorTable.MappingPartition("<pool>", "<sub>")], [MirrorTable.SnapshotSortKey], [typeof(MirrorAttributes.Mapping)], [] },
        { "client mapping", [MirrorTable.ClientMappingPartition("<target pool>")], ["<client name>"], [typeof(MirrorAttributes.ClientMapping)], [] },
        { "client refusals", [MirrorTable.ClientRefusalsPartition("<target pool>")], ["<client name>"], [typeof(MirrorAttributes.ClientRefusals)], [] },
        { "rotated secret", [MirrorTable.RotatedSecretsPartition("<pool>")], ["<client id>#<secret id>"], [typeof(MirrorAttributes.RotatedSecret)], [] },
        {
            "configuration hint",
            ["CFG#<pool>#<kind>[#<id>]", MirrorTable.EntityPartition(ConfigurationHint.EntityIdOf("<pool>", ConfigObjectKind.Pool, null))],
            [MirrorTable.SnapshotSortKey],
            [typeof(MirrorAttributes.ConfigHint)],
            [MirrorTable.FeedBucket, MirrorTable.FeedPosition]
        },
        { "feed checkpoint", [MirrorTable.CheckpointPartition("<Region>")], ["B#<bucket>"], [typeof(MirrorAttributes.Checkpoint)], [] },
        {
            "parked entity",
            [MirrorTable.ParkedPartition("<Region>")],
            [MirrorTable.EntityPartition(EntityId.ForUser("<key>")), MirrorTable.EntityPartition(EntityId.ForGroup("<name>")), "CFG#<pool>#<kind>[#<id>]"],
            [typeof(MirrorAttributes.Parked)],
            []
        },
        { "capture hint", [MirrorTable.HintsPartition], ["<due ticks>#<pool>#<username>"], [typeof(MirrorAttributes.Hint)], [MirrorTable.ExpiresAt] },
        { "sweep request", [MirrorTable.SweepPartition("<pool>")], [MirrorTable.SnapshotSortKey], [typeof(MirrorAttributes.Sweep)], [] },
        { "layout", [MirrorTable.MetaPartition], [MirrorTable.MetaPartition], [typeof(MirrorAttributes.Layout)], [] },
        { "replication control", [MirrorTable.ControlPartition], [MirrorTable.ControlSortKey], [typeof(MirrorAttributes.Control)], [] },
        { "failover run", [MirrorTable.RunPartition("<id>")], [MirrorTable.RunSortKey], [typeof(MirrorAttributes.Run)], [] },
        { "failover step", [MirrorTable.RunPartition("<id>")], [MirrorTable.StepSortKey("<name>")], [typeof(MirrorAttributes.Step)], [] },
        { "run index", [MirrorTable.RunsPartition], ["<start ticks>#<id>"], [typeof(MirrorAttributes.RunIndex)], [] },
    };

    [Theory]
    [MemberData(nameof(Items))]
    public void MirrorTablePage_ItemRow_HasTheCodesKeysAndExactlyItsAttributes(string item, string[] partitionKeys, string[] sortKeys, Type[] names, string[] layoutNames)
    {
        // Arrange
        var row = Rows().GetValueOrDefault(item);
        Assert.True(row is not null, $"docs/design/mirror-table.md has no row for the {item} item");
        var expected = names.SelectMany(Constants).Concat(layoutNames).ToHashSet(StringComparer.Ordinal);

        // Act
        var documented = Quoted(row[4]).ToHashSet(StringComparer.Ordinal);

        // Assert
        Assert.All(partitionKeys, k => Assert.Contains(k, Quoted(row[1])));
        Assert.All(sortKeys, k => Assert.Contains(k, Quoted(row[2])));
        Assert.Equal(expected.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MirrorTablePage_EveryItemRow_IsOneTheCodeNames()
    {
        var known = Items.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Rows().Keys, item => Assert.Contains(item, known));
        Assert.Equal(typeof(MirrorAttributes).GetNestedTypes().Length, Items.SelectMany(row => (Type[])row[3]).Distinct().Count());
    }

    [Fact]
    public void MirrorTablePage_PointsAtTheCodeThatOwnsTheFormat()
    {
        var page = File.ReadAllText(PagePath());
        Assert.Contains("src/Core/Mirror/MirrorAttributes.cs", page, StringComparison.Ordinal);
        Assert.Contains("src/Core/Mirror/MirrorItems.cs", page, StringComparison.Ordinal);
        Assert.Contains("src/Core/Mirror/MirrorTable.cs", page, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Constants(Type names) =>
        names.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static IEnumerable<string> Quoted(string cell) => QuotedPattern().Matches(cell).Select(m => m.Groups[1].Value);

    /// <summary>The rows of the page's item table (the one under "## Items"), by item name; cells split on '|'.</summary>
    private static Dictionary<string, string[]> Rows()
    {
        var lines = File.ReadAllLines(PagePath());
        var start = Array.FindIndex(lines, l => l.StartsWith("## Items", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/design/mirror-table.md has no '## Items' section");
        return lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2)
            .Select(l => l.Split('|').Skip(1).Select(c => c.Trim()).ToArray())
            .ToDictionary(cells => cells[0], StringComparer.Ordinal);
    }

    private static string PagePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityReplicator.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "design", "mirror-table.md");
            }
        }

        throw new InvalidOperationException("The tests run from inside the repository.");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex QuotedPattern();
}
