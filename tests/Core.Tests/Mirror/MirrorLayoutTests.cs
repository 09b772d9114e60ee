using System.Text;
using CsCheck;
using IdentityReplicator.Core.Mirror;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>The mirror table's key layout: feed buckets and positions (pure functions, no table needed).</summary>
public sealed class MirrorLayoutTests
{
    private static readonly Gen<DateTimeOffset> Instants = Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));
    private static readonly Gen<EntityId> Entities = Gen.Select(Gen.Bool, Gen.String[1, 40], (user, id) => user ? EntityId.ForUser(id) : EntityId.ForGroup(id));

    [Fact]
    public void BucketOf_AnyEntityAndCount_IsInRange()
    {
        Gen.Select(Entities, Gen.Int[1, 64]).Sample((entity, buckets) => Assert.InRange(MirrorTable.BucketOf(entity, buckets), 0, buckets - 1));
    }

    [Theory]
    [InlineData("jane@example.com", 8)]
    [InlineData("8c1d4f2e-1111-2222-3333-444455556666", 64)]
    [InlineData("x", 1)]
    public void BucketOf_User_IsFnv1aOfThePartitionKeyModuloTheCount(string key, int buckets)
    {
        // Arrange: FNV-1a (32-bit) computed here independently; writers in every process must agree on it.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes("U#" + key))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        // Act / Assert
        Assert.Equal((int)(hash % (uint)buckets), MirrorTable.BucketOf(EntityId.ForUser(key), buckets));
    }

    [Fact]
    public void EntityPartition_UserAndGroupWithTheSameId_Differ()
    {
        // Act / Assert
        Assert.NotEqual(MirrorTable.EntityPartition(EntityId.ForUser("admins")), MirrorTable.EntityPartition(EntityId.ForGroup("admins")));
    }

    [Fact]
    public void Position_LaterWriteTime_SortsAfterAnyEarlierPosition()
    {
        Gen.Select(Instants, Instants, Entities, Entities)
            .Where((a, b, _, _) => a != b)
            .Sample((a, b, x, y) =>
            {
                var (earlier, later) = a < b ? (a, b) : (b, a);
                Assert.True(string.CompareOrdinal(MirrorTable.Position(earlier, x), MirrorTable.Position(later, y)) < 0);
            });
    }

    [Fact]
    public void TimeOf_Position_RecoversTheWriteTime()
    {
        Gen.Select(Instants, Entities).Sample((at, entity) => Assert.Equal(at, MirrorTable.TimeOf(MirrorTable.Position(at, entity))));
    }

    [Fact]
    public void PositionFloor_AnyPositionWrittenAtOrAfter_SortsAfterTheFloor()
    {
        Gen.Select(Instants, Gen.Long[0, TimeSpan.TicksPerDay], Entities)
            .Where((at, later, _) => at.UtcTicks + later <= DateTimeOffset.MaxValue.UtcTicks)
            .Sample((at, later, entity) =>
            {
                var floor = MirrorTable.PositionFloor(at);
                Assert.True(string.CompareOrdinal(MirrorTable.Position(at.AddTicks(later), entity), floor) > 0);
                if (at.UtcTicks > 0)
                {
                    Assert.True(string.CompareOrdinal(MirrorTable.Position(at.AddTicks(-1), entity), floor) < 0);
                }
            });
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("not-a-position-at-all")]
    public void TimeOf_NotAPosition_MinValue(string position)
    {
        // Act / Assert
        Assert.Equal(DateTimeOffset.MinValue, MirrorTable.TimeOf(position));
    }

    [Fact]
    public void KeyHelpers_RegionAndBucket_AreStableStrings()
    {
        // Act / Assert: these strings are stored; changing them orphans existing items.
        Assert.Equal("U#jane", MirrorTable.EntityPartition(EntityId.ForUser("jane")));
        Assert.Equal("G#admins", MirrorTable.EntityPartition(EntityId.ForGroup("admins")));
        Assert.Equal("A#us-west-2", MirrorTable.AppliedSortKey("us-west-2"));
        Assert.Equal("CP#us-west-2", MirrorTable.CheckpointPartition("us-west-2"));
        Assert.Equal("B#07", MirrorTable.CheckpointSortKey(7));
        Assert.Equal("PK#us-west-2", MirrorTable.ParkedPartition("us-west-2"));
    }
}
