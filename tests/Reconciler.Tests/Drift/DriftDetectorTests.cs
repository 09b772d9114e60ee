using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Drift.Formats;

namespace IdentityReplicator.Reconciler.Tests.Drift;

/// <summary>The drift detector: every difference between two listings named once, by kind, and nothing else.</summary>
public sealed class DriftDetectorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly string[] GroupNames = ["g1", "g2", "g3"];
    private static readonly DriftSettings Settings = new(false, name => !UserProfile.IsPseudoAttribute(name), ShowValues: false);

    [Fact]
    public void Analyze_RandomDifferencesMadeToACopy_ReportsExactlyThoseDifferences()
    {
        Gen.Select(Gen.Int[0, 25], Gen.Int[0, 3], Gen.Int).Sample((users, extras, seed) =>
        {
            var random = new Random(seed);
            var source = Enumerable.Range(0, users).Select(i => new Member(
                new DirectoryUser($"user{i}", $"sub-{i}", Attributes($"user{i}", random.Next(3)), random.Next(4) > 0, UserStatuses.Confirmed),
                [.. GroupNames.Where(_ => random.Next(2) == 0)])).ToList();
            var target = new List<Member>();
            var expected = new List<(DriftKind, string)>();
            foreach (var member in source)
            {
                switch (random.Next(6))
                {
                    case 0:
                        expected.Add((DriftKind.UserMissing, member.User.Username));
                        continue;
                    case 1:
                        target.Add(member with { User = member.User with { Attributes = Attributes(member.User.Username, 7) } });
                        expected.Add((DriftKind.Attributes, member.User.Username));
                        break;
                    case 2:
                        target.Add(member with { User = member.User with { Enabled = !member.User.Enabled } });
                        expected.Add((DriftKind.Enabled, member.User.Username));
                        break;
                    case 3:
                        var groups = member.Groups.Contains("g1") ? member.Groups.Remove("g1") : member.Groups.Add("g1");
                        target.Add(member with { Groups = groups });
                        expected.Add((DriftKind.Memberships, member.User.Username));
                        break;
                    default:
                        target.Add(member);
                        break;
                }
            }

            for (var i = 0; i < extras; i++)
            {
                target.Add(new Member(new DirectoryUser($"extra{i}", $"extra-sub-{i}", Attributes($"extra{i}", 0), true, UserStatuses.Confirmed), []));
                expected.Add((DriftKind.UserExtra, $"extra{i}"));
            }

            var targetGroups = GroupNames.Where(g => g != "g3" || seed % 2 == 0).ToArray();
            if (targetGroups.Length < GroupNames.Length)
            {
                expected.Add((DriftKind.GroupMissing, "g3"));
                foreach (var member in target.Where(m => m.Groups.Contains("g3")).ToList())
                {
                    // A group missing from the standby takes its memberships with it.
                    target[target.IndexOf(member)] = member with { Groups = member.Groups.Remove("g3") };
                    if (!expected.Contains((DriftKind.Memberships, member.User.Username)) && !expected.Contains((DriftKind.UserExtra, member.User.Username)))
                    {
                        expected.Add((DriftKind.Memberships, member.User.Username));
                    }
                }
            }

            var report = DriftDetector.Analyze(Inputs(source, GroupNames, target, targetGroups), Settings, Now).Report;

            var actual = report.Differences.Select(d => (d.Kind, d.Group ?? d.Username ?? d.TargetUsername!)).Order().ToList();
            Assert.Equal(expected.Distinct().Order().ToList(), actual);
            Assert.Equal(actual.Count, report.Summary.Differences);
            Assert.DoesNotContain(report.Differences, d => d.Fields is { } f && f.Any(x => x.Source is not null || x.Target is not null));
        });
    }

    [Fact]
    public void Analyze_UsernamesThatArePersonal_AreHiddenUnlessValuesAreShown()
    {
        var user = new DirectoryUser("jane@example.com", "sub-jane", Attributes("jane@example.com", 0), true, UserStatuses.Confirmed);
        var changed = user with { Attributes = Attributes("jane@example.com", 1) };
        var inputs = Inputs([new Member(user, [])], [], [new Member(changed, [])], []);

        var hidden = Assert.Single(DriftDetector.Analyze(inputs, Settings, Now).Report.Differences);
        var shown = Assert.Single(DriftDetector.Analyze(inputs, Settings with { ShowValues = true }, Now).Report.Differences);

        Assert.Null(hidden.Username);
        Assert.Equal("sub-jane", hidden.Sub);
        Assert.Equal(new FieldDifference("custom:tier"), Assert.Single(hidden.Fields!.Value));
        Assert.Equal("jane@example.com", shown.Username);
        Assert.Equal(new FieldDifference("custom:tier", "tier-0", "tier-1"), Assert.Single(shown.Fields!.Value));
    }

    [Fact]
    public void Analyze_MirrorAndParkedState_AreReportedBesideTheDifferences()
    {
        var alice = new DirectoryUser("alice", "sub-a", Attributes("alice", 0), true, UserStatuses.Confirmed);
        var bob = new DirectoryUser("bob", "sub-b", Attributes("bob", 0), true, UserStatuses.Confirmed);
        var unconfirmed = new DirectoryUser("carol", "sub-c", Attributes("carol", 0), true, UserStatuses.Unconfirmed);
        var aliceProfile = new UserProfile(alice.Attributes, alice.Enabled, alice.Status);
        var mirror = new MirrorContents(
            new Dictionary<string, UserSnapshot>
            {
                ["alice"] = new() { Key = "alice", Username = "alice", SourcePoolId = "p", Profile = aliceProfile, ProfileHash = aliceProfile.Hash, Groups = [], GroupsHash = ContentHash.OfNames([]) },
                ["bob"] = new() { Key = "bob", Username = "bob", SourcePoolId = "p", ProfileHash = "old", GroupsHash = ContentHash.OfNames([]) },
            },
            new Dictionary<string, GroupSnapshot>(),
            new Dictionary<EntityId, AppliedState>());
        var inputs = Inputs([new(alice, []), new(bob, []), new(unconfirmed, [])], [], [new(alice, [])], []) with
        {
            Mirror = mirror,
            Parked = [new ParkedEntity { Entity = EntityId.ForUser("bob"), Code = "SchemaMismatch", Reason = "Standby pool has no attribute 'custom:tier'." }],
        };

        var report = DriftDetector.Analyze(inputs, Settings, Now).Report;

        var missing = Assert.Single(report.Differences);
        Assert.Equal((DriftKind.UserMissing, "bob", MirrorState.Behind), (missing.Kind, missing.Username, missing.Mirror));
        Assert.Equal((1, 0, 1, 2), (report.Summary.MirrorBehind, report.Summary.MirrorAbsent, report.Summary.UsersNotReplicated, report.Summary.UsersCompared));
        var parked = Assert.Single(report.Parked);
        Assert.Equal(("user", "bob", "sub-b", "SchemaMismatch"), (parked.Entity, parked.Username, parked.Sub, parked.Code));
    }

    [Theory]
    [InlineData(DriftFormat.Text)]
    [InlineData(DriftFormat.Md)]
    public void Render_TextAndMarkdown_ShowTheMirrorStateOfAMissingUserAsJsonDoes(DriftFormat format)
    {
        // Arrange: bob is missing in the target, and the mirror's snapshot of him is behind the source.
        var bob = new DirectoryUser("bob", "sub-b", Attributes("bob", 0), true, UserStatuses.Confirmed);
        var mirror = new MirrorContents(
            new Dictionary<string, UserSnapshot> { ["bob"] = new() { Key = "bob", Username = "bob", SourcePoolId = "p", ProfileHash = "old", GroupsHash = ContentHash.OfNames([]) } },
            new Dictionary<string, GroupSnapshot>(),
            new Dictionary<EntityId, AppliedState>());
        var report = DriftDetector.Analyze(Inputs([new(bob, [])], [], [], []) with { Mirror = mirror }, Settings, Now).Report;

        // Act
        var rendered = DriftFormats.Render(report, format);

        // Assert
        Assert.Contains("missing in the target; mirror behind", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SnapshotWhoseMembershipsWereNeverRecorded_IsCurrentForAUserInNoGroup()
    {
        // A user created by AdminCreateUser is captured from CloudTrail and read with AdminGetUser: no groups are
        // recorded, and none need be while the user belongs to none.
        var dana = new DirectoryUser("dana", "sub-d", Attributes("dana", 0), true, UserStatuses.Confirmed);
        var erin = new DirectoryUser("erin", "sub-e", Attributes("erin", 0), true, UserStatuses.Confirmed);
        var profile = (DirectoryUser u) => new UserProfile(u.Attributes, u.Enabled, u.Status);
        var mirror = new MirrorContents(
            new Dictionary<string, UserSnapshot>
            {
                ["dana"] = new() { Key = "dana", Username = "dana", SourcePoolId = "p", ProfileHash = profile(dana).Hash },
                ["erin"] = new() { Key = "erin", Username = "erin", SourcePoolId = "p", ProfileHash = profile(erin).Hash },
            },
            new Dictionary<string, GroupSnapshot>(),
            new Dictionary<EntityId, AppliedState>());
        var inputs = Inputs([new(dana, []), new(erin, ["g1"])], ["g1"], [], []) with { Mirror = mirror };

        var report = DriftDetector.Analyze(inputs, Settings, Now).Report;

        Assert.Equal(
            [("dana", MirrorState.Current), ("erin", MirrorState.Behind)],
            report.Differences.Where(d => d.Kind == DriftKind.UserMissing).Select(d => (d.Username, d.Mirror)).OrderBy(p => p.Username));
        Assert.Equal(1, report.Summary.MirrorBehind);
    }

    [Fact]
    public void Render_Json_IsTheDocumentedSchemaWithCamelCaseKinds()
    {
        var user = new DirectoryUser("alice", "sub-a", Attributes("alice", 0), true, UserStatuses.Confirmed);
        var report = DriftDetector.Analyze(Inputs([new(user, ["g1"])], ["g1"], [new(user with { Enabled = false }, [])], ["g2"]), Settings, Now).Report;

        var json = JsonNode.Parse(DriftFormats.Render(report, DriftFormat.Json))!;

        Assert.Equal(DriftReport.SchemaName, json["schema"]!.GetValue<string>());
        Assert.Equal(["schema", "generatedAt", "primary", "standby", "showValues", "summary", "differences", "parked", "recoverability"], json.AsObject().Select(p => p.Key));
        Assert.False(json["summary"]!["inSync"]!.GetValue<bool>());
        Assert.Equal(
            ["enabled", "memberships", "groupMissing", "groupExtra"],
            json["differences"]!.AsArray().Select(d => d!["kind"]!.GetValue<string>()));
        Assert.Equal("disabled", json["differences"]![0]!["actual"]!.GetValue<string>());
        Assert.Contains("| enabled | 1 |", DriftFormats.Render(report, DriftFormat.Md), StringComparison.Ordinal);
        Assert.Contains("4 differences between the pools.", DriftFormats.Render(report, DriftFormat.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Json_NamesTheTwoPoolsAndTheTargetUserAsSchemaOneDoes()
    {
        // Schema 1 (docs/drift-report.md) calls the source and the target "primary" and "standby", whichever way
        // replication runs: the code's names for them must not leak into the report.
        var alice = new DirectoryUser("alice", "sub-a", Attributes("alice", 0), true, UserStatuses.Confirmed);
        var bob = new DirectoryUser("bob", "sub-b", Attributes("bob", 0), true, UserStatuses.Confirmed);
        var inputs = Inputs([new(alice, [])], [], [new(alice with { Attributes = Attributes("alice", 1) }, []), new(bob, [])], []);
        var report = DriftDetector.Analyze(inputs, Settings with { ShowValues = true }, Now).Report;

        var json = JsonNode.Parse(DriftFormats.Render(report, DriftFormat.Json))!;

        Assert.Equal("primary_1", json["primary"]!["userPoolId"]!.GetValue<string>());
        Assert.Equal("standby_1", json["standby"]!["userPoolId"]!.GetValue<string>());
        var differences = json["differences"]!.AsArray();
        var attributes = differences.Single(d => d!["kind"]!.GetValue<string>() == "attributes")!;
        Assert.Equal(("tier-0", "tier-1"), (attributes["fields"]![0]!["primary"]!.GetValue<string>(), attributes["fields"]![0]!["standby"]!.GetValue<string>()));
        var extra = differences.Single(d => d!["kind"]!.GetValue<string>() == "userExtra")!;
        Assert.Equal(("bob", "sub-b"), (extra["standbyUsername"]!.GetValue<string>(), extra["standbySub"]!.GetValue<string>()));
    }

    private static Dictionary<string, string> Attributes(string name, int tier) => new(StringComparer.Ordinal)
    {
        ["email"] = name.Contains('@', StringComparison.Ordinal) ? name : $"{name}@example.com",
        ["custom:tier"] = $"tier-{tier}",
    };

    private static DriftInputs Inputs(IReadOnlyList<Member> source, IReadOnlyList<string> sourceGroups, IReadOnlyList<Member> target, IReadOnlyList<string> targetGroups) => new(
        Inventory("primary_1", source, sourceGroups),
        "us-east-1",
        Inventory("standby_1", target, targetGroups),
        "us-west-2",
        new PoolDescription("standby_1", [], false, new Dictionary<string, PoolSchemaAttribute>()),
        MirrorContents.Empty,
        []);

    private static PoolInventory Inventory(string poolId, IReadOnlyList<Member> members, IReadOnlyList<string> groups) => new(
        poolId,
        Now,
        caseSensitive: false,
        members.Select(m => m.User),
        groups.Select(g => new DirectoryGroup(g)),
        groups.ToDictionary(g => g, g => (IReadOnlyCollection<string>)members.Where(m => m.Groups.Contains(g)).Select(m => m.User.Username).ToList(), StringComparer.Ordinal));

    private sealed record Member(DirectoryUser User, ImmutableArray<string> Groups);
}
