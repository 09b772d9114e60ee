using CsCheck;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Compact;
using IdentityReplicator.Reconciler.Drift.Formats;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Reconciler.Tests.Apply;
using IdentityReplicator.TestSupport;
using NSubstitute;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>
/// The compact read (fingerprints, sorted runs spilled past a budget, only differing users read again) reports exactly
/// what the whole read compared by <see cref="DriftDetector"/> reports, and leaves no temporary file behind.
/// </summary>
public sealed class CompactDriftTests
{
    private static readonly string[] GroupNames = ["g1", "g2", "g3"];

    [Fact]
    public async Task ReadFocusedAsync_RandomPopulations_ReportsWhatTheWholeReadReportsWithAndWithoutSpilling()
    {
        await Gen.Select(Gen.Int[0, 40], Gen.Bool, Gen.Int[0, 2], Gen.Int).SampleAsync(
            async (users, emailPool, budget, seed) =>
            {
                var world = World.Random(users, emailPool ? PoolKind.Email : PoolKind.Username, seed);
                var root = Directory.CreateTempSubdirectory("compact-test-").FullName;
                try
                {
                    var options = new CompactReadOptions(budget switch { 0 => 256, 1 => 4096, _ => 64L << 20 }, root, Concurrency: 4);
                    var (whole, compact, _) = await world.CompareAsync(options);

                    Assert.Equal(whole.Json, compact.Json);
                    Assert.Equal(whole.Drifted, compact.Drifted);
                    Assert.Equal(whole.Unmatched, compact.Unmatched);
                    Assert.Empty(Directory.GetFileSystemEntries(root));
                }
                finally
                {
                    Directory.Delete(root, recursive: true);
                }
            },
            iter: 60);
    }

    [Fact]
    public async Task ReadFocusedAsync_TinyBudget_SpillsSortedRunsAndDeletesThemAfterwards()
    {
        var world = World.Random(300, PoolKind.Username, seed: 15);
        var root = Directory.CreateTempSubdirectory("compact-test-").FullName;
        try
        {
            var (whole, compact, spillFiles) = await world.CompareAsync(new CompactReadOptions(1024, root));

            Assert.True(spillFiles > 10, $"expected the 1 KB budget to spill runs, saw {spillFiles} files");
            Assert.Equal(whole.Json, compact.Json);
            Assert.True(whole.Differences > 0);
            Assert.Empty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ReadFocusedAsync_ListingFails_DeletesTheSpillFolder()
    {
        var world = World.Random(200, PoolKind.Username, seed: 7);
        world.Source.FailNext("ListUsernamesInGroup", CognitoErrors.Create("InternalErrorException", "boom"));
        var root = Directory.CreateTempSubdirectory("compact-test-").FullName;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => world.Scope().ReadFocusedAsync(new CompactReadOptions(512, root), null, showValues: false, CancellationToken.None));

            Assert.Empty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ReadFocusedAsync_PoolsInStep_ReadsNoUserAgain()
    {
        var world = World.Random(50, PoolKind.Username, seed: 3, inStep: true);

        var (whole, compact, _) = await world.CompareAsync(new CompactReadOptions(64L << 20));

        Assert.Equal(whole.Json, compact.Json);
        Assert.Equal(0, world.Source.Calls.GetValueOrDefault("FindUser"));
        Assert.Equal(0, world.Harness.Standby.Calls.GetValueOrDefault("FindUser"));
    }

    private sealed record Outcome(string Json, int Differences, string[] Drifted, string[] Unmatched)
    {
        public static Outcome Of(DriftAnalysis analysis) => new(
            DriftFormats.Render(analysis.Report, DriftFormat.Json),
            analysis.Report.Summary.Differences,
            [.. analysis.DriftedUsers.Select(u => u.Username).Order(StringComparer.Ordinal)],
            [.. analysis.UnmatchedTargetUsers.Select(u => u.Username).Order(StringComparer.Ordinal)]);
    }

    /// <summary>A source pool, a standby behind an apply engine, a mirror and applied state, made up from a seed.</summary>
    private sealed class World
    {
        private const string Primary = "us-east-1_Primary1";
        private static readonly DateTimeOffset Now = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

        private readonly Dictionary<string, UserSnapshot> _snapshots = new(StringComparer.Ordinal);
        private readonly Dictionary<EntityId, AppliedState> _applied = [];

        private World(PoolKind kind)
        {
            Harness = new StandbyHarness(kind);
        }

        public InMemoryUserDirectory Source { get; } = new(Primary);

        public StandbyHarness Harness { get; }

        public static World Random(int users, PoolKind kind, int seed, bool inStep = false)
        {
            var random = new Random(seed);
            var world = new World(kind);
            foreach (var group in GroupNames)
            {
                world.Source.SeedGroup(new DirectoryGroup(group));
                world.Harness.Standby.SeedGroup(new DirectoryGroup(group, Description: !inStep && random.Next(5) == 0 ? "other" : null));
            }

            for (var i = 0; i < users; i++)
            {
                var name = $"user{i:D3}";
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["email"] = $"{name}@example.com",
                    ["email_verified"] = random.Next(2) == 0 ? "true" : "false",
                    ["given_name"] = $"Given {random.Next(3)}",
                };
                var groups = GroupNames.Where(_ => random.Next(2) == 0).ToList();
                var status = inStep ? UserStatuses.Confirmed : random.Next(8) switch { 0 => "UNCONFIRMED", 1 => "FORCE_CHANGE_PASSWORD", _ => UserStatuses.Confirmed };
                var enabled = inStep || random.Next(6) > 0;
                world.Source.Seed(name, attributes, enabled, status, groups);
                var user = new DirectoryUser(name, null, attributes, enabled, status);
                var key = IdentityKeys.ForUsername(name, caseSensitive: false);
                var change = inStep ? 1 : random.Next(9);
                string? counterpart = null;
                if (change != 0)
                {
                    var copy = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
                    if (change == 2)
                    {
                        copy["given_name"] = "Changed";
                    }

                    if (change == 3)
                    {
                        copy.Remove("email_verified");
                    }

                    counterpart = world.Harness.Standby.Seed(
                        kind == PoolKind.Email ? copy["email"] : name,
                        copy,
                        change == 4 ? !enabled : enabled,
                        change == 5 ? "FORCE_CHANGE_PASSWORD" : UserStatuses.TargetStatusFor(status) ?? UserStatuses.Confirmed,
                        change == 6 ? [.. groups.Skip(1), "g3"] : groups);
                }

                if (inStep || random.Next(3) > 0)
                {
                    var current = inStep || random.Next(3) > 0;
                    world._snapshots[key] = Snapshot(key, user, current ? groups : ["g2"], deleted: !inStep && random.Next(10) == 0);
                }

                if (counterpart is not null && (inStep || random.Next(2) == 0))
                {
                    world.Applied(key, counterpart);
                }
                else if (!inStep && random.Next(10) == 0)
                {
                    world.Applied(key, "gone-" + name);
                }
            }

            for (var i = 0; !inStep && i < random.Next(4); i++)
            {
                world.Harness.Standby.Seed($"extra{i}", new Dictionary<string, string> { ["email"] = $"extra{i}@example.com" }, groups: ["g1"]);
            }

            for (var i = 0; !inStep && i < random.Next(3); i++)
            {
                var key = $"departed{i}";
                world._snapshots[key] = Snapshot(key, new DirectoryUser(key, null, new Dictionary<string, string>(), true, UserStatuses.Confirmed), [], deleted: false);
            }

            return world;
        }

        public async Task<(Outcome Whole, Outcome Compact, int SpillFiles)> CompareAsync(CompactReadOptions options)
        {
            var scope = Scope();
            var run = await scope.ReadAsync(null, CancellationToken.None);
            var whole = DriftDetector.Analyze(run.Inputs, scope.Settings(run, showValues: false), Now);
            var focused = await scope.ReadFocusedAsync(options, null, showValues: false, CancellationToken.None);
            var compact = CompactDrift.Analyze(focused.Run.Inputs, focused.Focus, focused.Recoverability, scope.Settings(focused.Run, showValues: false), Now);
            return (Outcome.Of(whole), Outcome.Of(compact), focused.SpillFiles);
        }

        public SyncScope Scope()
        {
            var control = new ReplicationControl
            {
                Epoch = 1,
                SourceRegion = "us-east-1",
                SourcePoolId = Primary,
                TargetRegion = StandbyHarness.Region,
                TargetPoolId = Harness.Standby.PoolId,
            };
            var store = Substitute.For<IReplicationControlStore>();
            store.GetAsync(Arg.Any<CancellationToken>()).Returns(control);
            var reader = new ReplicationControlReader(store, control, TimeProvider.System, TimeSpan.Zero);
            var mirror = Substitute.For<IMirrorStore>();
            mirror.GetUserAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(call => _snapshots.GetValueOrDefault(call.Arg<string>()));
            var catalog = new Catalog(new MirrorContents(_snapshots, new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal), _applied));
            var source = new PoolEnd(Source, "us-east-1", Substitute.For<IMirrorStore>(), catalog, new InMemoryReplicaState(), new StandbyHarness(PoolKind.Username).Engine);
            var target = new PoolEnd(Harness.Intercepted, StandbyHarness.Region, mirror, catalog, Harness.State, Harness.Engine);
            return new SyncScope(reader, source, target, new ReplicationOptions(), TimeProvider.System);
        }

        private void Applied(string key, string targetUsername)
        {
            var state = new AppliedState { Entity = EntityId.ForUser(key), TargetUsername = targetUsername, ProfileVersion = 1 };
            _applied[state.Entity] = state;
            Harness.State.SeedApplied(StandbyHarness.Region, state);
        }

        private static UserSnapshot Snapshot(string key, DirectoryUser user, IReadOnlyCollection<string> groups, bool deleted) => new()
        {
            Key = key,
            Username = user.Username,
            SourcePoolId = Primary,
            Deleted = deleted,
            ProfileHash = deleted ? null : new UserProfile(user.Attributes, user.Enabled, user.Status).Hash,
            GroupsHash = deleted ? null : ContentHash.OfNames(groups),
            ProfileVersion = 1,
        };
    }

    private sealed class Catalog(MirrorContents contents) : IMirrorCatalog
    {
        public Task<MirrorContents> ReadAllAsync(string? appliedRegion, CancellationToken cancellationToken) => Task.FromResult(contents);
    }
}
