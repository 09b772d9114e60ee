using Amazon.DynamoDBv2.Model;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>
/// The mirror table's item format on the wire, pinned (golden tests): user and group snapshots and the sub index, with
/// their exact attribute names, types and values, and items as earlier versions wrote them read back. Tables in use
/// hold these items; a change here is a migration, not a refactoring (docs/design/mirror-table.md). The other items
/// of the Core stores: <see cref="MirrorStateItemFormatTests"/>.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class MirrorItemFormatTests(DynaliteFixture dynalite)
{
    private const string Standby = "us-west-2_Standby1";
    private static readonly CancellationToken None = CancellationToken.None;

    // Feed positions come from the store's clock: T0 + 5 s.
    private readonly FakeTimeProvider _time = new(T0.AddSeconds(5));

    [Fact]
    public async Task RecordUserAsync_NewUser_WritesThisSnapshotItemAndSubIndexItem()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbMirrorStore(dynalite.Client, options, _time);

        // Act
        await store.RecordUserAsync(Jane(T0), None);
        var snapshot = await RawAsync(options, "U#jane", "S");
        var subIndex = await RawAsync(options, "SUB#sub-jane", "S");

        // Assert
        Assert.Equal(
            """
            a M {email: S jane@example.com, email_verified: S true}
            ct N 638764272000000000
            del BOOL false
            en BOOL true
            fb S 1
            fs S 0638764272050000000#U#jane
            g L [S admins, S staff]
            gh S cda2d67e4db31fbfbd0c66085b17079b
            gv N 638764272000000000
            k S jane
            ph S a95d9edd47df14ab6379e173dc68b9f2
            pk S U#jane
            pool S us-east-1_Primary1
            pv N 638764272000000000
            sk S S
            src S PrimaryRead
            st S CONFIRMED
            sub S sub-jane
            un S Jane
            """,
            snapshot);
        Assert.Equal(
            """
            k S jane
            pk S SUB#sub-jane
            sk S S
            """,
            subIndex);
    }

    [Fact]
    public async Task RecordUserAsync_UnderAReplicationControl_StampsTheEpoch()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var control = new DynamoDbReplicationControlStore(dynalite.Client, options);
        Assert.True(await control.TryAdvanceAsync(Configured() with { Epoch = 3, ChangedAt = T0 }, 0, None));
        var store = new DynamoDbMirrorStore(dynalite.Client, options, _time, new ReplicationControlReader(control, Configured(), _time));

        // Act
        await store.RecordUserAsync(Jane(T0) with { Groups = null }, None);

        // Assert
        Assert.Equal(
            """
            a M {email: S jane@example.com, email_verified: S true}
            ct N 638764272000000000
            del BOOL false
            en BOOL true
            ep N 3
            fb S 1
            fs S 0638764272050000000#U#jane
            gv N 0
            k S jane
            ph S a95d9edd47df14ab6379e173dc68b9f2
            pk S U#jane
            pool S us-east-1_Primary1
            pv N 638764272000000000
            sk S S
            src S PrimaryRead
            st S CONFIRMED
            sub S sub-jane
            un S Jane
            """,
            await RawAsync(options, "U#jane", "S"));
    }

    [Fact]
    public async Task RecordUserAsync_Deletion_TurnsTheItemIntoThisTombstone()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbMirrorStore(dynalite.Client, options, _time);
        await store.RecordUserAsync(Jane(T0), None);
        _time.Advance(TimeSpan.FromMinutes(1));

        // Act
        await store.RecordUserAsync(UserObservation.Tombstone("jane", "Jane", PrimaryPool, T0.AddMinutes(1), CaptureSource.CloudTrail), None);

        // Assert
        Assert.Equal(
            """
            ct N 638764272600000000
            del BOOL true
            exp N 1743422460
            fb S 1
            fs S 0638764272650000000#U#jane
            g L []
            gh S e3b0c44298fc1c149afbf4c8996fb924
            gv N 638764272600000000
            k S jane
            ph S tombstone
            pk S U#jane
            pool S us-east-1_Primary1
            pv N 638764272600000000
            sk S S
            src S CloudTrail
            sub S sub-jane
            un S Jane
            """,
            await RawAsync(options, "U#jane", "S"));
    }

    [Fact]
    public async Task RecordGroupAsync_NewGroupThenDeletion_WritesTheseItems()
    {
        // Arrange
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbMirrorStore(dynalite.Client, options, _time);

        // Act
        await store.RecordGroupAsync(Group("admins", T0), None);
        var recorded = await RawAsync(options, "G#admins", "S");
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.RecordGroupAsync(Group("admins", T0.AddMinutes(1), description: null, precedence: null, deleted: true), None);
        var deleted = await RawAsync(options, "G#admins", "S");

        // Assert
        Assert.Equal(
            """
            ct N 638764272000000000
            d S desc
            del BOOL false
            fb S 3
            fs S 0638764272050000000#G#admins
            gv N 0
            h S f5b225c8b8310421134a7927430319e7
            name S admins
            p N 1
            pk S G#admins
            pool S us-east-1_Primary1
            pv N 638764272000000000
            r S arn:aws:iam::123456789012:role/admins
            sk S S
            src S Sweep
            """,
            recorded);
        Assert.Equal(
            """
            ct N 638764272600000000
            del BOOL true
            exp N 1743422460
            fb S 3
            fs S 0638764272650000000#G#admins
            gv N 0
            h S b2ecd27792c65d0c740e781ea029f2af
            name S admins
            pk S G#admins
            pool S us-east-1_Primary1
            pv N 638764272600000000
            r S arn:aws:iam::123456789012:role/admins
            sk S S
            src S Sweep
            """,
            deleted);
    }

    [Fact]
    public async Task Stores_ItemsAsEarlierVersionsWroteThem_ReadEveryField()
    {
        // Arrange: items exactly as pinned above, written without the stores.
        var options = await dynalite.NewTableAsync();
        await PutAsync(options, new()
        {
            ["pk"] = S("U#jane"), ["sk"] = S("S"), ["k"] = S("jane"), ["un"] = S("Jane"), ["sub"] = S("sub-jane"), ["pool"] = S(PrimaryPool),
            ["a"] = new() { M = new() { ["email"] = S("jane@example.com"), ["email_verified"] = S("true") } },
            ["en"] = new() { BOOL = true }, ["st"] = S("FORCE_CHANGE_PASSWORD"), ["del"] = new() { BOOL = false },
            ["pv"] = N(T0.UtcTicks), ["ph"] = S("p-hash"), ["g"] = new() { L = [S("admins"), S("staff")] }, ["gv"] = N(T0.UtcTicks + 1), ["gh"] = S("g-hash"),
            ["fb"] = S("1"), ["fs"] = S("0638764272050000000#U#jane"), ["ct"] = N(T0.UtcTicks), ["src"] = S("CloudTrail"), ["ep"] = N(3),
        });
        await PutAsync(options, new()
        {
            ["pk"] = S("G#admins"), ["sk"] = S("S"), ["name"] = S("admins"), ["pool"] = S(PrimaryPool), ["d"] = S("desc"), ["p"] = N(4),
            ["r"] = S("arn:aws:iam::123456789012:role/admins"), ["del"] = new() { BOOL = true }, ["pv"] = N(T0.UtcTicks), ["gv"] = N(0), ["h"] = S("h-hash"),
            ["fb"] = S("3"), ["fs"] = S("0638764272050000000#G#admins"), ["ct"] = N(T0.UtcTicks), ["src"] = S("Sweep"),
        });
        await PutAsync(options, new()
        {
            ["pk"] = S("U#jane"), ["sk"] = S("A#us-west-2"), ["pv"] = N(10), ["gv"] = N(20), ["ph"] = S("p-hash"), ["gh"] = S("g-hash"),
            ["tu"] = S("jane-standby"), ["tsub"] = S("standby-sub"), ["ssub"] = S("source-sub"), ["at"] = N(T0.UtcTicks),
        });
        var store = new DynamoDbMirrorStore(dynalite.Client, options, _time);

        // Act
        var user = (await store.GetUserAsync("jane", None))!;
        var group = (await store.GetGroupAsync("admins", None))!;
        var applied = await new DynamoDbReplicaStateStore(dynalite.Client, options).GetAppliedAsync("us-west-2", EntityId.ForUser("jane"), None);
        var feed = await store.ReadFeedAsync(1, string.Empty, 10, None);
        var catalog = await store.ReadAllAsync("us-west-2", None);

        // Assert
        Assert.Equal(("jane", "Jane", "sub-jane", PrimaryPool, false), (user.Key, user.Username, user.Sub, user.SourcePoolId, user.Deleted));
        Assert.Equal(new UserProfile(new Dictionary<string, string> { ["email"] = "jane@example.com", ["email_verified"] = "true" }, true, "FORCE_CHANGE_PASSWORD"), user.Profile);
        Assert.Equal((T0.UtcTicks, "p-hash", T0.UtcTicks + 1, "g-hash"), (user.ProfileVersion, user.ProfileHash, user.GroupsVersion, user.GroupsHash));
        Assert.Equal(["admins", "staff"], user.Groups!.Value.AsEnumerable());
        Assert.Equal(("0638764272050000000#U#jane", T0, CaptureSource.CloudTrail), (user.FeedPosition, user.ChangedAt, user.ChangeSource));
        Assert.Equal(
            ("admins", PrimaryPool, "desc", (int?)4, "arn:aws:iam::123456789012:role/admins", true, T0.UtcTicks, "h-hash", "0638764272050000000#G#admins", T0),
            (group.Name, group.SourcePoolId, group.Description, group.Precedence, group.RoleArn, group.Deleted, group.Version, group.Hash, group.FeedPosition, group.ChangedAt));
        Assert.Equal(AppliedJane(), applied);
        Assert.Equal("0638764272050000000#U#jane", Assert.Single(feed.Entries).Position);
        Assert.Equal(("jane", "admins", AppliedJane()), (Assert.Single(catalog.Users).Key, Assert.Single(catalog.Groups).Key, Assert.Single(catalog.Applied).Value));
    }

    private static UserObservation Jane(DateTimeOffset at) => User("jane", at, Profile("jane@example.com"), ["staff", "admins"], CaptureSource.PrimaryRead) with { Username = "Jane" };

    private static ReplicationControl Configured() => ReplicationControl.FromConfiguration(new ReplicationOptions
    {
        Primary = new PoolOptions { Region = "us-east-1", UserPoolId = PrimaryPool },
        Standby = new PoolOptions { Region = "us-west-2", UserPoolId = Standby },
    });

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private Task PutAsync(MirrorOptions options, Dictionary<string, AttributeValue> item) =>
        dynalite.Client.PutItemAsync(new PutItemRequest { TableName = options.TableName, Item = item });

    private Task<string> RawAsync(MirrorOptions options, string pk, string sk) => RawItemTextAsync(dynalite.Client, options, pk, sk);
}
