using System.Globalization;
using CsCheck;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// Property tests of the apply engine: for any primary user and any standby state, applying leaves nothing the drift
/// check would report, a second application writes nothing, and snapshots applied in any order converge to the newest.
/// </summary>
public sealed class ApplyEngineProperties
{
    private const string Excluded = "custom:department";

    private static readonly string[] Vocabulary =
    [
        "given_name", "family_name", "locale", "website", "phone_number", "phone_number_verified",
        "email", "email_verified", "custom:tier", "custom:plan", Excluded,
    ];

    private static readonly string[] GroupVocabulary = ["admins", "editors", "viewers", "beta"];

    /// <summary>Per vocabulary attribute: 0 absent, 1 or 2 one of two values.</summary>
    internal static readonly Gen<int[]> AttributeChoices = Gen.Int[0, 2].Array[Vocabulary.Length];

    internal static readonly Gen<bool[]> GroupChoices = Gen.Bool.Array[GroupVocabulary.Length];

    private static readonly Gen<PrimaryCase> Primaries = Gen.Select(
        AttributeChoices, Gen.Bool, Gen.Bool, GroupChoices, Gen.Int[0, 4],
        (attributes, enabled, confirmed, groups, observed) => new PrimaryCase(attributes, enabled, confirmed, groups, observed > 0));

    private static readonly Gen<StandbyCase> Standbys = Gen.Select(
        Gen.Int[0, 3], AttributeChoices, Gen.Bool, Gen.Bool, GroupChoices, Gen.Bool,
        (exists, attributes, enabled, confirmed, groups, identities) => new StandbyCase(exists > 0, attributes, enabled, confirmed, groups, identities));

    /// <summary>
    /// Pairs where the standby user is CONFIRMED while the primary is FORCE_CHANGE_PASSWORD are left out here: that
    /// case has its own test (ApplyEngineUserTests.ApplyUserAsync_PrimaryBackInForceChangePasswordWhileStandbyIsConfirmed_LeavesNoDrift).
    /// </summary>
    private static readonly Gen<(PrimaryCase, StandbyCase)> Cases = Gen.Select(Primaries, Standbys, (primary, standby) =>
        (primary, !primary.Confirmed && standby.Confirmed && standby.Exists ? standby with { Confirmed = false } : standby));

    [Theory, BothPools]
    public Task ApplyUserAsync_AnyPrimaryUserAndStandbyState_LeavesNoDifferenceAndWritesNothingTheSecondTime(PoolKind pool) =>
        Cases.SampleAsync(
            async (primary, standby) =>
            {
                // Arrange
                var harness = new StandbyHarness(pool, excluded: [Excluded]);
                var user = harness.NewUser("pat");
                IReadOnlyList<string> initialGroups = [];
                string? initialExcluded = null;
                if (standby.Exists)
                {
                    var seeded = Attributes(standby.Attributes, pool, user);
                    if (standby.HasIdentities)
                    {
                        seeded["identities"] = "[]";
                    }

                    initialGroups = Pick(standby.Groups);
                    initialExcluded = seeded.GetValueOrDefault(Excluded);
                    harness.SeedCounterpart(user, seeded, standby.Enabled, Status(standby.Confirmed), initialGroups);
                }

                var snapshot = user.Snapshot(
                    1,
                    Attributes(primary.Attributes, pool, user),
                    Status(primary.Confirmed),
                    primary.Enabled,
                    primary.GroupsObserved ? Pick(primary.Groups) : null);

                // Act
                var first = await harness.ApplyAsync(snapshot);

                // Assert: the standby matches by the drift check's rules, and nothing unreplicated was touched.
                Assert.True(first.Outcome is ApplyOutcome.Applied or ApplyOutcome.InSync, $"outcome {first.Outcome} {first.Detail}");
                var counterpart = Assert.Single(harness.Standby.Users);
                var standbyGroups = await harness.GroupsOfAsync(counterpart);
                Assert.Empty(UserComparison.Compare(user.AsDirectoryUser(snapshot), PrimaryUser.GroupsOf(snapshot), counterpart, standbyGroups, harness.Engine.IsReplicated));
                Assert.Equal(initialExcluded, counterpart.Attributes.GetValueOrDefault(Excluded));
                Assert.Equal(standby.Exists && standby.HasIdentities, counterpart.Attributes.ContainsKey("identities"));
                if (snapshot.Groups is null)
                {
                    Assert.Equal(initialGroups.Order(StringComparer.Ordinal), standbyGroups);
                }

                // The same snapshot again: skipped without a call.
                harness.Standby.ResetCalls();
                Assert.Equal(ApplyOutcome.Skipped, (await harness.ApplyAsync(snapshot)).Outcome);
                Assert.Empty(harness.Standby.Calls);

                // A newer snapshot with the same content, and the same after a restart that lost the replica state: no writes.
                var newer = snapshot with { ProfileVersion = 2, GroupsVersion = snapshot.Groups is null ? 0 : 2 };
                Assert.Equal(ApplyOutcome.InSync, (await harness.ApplyAsync(newer)).Outcome);
                var forgetful = EngineWithEmptyState(harness);
                Assert.Equal(ApplyOutcome.InSync, (await forgetful.ApplyUserAsync(newer, CancellationToken.None)).Outcome);
                Assert.Equal(0, harness.Standby.WriteCalls);
            },
            iter: 150);

    [Theory, BothPools]
    public Task ApplyUserAsync_SnapshotsOfOneUserInAnyOrder_ConvergeToTheNewest(PoolKind pool)
    {
        var histories =
            from steps in Gen.Select(Gen.Int[1, 3], AttributeChoices, Gen.Bool, GroupChoices, Gen.Int[0, 1], (change, attributes, enabled, groups, email) => new Step(change, attributes, enabled, groups, email == 1)).Array[1, 5]
            from confirmedFrom in Gen.Int[0, 5]
            from order in Gen.Shuffle(Enumerable.Range(0, steps.Length).ToArray())
            from repeats in Gen.Int[0, steps.Length - 1].Array[0, 3]
            select new History(steps, confirmedFrom, [.. order, .. repeats]);

        return histories.SampleAsync(
            async history =>
            {
                var harness = new StandbyHarness(pool);
                var user = harness.NewUser("sky");
                var snapshots = history.Snapshots(user, pool);
                var newest = snapshots[^1];

                foreach (var index in history.Order)
                {
                    var result = await harness.ApplyAsync(snapshots[index]);
                    Assert.NotEqual(ApplyOutcome.Parked, result.Outcome);
                }

                var counterpart = Assert.Single(harness.Standby.Users);
                var differences = UserComparison.Compare(user.AsDirectoryUser(newest), PrimaryUser.GroupsOf(newest), counterpart, await harness.GroupsOfAsync(counterpart), harness.Engine.IsReplicated);
                Assert.Empty(differences);
                var applied = await harness.AppliedAsync(user);
                Assert.Equal(newest.ProfileVersion, applied!.ProfileVersion);
                Assert.Equal(newest.GroupsVersion, applied.GroupsVersion);
                Assert.Equal(counterpart.Username, applied.TargetUsername);
            },
            iter: 150);
    }

    /// <summary>An engine that shares the standby but not the replica state (a reconciler whose state was lost).</summary>
    private static ApplyEngine EngineWithEmptyState(StandbyHarness harness) =>
        new(harness.Intercepted, harness.Mirror, new InMemoryReplicaState(), new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);

    private static string Status(bool confirmed) => confirmed ? UserStatuses.Confirmed : UserStatuses.ForceChangePassword;

    private static string[] Pick(bool[] groups) => [.. GroupVocabulary.Where((_, i) => groups[i])];

    /// <summary>Turns choices into attributes; in email pools the user always has its email (it is how it is found).</summary>
    private static Dictionary<string, string> Attributes(int[] choices, PoolKind pool, PrimaryUser user, string? email = null)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Vocabulary.Length; i++)
        {
            if (choices[i] > 0)
            {
                attributes[Vocabulary[i]] = Value(Vocabulary[i], choices[i]);
            }
        }

        if (pool == PoolKind.Email)
        {
            attributes["email"] = email ?? user.Email;
        }

        return attributes;
    }

    private static string Value(string attribute, int choice) => attribute switch
    {
        "email_verified" or "phone_number_verified" => choice == 1 ? "true" : "false",
        "email" => choice == 1 ? "first@example.com" : "second@example.com",
        "phone_number" => choice == 1 ? "+15550100" : "+15550101",
        _ => string.Create(CultureInfo.InvariantCulture, $"{attribute}-{choice}"),
    };

    internal sealed record PrimaryCase(int[] Attributes, bool Enabled, bool Confirmed, bool[] Groups, bool GroupsObserved)
    {
        public override string ToString() =>
            $"primary(attributes=[{string.Join(",", Attributes)}], enabled={Enabled}, confirmed={Confirmed}, groups={(GroupsObserved ? string.Join("+", Pick(Groups)) : "unobserved")})";
    }

    internal sealed record StandbyCase(bool Exists, int[] Attributes, bool Enabled, bool Confirmed, bool[] Groups, bool HasIdentities)
    {
        public override string ToString() => Exists
            ? $"standby(attributes=[{string.Join(",", Attributes)}], enabled={Enabled}, confirmed={Confirmed}, groups={string.Join("+", Pick(Groups))}, identities={HasIdentities})"
            : "standby(absent)";
    }

    /// <summary>One change in the primary: 1 the profile changed, 2 the groups changed, 3 both.</summary>
    internal sealed record Step(int Change, int[] Attributes, bool Enabled, bool[] Groups, bool SecondEmail)
    {
        public bool ChangesProfile => (Change & 1) != 0;

        public bool ChangesGroups => (Change & 2) != 0;

        public override string ToString() =>
            $"step(change={Change}, attributes=[{string.Join(",", Attributes)}], enabled={Enabled}, groups={string.Join("+", Pick(Groups))}, secondEmail={SecondEmail})";
    }

    /// <summary>
    /// A user's history as the mirror records it: each part's version only grows, and the snapshot after each step
    /// holds the newest of both parts. Once confirmed, a user stays confirmed. <see cref="Order"/> is the order the
    /// snapshots arrive in (each at least once).
    /// </summary>
    internal sealed record History(Step[] Steps, int ConfirmedFrom, int[] Order)
    {
        public List<UserSnapshot> Snapshots(PrimaryUser user, PoolKind pool)
        {
            var snapshots = new List<UserSnapshot>();
            UserProfile? profile = null;
            IReadOnlyList<string> groups = [];
            long profileVersion = 0;
            long groupsVersion = 0;
            for (var i = 0; i < Steps.Length; i++)
            {
                var step = Steps[i];
                if (i == 0 || step.ChangesProfile)
                {
                    var email = step.SecondEmail ? "sky.second@example.com" : user.Email;
                    profile = new UserProfile(Attributes(step.Attributes, pool, user, email), step.Enabled, Status(i >= ConfirmedFrom));
                    profileVersion = i + 1;
                }

                if (i == 0 || step.ChangesGroups)
                {
                    groups = Pick(step.Groups);
                    groupsVersion = i + 1;
                }

                var snapshot = user.Snapshot(profileVersion, profile!.Attributes, profile.Status, profile.Enabled, groups);
                snapshots.Add(snapshot with { GroupsVersion = groupsVersion });
            }

            return snapshots;
        }

        public override string ToString() =>
            $"history(confirmedFrom={ConfirmedFrom}, order=[{string.Join(",", Order)}], steps=[{string.Join("; ", Steps.Select(s => s.ToString()))}])";
    }
}
