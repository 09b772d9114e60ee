using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using static IdentityReplicator.Core.Tests.Mirror.MirrorTestData;

namespace IdentityReplicator.Core.Tests.Mirror;

/// <summary>User snapshots in a real (emulated) DynamoDB table: versions per part, content hashes, the change feed.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbMirrorStoreTests(DynaliteFixture dynalite)
{
    private const int Buckets = 4;
    private static readonly CancellationToken None = CancellationToken.None;

    // Feed positions come from the store's clock (write time); observation times come from the observations.
    private readonly FakeTimeProvider _time = new(T0.AddSeconds(5));

    [Fact]
    public async Task RecordUserAsync_FirstObservation_ChangedWithAFeedEntryInTheEntitysBucket()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        var observation = User("jane", T0, Profile("jane@example.com"), ["staff", "admins"], CaptureSource.PrimaryRead);
        var entity = EntityId.ForUser("jane");
        var bucket = MirrorTable.BucketOf(entity, Buckets);

        // Act
        var outcome = await store.RecordUserAsync(observation, None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var snapshot = await store.GetUserAsync("jane", None);
        Assert.NotNull(snapshot);
        Assert.Equal(("jane", "sub-jane", PrimaryPool, false), (snapshot.Username, snapshot.Sub, snapshot.SourcePoolId, snapshot.Deleted));
        Assert.Equal(Profile("jane@example.com"), snapshot.Profile);
        Assert.Equal(["admins", "staff"], snapshot.Groups!.Value.AsEnumerable());
        Assert.Equal((T0.UtcTicks, T0.UtcTicks), (snapshot.ProfileVersion, snapshot.GroupsVersion));
        Assert.Equal(Profile("jane@example.com").Hash, snapshot.ProfileHash);
        Assert.Equal(ContentHash.OfNames(["admins", "staff"]), snapshot.GroupsHash);
        Assert.Equal(MirrorTable.Position(_time.GetUtcNow(), entity), snapshot.FeedPosition);
        Assert.Equal((T0, CaptureSource.PrimaryRead), (snapshot.ChangedAt, snapshot.ChangeSource));

        var entry = Assert.Single((await store.ReadFeedAsync(bucket, string.Empty, 10, None)).Entries);
        Assert.Equal(snapshot.FeedPosition, entry.Position);
        Assert.Equal(entity, entry.Entity);
        Assert.Equal(snapshot.Profile, entry.User!.Profile);
        for (var other = 0; other < Buckets; other++)
        {
            if (other != bucket)
            {
                Assert.Empty((await store.ReadFeedAsync(other, string.Empty, 10, None)).Entries);
            }
        }
    }

    [Fact]
    public async Task RecordUserAsync_SameContentObservedLater_UnchangedVersionBumpedNoNewFeedPosition()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("jane@example.com"), ["staff"]), None);
        var before = (await store.GetUserAsync("jane", None))!;
        _time.Advance(TimeSpan.FromSeconds(30));

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(1), Profile("jane@example.com"), ["staff"], CaptureSource.Sweep), None);

        // Assert
        Assert.Equal(RecordOutcome.Unchanged, outcome);
        var after = (await store.GetUserAsync("jane", None))!;
        Assert.Equal((T0.AddMinutes(1).UtcTicks, T0.AddMinutes(1).UtcTicks), (after.ProfileVersion, after.GroupsVersion));
        Assert.Equal(before.FeedPosition, after.FeedPosition);
        Assert.Equal((T0, CaptureSource.Trigger), (after.ChangedAt, after.ChangeSource));
        var bucket = MirrorTable.BucketOf(EntityId.ForUser("jane"), Buckets);
        Assert.Empty((await store.ReadFeedAsync(bucket, before.FeedPosition!, 10, None)).Entries);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task RecordUserAsync_ObservationNotNewerThanRecorded_StaleAndNothingChanges(int minutesAfterRecorded)
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("new@example.com"), ["staff"]), None);
        var before = (await store.GetUserAsync("jane", None))!;

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(minutesAfterRecorded), Profile("old@example.com"), ["old"]), None);

        // Assert
        Assert.Equal(RecordOutcome.Stale, outcome);
        var after = (await store.GetUserAsync("jane", None))!;
        Assert.Equal(before.Profile, after.Profile);
        Assert.Equal(before.Groups!.Value.AsEnumerable(), after.Groups!.Value.AsEnumerable());
        Assert.Equal((before.ProfileVersion, before.GroupsVersion, before.FeedPosition), (after.ProfileVersion, after.GroupsVersion, after.FeedPosition));
    }

    [Fact]
    public async Task RecordUserAsync_NewerWithOtherContent_ChangedAndTheFeedPositionMoves()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        var bucket = MirrorTable.BucketOf(EntityId.ForUser("jane"), Buckets);
        await store.RecordUserAsync(User("jane", T0, Profile("jane@example.com"), ["staff"]), None);
        var first = (await store.GetUserAsync("jane", None))!;
        _time.Advance(TimeSpan.FromSeconds(10));

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(1), Profile("jane@example.org")), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var second = (await store.GetUserAsync("jane", None))!;
        Assert.True(string.CompareOrdinal(second.FeedPosition, first.FeedPosition) > 0, $"{second.FeedPosition} should sort after {first.FeedPosition}");
        Assert.Equal(Profile("jane@example.org"), second.Profile);
        Assert.Equal(T0.AddMinutes(1), second.ChangedAt);
        var afterFirst = Assert.Single((await store.ReadFeedAsync(bucket, first.FeedPosition!, 10, None)).Entries);
        Assert.Equal(second.FeedPosition, afterFirst.Position);
        Assert.Equal(second.FeedPosition, Assert.Single(await ReadWholeBucketAsync(store, bucket)).Position);
    }

    [Fact]
    public async Task RecordUserAsync_ProfileOnlyThenGroupsOnly_EachKeepsTheOtherPartAndItsVersion()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("one@example.com"), ["staff"]), None);

        // Act
        var profileOnly = await store.RecordUserAsync(User("jane", T0.AddMinutes(1), Profile("two@example.com")), None);
        var afterProfile = (await store.GetUserAsync("jane", None))!;
        var groupsOnly = await store.RecordUserAsync(User("jane", T0.AddMinutes(2), groups: ["admins", "staff"]), None);
        var afterGroups = (await store.GetUserAsync("jane", None))!;

        // Assert
        Assert.Equal((RecordOutcome.Changed, RecordOutcome.Changed), (profileOnly, groupsOnly));
        Assert.Equal(Profile("two@example.com"), afterProfile.Profile);
        Assert.Equal(["staff"], afterProfile.Groups!.Value.AsEnumerable());
        Assert.Equal((T0.AddMinutes(1).UtcTicks, T0.UtcTicks), (afterProfile.ProfileVersion, afterProfile.GroupsVersion));
        Assert.Equal(Profile("two@example.com"), afterGroups.Profile);
        Assert.Equal(["admins", "staff"], afterGroups.Groups!.Value.AsEnumerable());
        Assert.Equal((T0.AddMinutes(1).UtcTicks, T0.AddMinutes(2).UtcTicks), (afterGroups.ProfileVersion, afterGroups.GroupsVersion));
    }

    [Fact]
    public async Task RecordUserAsync_OlderFullObservationAfterNewerProfileOnly_UpdatesOnlyTheGroups()
    {
        // Arrange: t0 everything, t2 profile only (a trigger), then t1 everything arrives late.
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("t0@example.com"), ["staff"]), None);
        await store.RecordUserAsync(User("jane", T0.AddMinutes(2), Profile("t2@example.com")), None);

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(1), Profile("t1@example.com"), ["admins"]), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.Equal(Profile("t2@example.com"), snapshot.Profile);
        Assert.Equal(T0.AddMinutes(2).UtcTicks, snapshot.ProfileVersion);
        Assert.Equal(["admins"], snapshot.Groups!.Value.AsEnumerable());
        Assert.Equal(T0.AddMinutes(1).UtcTicks, snapshot.GroupsVersion);
    }

    [Fact]
    public async Task RecordUserAsync_OlderObservationWithSameGroupsAfterNewerProfileOnly_UnchangedButGroupsVersionMoves()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("t0@example.com"), ["staff"]), None);
        await store.RecordUserAsync(User("jane", T0.AddMinutes(2), Profile("t2@example.com")), None);
        var before = (await store.GetUserAsync("jane", None))!;

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(1), Profile("t1@example.com"), ["staff"]), None);

        // Assert
        Assert.Equal(RecordOutcome.Unchanged, outcome);
        var after = (await store.GetUserAsync("jane", None))!;
        Assert.Equal((T0.AddMinutes(2).UtcTicks, T0.AddMinutes(1).UtcTicks), (after.ProfileVersion, after.GroupsVersion));
        Assert.Equal(before.FeedPosition, after.FeedPosition);
        Assert.Equal(Profile("t2@example.com"), after.Profile);
    }

    [Fact]
    public async Task RecordUserAsync_ProfileOnlyFirst_GroupsStayUnknown()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();

        // Act
        await store.RecordUserAsync(User("jane", T0, Profile("jane@example.com")), None);

        // Assert: null means "never observed: leave the standby's memberships alone".
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.Null(snapshot.Groups);
        Assert.Equal(0, snapshot.GroupsVersion);
    }

    [Fact]
    public async Task RecordUserAsync_NoGroupsAndNoAttributes_RecordsEmptyPartsNotMissingOnes()
    {
        // Arrange: a user in no group and with only Cognito's pseudo-attributes.
        var (store, _) = await NewStoreAsync();
        var bare = new UserProfile(new Dictionary<string, string> { ["sub"] = "s" }, true, UserStatuses.Confirmed);

        // Act
        var outcome = await store.RecordUserAsync(User("bare", T0, bare, []), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var snapshot = (await store.GetUserAsync("bare", None))!;
        Assert.NotNull(snapshot.Profile);
        Assert.Empty(snapshot.Profile.Attributes);
        Assert.NotNull(snapshot.Groups);
        Assert.Empty(snapshot.Groups.Value);
    }

    [Fact]
    public async Task RecordUserAsync_Tombstone_DeletedPartsRemovedAndTtlSet()
    {
        // Arrange
        var (store, options) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("jane@example.com"), ["staff"]), None);
        var deletedAt = T0.AddHours(1);

        // Act
        var outcome = await store.RecordUserAsync(UserObservation.Tombstone("jane", "jane", PrimaryPool, deletedAt, CaptureSource.CloudTrail), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.True(snapshot.Deleted);
        Assert.Null(snapshot.Profile);
        Assert.Empty(snapshot.Groups!.Value);
        Assert.Equal((deletedAt.UtcTicks, deletedAt.UtcTicks), (snapshot.ProfileVersion, snapshot.GroupsVersion));
        var raw = await RawSnapshotAsync(dynalite.Client, options, EntityId.ForUser("jane"));
        Assert.DoesNotContain("a", raw.Keys);
        Assert.DoesNotContain("en", raw.Keys);
        Assert.DoesNotContain("st", raw.Keys);
        Assert.Equal(deletedAt.Add(options.TombstoneRetention).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), raw[MirrorTable.ExpiresAt].N);
        var bucket = MirrorTable.BucketOf(EntityId.ForUser("jane"), Buckets);
        Assert.True(Assert.Single(await ReadWholeBucketAsync(store, bucket)).User!.Deleted);
    }

    [Fact]
    public async Task RecordUserAsync_TombstoneTwice_SecondIsUnchanged()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(UserObservation.Tombstone("ghost", "ghost", PrimaryPool, T0, CaptureSource.Sweep), None);

        // Act
        var outcome = await store.RecordUserAsync(UserObservation.Tombstone("ghost", "ghost", PrimaryPool, T0.AddMinutes(1), CaptureSource.Sweep), None);

        // Assert
        Assert.Equal(RecordOutcome.Unchanged, outcome);
        Assert.True((await store.GetUserAsync("ghost", None))!.Deleted);
    }

    [Fact]
    public async Task RecordUserAsync_TombstoneOlderThanRecordedProfile_Stale()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0.AddMinutes(5), Profile("jane@example.com"), ["staff"]), None);

        // Act
        var outcome = await store.RecordUserAsync(UserObservation.Tombstone("jane", "jane", PrimaryPool, T0, CaptureSource.Trigger), None);

        // Assert
        Assert.Equal(RecordOutcome.Stale, outcome);
        Assert.False((await store.GetUserAsync("jane", None))!.Deleted);
    }

    [Fact]
    public async Task RecordUserAsync_RecreatedAfterTombstone_LiveAgainAndTtlCleared()
    {
        // Arrange
        var (store, options) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("jane@example.com"), ["staff"]), None);
        await store.RecordUserAsync(UserObservation.Tombstone("jane", "jane", PrimaryPool, T0.AddMinutes(1), CaptureSource.Trigger), None);

        // Act
        var outcome = await store.RecordUserAsync(User("jane", T0.AddMinutes(2), Profile("jane@example.net")), None);

        // Assert
        Assert.Equal(RecordOutcome.Changed, outcome);
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.False(snapshot.Deleted);
        Assert.Equal(Profile("jane@example.net"), snapshot.Profile);
        var raw = await RawSnapshotAsync(dynalite.Client, options, EntityId.ForUser("jane"));
        Assert.DoesNotContain(MirrorTable.ExpiresAt, raw.Keys);
    }

    [Fact]
    public async Task RecordUserAsync_EightWritersOfOneUserAtOnce_NewestVersionWins()
    {
        // Arrange: as many writers as the store's contention retries, so none may give up.
        var (store, _) = await NewStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 8)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await store.RecordUserAsync(User("jane", T0.AddSeconds(i), Profile($"v{i}@example.com"), [$"g{i}"]), None);
            }))
            .ToList();

        // Act
        start.SetResult();
        var outcomes = await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.Equal(Profile("v7@example.com"), snapshot.Profile);
        Assert.Equal(["g7"], snapshot.Groups!.Value.AsEnumerable());
        Assert.Equal((T0.AddSeconds(7).UtcTicks, T0.AddSeconds(7).UtcTicks), (snapshot.ProfileVersion, snapshot.GroupsVersion));
        Assert.Equal(RecordOutcome.Changed, outcomes[7]);
        Assert.DoesNotContain(RecordOutcome.Unchanged, outcomes);
    }

    [Fact]
    public async Task RecordUserAsync_ProfileAndGroupsWritersAtOnce_BothNewestPartsWin()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();
        await store.RecordUserAsync(User("jane", T0, Profile("v0@example.com"), ["g0"]), None);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(1, 4)
            .SelectMany(i => new[]
            {
                Task.Run(async () => { await start.Task; return await store.RecordUserAsync(User("jane", T0.AddSeconds(i), Profile($"v{i}@example.com")), None); }),
                Task.Run(async () => { await start.Task; return await store.RecordUserAsync(User("jane", T0.AddSeconds(i).AddTicks(1), groups: [$"g{i}"]), None); }),
            })
            .ToList();

        // Act
        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var snapshot = (await store.GetUserAsync("jane", None))!;
        Assert.Equal(Profile("v4@example.com"), snapshot.Profile);
        Assert.Equal(["g4"], snapshot.Groups!.Value.AsEnumerable());
        Assert.Equal((T0.AddSeconds(4).UtcTicks, T0.AddSeconds(4).UtcTicks + 1), (snapshot.ProfileVersion, snapshot.GroupsVersion));
    }

    [Fact]
    public async Task GetUserAsync_NeverRecorded_Null()
    {
        // Arrange
        var (store, _) = await NewStoreAsync();

        // Act / Assert
        Assert.Null(await store.GetUserAsync("nobody", None));
        Assert.Null(await store.GetGroupAsync("nothing", None));
    }

    [Fact]
    public async Task RecordUserAsync_ObservationWithNothingObserved_ThrowsArgumentException()
    {
        // Arrange
        var dynamo = Substitute.For<IAmazonDynamoDB>();
        var store = new DynamoDbMirrorStore(dynamo, new MirrorOptions(), _time);

        // Act
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordUserAsync(User("jane", T0), None));

        // Assert
        Assert.Empty(dynamo.ReceivedCalls());
    }

    private async Task<(DynamoDbMirrorStore Store, MirrorOptions Options)> NewStoreAsync(int buckets = Buckets)
    {
        var options = await dynalite.NewTableAsync(buckets);
        return (new DynamoDbMirrorStore(dynalite.Client, options, _time), options);
    }
}
