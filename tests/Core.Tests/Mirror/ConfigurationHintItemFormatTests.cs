using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// The configuration hint item, pinned on the wire (golden test): its key, attribute names, types and values, and that
/// the change feed hands it back as a <see cref="ConfigurationHint"/>; a hint no newer than the recorded one writes nothing.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class ConfigurationHintItemFormatTests(DynaliteFixture dynalite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RecordAsync_ClientHint_WritesThisItemOnTheFeed()
    {
        // Arrange
        var options = await dynalite.NewTableAsync(feedBuckets: 4);
        var hints = new DynamoDbConfigurationHints(dynalite.Client, options);
        var hint = new ConfigurationHint
        {
            SourcePoolId = PrimaryPool,
            Kind = ConfigObjectKind.Client,
            ObjectId = "client-1",
            ObjectName = "m2m",
            Operation = "CreateUserPoolClient",
            Version = T0.UtcTicks,
        };

        // Act
        var outcome = await hints.RecordAsync(hint, None);
        var raw = await RawItemTextAsync(dynalite.Client, options, "CFG#" + PrimaryPool + "#client#client-1", "S");
        var bucket = MirrorTable.BucketOf(hint.Entity, 4);
        var feed = await new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System).ReadFeedAsync(bucket, string.Empty, 10, None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        Assert.Equal(
            $"""
            ck S client
            ct N 638764272000000000
            fb S {bucket}
            fs S 0638764272000000000#CFG#us-east-1_Primary1#client#client-1
            name S m2m
            oid S client-1
            op S CreateUserPoolClient
            pk S CFG#us-east-1_Primary1#client#client-1
            pool S us-east-1_Primary1
            pv N 638764272000000000
            sk S S
            src S CloudTrail
            """,
            raw);
        var entry = Assert.Single(feed.Entries);
        Assert.Null(entry.User);
        Assert.Null(entry.Group);
        Assert.Equal(hint with { FeedPosition = entry.Position, ChangedAt = T0 }, entry.Configuration);
        Assert.Equal(hint.Entity, entry.Entity);
    }

    [Fact]
    public async Task RecordAsync_PoolWideHintAgainWithTheSameOrAnOlderVersion_IsStaleAndWritesNothing()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var hints = new DynamoDbConfigurationHints(dynalite.Client, options);
        var hint = new ConfigurationHint { SourcePoolId = PrimaryPool, Kind = ConfigObjectKind.Pool, Operation = "UpdateUserPool", Version = T0.UtcTicks };
        await hints.RecordAsync(hint, None);
        var before = await RawItemTextAsync(dynalite.Client, options, "CFG#" + PrimaryPool + "#pool", "S");

        // Act
        var again = await hints.RecordAsync(hint with { Operation = "SetUserPoolMfaConfig" }, None);
        var older = await hints.RecordAsync(hint with { Version = T0.UtcTicks - 1 }, None);
        var newer = await hints.RecordAsync(hint with { Version = T0.UtcTicks + 1 }, None);

        // Assert
        Assert.Equal(RecordOutcome.Stale, again);
        Assert.Equal(RecordOutcome.Stale, older);
        Assert.Equal(RecordOutcome.Changed, newer);
        Assert.Contains("op S UpdateUserPool", before, StringComparison.Ordinal);
        Assert.DoesNotContain("oid", before, StringComparison.Ordinal);
    }
}
