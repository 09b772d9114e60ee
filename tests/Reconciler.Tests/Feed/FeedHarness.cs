using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Reconciler.Feed;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Feed;

[CollectionDefinition(DynaliteCollection.Name)]
public sealed class DynaliteCollectionDefinition : ICollectionFixture<DynaliteFixture>;

/// <summary>
/// The feed poller over a fresh mirror table in dynalite (the real <see cref="DynamoDbMirrorStore"/> and
/// <see cref="DynamoDbReplicaStateStore"/>), with an in-memory standby pool that signs in by email.
/// </summary>
internal sealed class FeedHarness
{
    public const string Region = "us-west-2";
    public const int Buckets = 4;

    private readonly DynaliteFixture _fixture;
    private DateTimeOffset _lastObservation = DateTimeOffset.MinValue;

    private FeedHarness(DynaliteFixture fixture, MirrorOptions mirrorOptions, ReconcilerOptions options)
    {
        _fixture = fixture;
        MirrorOptions = mirrorOptions;
        Options = options;
        Mirror = new DynamoDbMirrorStore(fixture.Client, mirrorOptions, TimeProvider.System);
        Standby = new InMemoryUserDirectory(signInByEmail: true);
        Intercepted = new InterceptingUserDirectory(Standby);
    }

    public MirrorOptions MirrorOptions { get; }

    public ReconcilerOptions Options { get; }

    public DynamoDbMirrorStore Mirror { get; }

    public InMemoryUserDirectory Standby { get; }

    public InterceptingUserDirectory Intercepted { get; }

    public static async Task<FeedHarness> CreateAsync(DynaliteFixture fixture, ReconcilerOptions? options = null) =>
        new(fixture, await fixture.NewTableAsync(feedBuckets: Buckets), options ?? new ReconcilerOptions());

    /// <summary>A replica state store on the table; a new instance each time, as after a restart.</summary>
    public DynamoDbReplicaStateStore NewStateStore() => new(_fixture.Client, MirrorOptions);

    /// <summary>A poller with its own apply engine and state store instance: what a (re)started reconciler builds.</summary>
    public FeedPoller NewPoller(IMirrorStore? mirror = null, TimeProvider? time = null, Func<FeedEntry, bool>? accept = null, ILogger<FeedPoller>? logger = null, ConfigurationFeed? configuration = null)
    {
        var state = NewStateStore();
        var engine = new ApplyEngine(Intercepted, mirror ?? Mirror, state, new ApplySettings(Region, []), TimeProvider.System, NullLogger<ApplyEngine>.Instance);
        return new FeedPoller(mirror ?? Mirror, state, engine, Options, time ?? TimeProvider.System, logger ?? NullLogger<FeedPoller>.Instance, accept, configuration);
    }

    public async Task<FeedPoller> StartPollerAsync(IMirrorStore? mirror = null, TimeProvider? time = null, ILogger<FeedPoller>? logger = null)
    {
        var poller = NewPoller(mirror, time, logger: logger);
        await poller.InitializeAsync(CancellationToken.None);
        return poller;
    }

    /// <summary>A second writer on the same table whose clock is <paramref name="behind"/> (its feed positions are that old).</summary>
    public DynamoDbMirrorStore WriterBehindBy(TimeSpan behind) =>
        new(_fixture.Client, MirrorOptions, new FakeTimeProvider(TimeProvider.System.GetUtcNow() - behind));

    /// <summary>A primary user (email pool: UUID username) whose feed entries land in <paramref name="bucket"/>.</summary>
    public static PrimaryUser NewUser(string name, int? bucket = null)
    {
        while (true)
        {
            var user = PrimaryUser.InEmailPool(name);
            if (bucket is null || BucketOf(user) == bucket)
            {
                return user;
            }
        }
    }

    public static int BucketOf(PrimaryUser user) => MirrorTable.BucketOf(EntityId.ForUser(user.Key), Buckets);

    /// <summary>Records what capture saw of <paramref name="user"/> now; returns the snapshot the mirror holds.</summary>
    public async Task<UserSnapshot> RecordAsync(PrimaryUser user, IReadOnlyDictionary<string, string>? attributes = null, IEnumerable<string>? groups = null, string status = UserStatuses.Confirmed, IMirrorStore? via = null)
    {
        var outcome = await (via ?? Mirror).RecordUserAsync(
            new UserObservation
            {
                Key = user.Key,
                Username = user.Username,
                Sub = user.Sub,
                SourcePoolId = PrimaryUser.PrimaryPoolId,
                ObservedAt = NextObservation(),
                Source = CaptureSource.Trigger,
                Profile = new UserProfile(attributes ?? user.Attributes(), enabled: true, status),
                Groups = UserObservation.NormalizeGroups(groups ?? []),
            },
            CancellationToken.None);
        Assert.Equal(RecordOutcome.Changed, outcome);
        return (await Mirror.GetUserAsync(user.Key, CancellationToken.None))!;
    }

    public async Task<UserSnapshot> RecordDeletionAsync(PrimaryUser user)
    {
        var outcome = await Mirror.RecordUserAsync(UserObservation.Tombstone(user.Key, user.Username, PrimaryUser.PrimaryPoolId, NextObservation(), CaptureSource.CloudTrail), CancellationToken.None);
        Assert.Equal(RecordOutcome.Changed, outcome);
        return (await Mirror.GetUserAsync(user.Key, CancellationToken.None))!;
    }

    public async Task RecordGroupAsync(DirectoryGroup group)
    {
        var outcome = await Mirror.RecordGroupAsync(
            new GroupObservation
            {
                Name = group.Name,
                SourcePoolId = PrimaryUser.PrimaryPoolId,
                ObservedAt = NextObservation(),
                Source = CaptureSource.PrimaryRead,
                Description = group.Description,
                Precedence = group.Precedence,
                RoleArn = group.RoleArn,
            },
            CancellationToken.None);
        Assert.Equal(RecordOutcome.Changed, outcome);
    }

    public DirectoryUser? Counterpart(PrimaryUser user) =>
        Standby.Users.SingleOrDefault(u => string.Equals(u.Attributes.GetValueOrDefault("email"), user.Email, StringComparison.OrdinalIgnoreCase));

    public Task<string?> CheckpointAsync(int bucket) => NewStateStore().GetCheckpointAsync(Region, bucket, CancellationToken.None);

    public async Task<IReadOnlyList<ParkedEntity>> ParkedAsync()
    {
        var parked = new List<ParkedEntity>();
        await foreach (var entity in NewStateStore().ListParkedAsync(Region, CancellationToken.None))
        {
            parked.Add(entity);
        }

        return parked;
    }

    /// <summary>Observation times (versions) that always move forward, however close together they are taken.</summary>
    private DateTimeOffset NextObservation()
    {
        var now = TimeProvider.System.GetUtcNow();
        _lastObservation = now > _lastObservation ? now : _lastObservation.AddTicks(1);
        return _lastObservation;
    }
}

/// <summary>
/// A mirror whose next feed page of a bucket also carries stale copies of entries (older snapshots of the same
/// entity at earlier positions), as a feed index that lags behind its table can.
/// </summary>
internal sealed class StaleCopiesMirror(IMirrorStore inner) : IMirrorStore
{
    private readonly List<FeedEntry> _stale = [];

    public int FeedBuckets => inner.FeedBuckets;

    public Task<string?> FindKeyBySubAsync(string sub, CancellationToken cancellationToken) => inner.FindKeyBySubAsync(sub, cancellationToken);

    public void AddStaleCopy(FeedEntry entry)
    {
        lock (_stale)
        {
            _stale.Add(entry);
        }
    }

    public async Task<FeedPage> ReadFeedAsync(int bucket, string after, int limit, CancellationToken cancellationToken)
    {
        var page = await inner.ReadFeedAsync(bucket, after, limit, cancellationToken);
        List<FeedEntry> stale;
        lock (_stale)
        {
            stale = [.. _stale.Where(e => MirrorTable.BucketOf(e.Entity, FeedBuckets) == bucket)];
            _stale.RemoveAll(stale.Contains);
        }

        return stale.Count == 0
            ? page
            : page with { Entries = [.. page.Entries.Concat(stale).OrderBy(e => e.Position, StringComparer.Ordinal)] };
    }

    public Task<RecordOutcome> RecordUserAsync(UserObservation observation, CancellationToken cancellationToken) => inner.RecordUserAsync(observation, cancellationToken);

    public Task<RecordOutcome> RecordGroupAsync(GroupObservation observation, CancellationToken cancellationToken) => inner.RecordGroupAsync(observation, cancellationToken);

    public Task<UserSnapshot?> GetUserAsync(string key, CancellationToken cancellationToken) => inner.GetUserAsync(key, cancellationToken);

    public Task<GroupSnapshot?> GetGroupAsync(string name, CancellationToken cancellationToken) => inner.GetGroupAsync(name, cancellationToken);
}
