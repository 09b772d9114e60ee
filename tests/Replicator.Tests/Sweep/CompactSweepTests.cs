using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Replicator.Sweep;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Sweep;

/// <summary>
/// The sweep in bounded memory: its listings spill to sorted runs past the budget, and it still records exactly what the
/// mirror lacks, tombstones exactly the users gone, and leaves no temporary file behind.
/// </summary>
public sealed class CompactSweepTests
{
    private const string PrimaryPool = "us-east-1_Primary1";
    private static readonly string[] GroupNames = ["g1", "g2", "g3"];

    [Fact]
    public async Task RunOnceAsync_ChangesAfterAFirstSweepUnderATinyBudget_RecordsExactlyTheChangedAndTombstonesTheGone()
    {
        await Gen.Select(Gen.Int[0, 60], Gen.Int[1, 3], Gen.Int).SampleAsync(
            async (users, budgetMb, seed) =>
            {
                var random = new Random(seed);
                var primary = new InMemoryUserDirectory(PrimaryPool);
                foreach (var group in GroupNames)
                {
                    primary.SeedGroup(new Core.Pools.DirectoryGroup(group));
                }

                for (var i = 0; i < users; i++)
                {
                    primary.Seed($"user{i:D3}", new Dictionary<string, string> { ["email"] = $"user{i}@example.com", ["given_name"] = $"G{random.Next(3)}" }, groups: GroupNames.Where(_ => random.Next(2) == 0));
                }

                var mirror = new InMemoryMirrorStore();
                var root = Directory.CreateTempSubdirectory("sweep-test-").FullName;
                try
                {
                    var sweep = new SourceSweep(primary, mirror, new Catalog(mirror), usernamesCaseSensitive: false, new SweepOptions { CompactMemoryBudgetMb = budgetMb }, TimeProvider.System, NullLogger<SourceSweep>.Instance)
                    {
                        SpillRoot = root,
                        BudgetBytes = budgetMb * 512,
                    };
                    await sweep.RunOnceAsync(CancellationToken.None);

                    var changed = 0;
                    var deleted = 0;
                    foreach (var user in primary.Users.ToList())
                    {
                        switch (random.Next(6))
                        {
                            case 0:
                                await primary.UpdateAttributesAsync(user.Username, new Dictionary<string, string> { ["given_name"] = "Changed" }, CancellationToken.None);
                                changed += user.Attributes.GetValueOrDefault("given_name") == "Changed" ? 0 : 1;
                                break;
                            case 1:
                                await primary.DeleteUserAsync(user.Username, CancellationToken.None);
                                deleted++;
                                break;
                            case 2 when !(await primary.ListGroupsForUserAsync(user.Username, CancellationToken.None)).Contains("g3"):
                                await primary.AddToGroupAsync(user.Username, "g3", CancellationToken.None);
                                changed++;
                                break;
                        }
                    }

                    var result = await sweep.RunOnceAsync(CancellationToken.None);

                    Assert.Equal(changed, result.Recorded);
                    Assert.Equal(deleted, result.Tombstones);
                    Assert.Equal(users - deleted, result.Users);
                    foreach (var user in primary.Users)
                    {
                        var snapshot = await mirror.GetUserAsync(IdentityKeys.ForUsername(user.Username, false), CancellationToken.None);
                        Assert.NotNull(snapshot);
                        Assert.Equal(new UserProfile(user.Attributes, user.Enabled, user.Status).Hash, snapshot.ProfileHash);
                        Assert.Equal(ContentHash.OfNames(await primary.ListGroupsForUserAsync(user.Username, CancellationToken.None)), snapshot.GroupsHash);
                    }

                    Assert.Empty(Directory.GetFileSystemEntries(root));
                }
                finally
                {
                    Directory.Delete(root, recursive: true);
                }
            },
            iter: 40);
    }

    /// <summary>The in-memory mirror read whole, as the DynamoDB catalog scans it.</summary>
    private sealed class Catalog(InMemoryMirrorStore mirror) : IMirrorCatalog
    {
        public async Task<MirrorContents> ReadAllAsync(string? appliedRegion, CancellationToken cancellationToken)
        {
            var groups = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
            foreach (var name in GroupNames)
            {
                if (await mirror.GetGroupAsync(name, cancellationToken) is { } group)
                {
                    groups[name] = group;
                }
            }

            return new MirrorContents(mirror.Users.ToDictionary(u => u.Key, StringComparer.Ordinal), groups, new Dictionary<EntityId, AppliedState>());
        }
    }
}
