using System.Globalization;
using CsCheck;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// Property tests of the pure planner, for any desired user, any target user (or none), any schema, sign-in mode and
/// exclusions. Plans are performed on <see cref="CognitoModel"/>, this file's own model of how Cognito answers each
/// call, so the planner is checked against Cognito's rules rather than against itself.
/// </summary>
public sealed class UserPlannerProperties
{
    private const string Identity = "custom:primary_sub";
    private const string Department = "custom:department";
    private const string Region = "custom:region";
    private const string Plan = "custom:plan";
    private const int Iterations = 4000;

    private static readonly string[] Vocabulary =
    [
        "given_name", "locale", "email", "email_verified", "phone_number", "phone_number_verified",
        "custom:tier", Plan, Department, Region, Identity, "identities",
    ];

    private static readonly string[] GroupVocabulary = ["admins", "editors", "viewers", "beta"];

    private static readonly Gen<Dictionary<string, string>> Attributes =
        Gen.Int[0, 2].Array[Vocabulary.Length].Select(choices =>
            Vocabulary.Select((name, i) => (name, choice: choices[i])).Where(a => a.choice > 0)
                .ToDictionary(a => a.name, a => Value(a.name, a.choice), StringComparer.Ordinal));

    private static readonly Gen<string[]> Groups = Gen.Bool.Array[GroupVocabulary.Length].Select(picks => GroupVocabulary.Where((_, i) => picks[i]).ToArray());

    private static readonly Gen<PoolDescription> Pools =
        from aliases in Gen.OneOf<string[]>([], ["email"], ["phone_number"], ["email", "phone_number"])
        from readSchema in Gen.Int[0, 3]
        from hasPlan in Gen.Bool
        from hasIdentity in Gen.Bool
        from regionMutable in Gen.Bool
        select new PoolDescription("us-west-2_Target", aliases, false, readSchema == 0 ? new Dictionary<string, PoolSchemaAttribute>() : Schema(hasPlan, hasIdentity, regionMutable));

    private static readonly Gen<(string[] Excluded, string? Identity)> Rules =
        from excluded in Gen.Bool.Array[3].Select(picks => new[] { Department, "email_verified", "locale" }.Where((_, i) => picks[i]).ToArray())
        from identity in Gen.OneOf<string?>(Identity, Identity, null)
        select (excluded, identity);

    private static readonly Gen<DesiredUser> Desired =
        from hasProfile in Gen.Int[0, 5]
        from attributes in Attributes
        from status in Gen.OneOf(
            UserStatuses.Confirmed, UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired,
            UserStatuses.Compromised, UserStatuses.Unconfirmed, UserStatuses.ExternalProvider)
        from enabled in Gen.Bool
        from observed in Gen.Int[0, 3]
        from groups in Groups
        from originalSub in Gen.OneOf<string?>("source-sub", "original-sub", null)
        select new DesiredUser("source-user", hasProfile > 0 ? new UserProfile(attributes, enabled, status) : null, observed > 0 ? groups : null, originalSub);

    private static readonly Gen<(DirectoryUser? User, string[] Groups)> Targets =
        from exists in Gen.Int[0, 3]
        from attributes in Attributes
        from enabled in Gen.Bool
        from status in Gen.OneOf(UserStatuses.Confirmed, UserStatuses.ForceChangePassword, UserStatuses.ResetRequired, UserStatuses.Unconfirmed)
        from groups in Groups
        select exists > 0 ? (new DirectoryUser("target-user", "target-sub", attributes, enabled, status), groups) : ((DirectoryUser?)null, Array.Empty<string>());

    private static readonly Gen<Case> Cases =
        from desired in Desired
        from target in Targets
        from pool in Pools
        from rules in Rules
        select new Case(desired, target.User, target.Groups, pool, rules.Excluded, rules.Identity);

    [Fact]
    public void Plan_PerformedOnAnyTarget_PlanningAgainAsksForNothing() =>
        Cases.Sample(
            c =>
            {
                if (!c.TryPerform(out var user, out var groups))
                {
                    return;
                }

                var again = UserPlanner.Plan(c.Desired, user, groups, c.Pool, c.Rules);

                Assert.False(again.Stops, $"the second plan stops: {again.NotReplicated}{again.Park}");
                Assert.Empty(again.Calls);
            },
            iter: Iterations);

    [Fact]
    public void Plan_PerformedOnAnyTarget_LeavesTheDesiredStateExceptWhatIsNotReplicated()
    {
        Cases.Sample(
            c =>
            {
                if (!c.TryPerform(out var user, out var groups))
                {
                    return;
                }

                if (c.Desired.Profile is not { } profile)
                {
                    Assert.Equal(c.Target is null, user is null);
                    Assert.Equal(c.Target?.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), user?.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
                    Assert.Equal((c.Target?.Status, c.Target?.Enabled), (user?.Status, user?.Enabled));
                }
                else
                {
                    Assert.NotNull(user);
                    ProfileConverged(c, profile, user);
                }

                // Memberships alone create no user: with neither a profile nor a target there is nobody to add.
                var expectedGroups = user is null ? [] : c.Desired.Groups ?? (c.Target is null ? [] : c.TargetGroups);
                Assert.Equal(expectedGroups.Order(StringComparer.Ordinal), groups.Order(StringComparer.Ordinal));
            },
            iter: Iterations);

        static void ProfileConverged(Case c, UserProfile profile, DirectoryUser user)
        {
            // Replicated attributes equal, by the drift check's rule that a missing *_verified flag reads "false".
            var names = profile.Attributes.Keys.Concat(user.Attributes.Keys).Where(c.Rules.IsReplicated).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                Assert.True(Compared(profile.Attributes, name) == Compared(user.Attributes, name), $"attribute {name} differs");
            }

            // The rest is left as it was, but for the identity attribute, written where the schema has it.
            var before = c.Target?.Attributes ?? new Dictionary<string, string>();
            var identityWritten = c.Rules.IdentityAttribute is { } identity && c.Desired.OriginalSub is not null && c.Pool.Schema.ContainsKey(identity);
            foreach (var name in before.Keys.Concat(user.Attributes.Keys).Where(n => !c.Rules.IsReplicated(n)).Distinct(StringComparer.Ordinal))
            {
                var expected = identityWritten && name == c.Rules.IdentityAttribute ? c.Desired.OriginalSub : before.GetValueOrDefault(name);
                var alias = name.Replace("_verified", string.Empty, StringComparison.Ordinal);
                if (name is "email_verified" or "phone_number_verified" && c.Target is not null
                    && user.Attributes.TryGetValue(alias, out var written) && written != before.GetValueOrDefault(alias))
                {
                    // An excluded flag is never written, but Cognito itself unverifies an email or phone that changes.
                    expected = "false";
                }

                Assert.True(expected == user.Attributes.GetValueOrDefault(name), $"unreplicated attribute {name} changed");
            }

            Assert.Equal(profile.Enabled, user.Enabled);

            // A target already in another status than the two replication writes (an admin reset its password, or it
            // signed up in the target itself) is left in it when the source is confirmed, as the engine always did;
            // the drift report lists it as a status difference.
            var status = ApplyEngine.TargetStatusFor(profile.Status);
            var leftAlone = status == UserStatuses.Confirmed && c.Target is { Status: not (UserStatuses.Confirmed or UserStatuses.ForceChangePassword) };
            Assert.Equal(leftAlone ? c.Target!.Status : status, user.Status);
        }
    }

    [Fact]
    public void Plan_AnyCase_NeverWritesOrDeletesExcludedManagedOrIdentityAttributesAsUserData() =>
        Cases.Sample(
            c =>
            {
                foreach (var call in c.Plan().Calls)
                {
                    var written = call switch
                    {
                        UserCall.CreateUser create => create.Attributes,
                        UserCall.UpdateAttributes update => update.Attributes,
                        _ => new Dictionary<string, string>(),
                    };
                    foreach (var (name, value) in written)
                    {
                        Assert.True(c.Rules.IsReplicated(name) || (name == c.Rules.IdentityAttribute && value == c.Desired.OriginalSub), $"{call} writes {name}");
                    }

                    if (call is UserCall.DeleteAttributes delete)
                    {
                        Assert.All(delete.Names, name => Assert.True(c.Rules.IsReplicated(name), $"{call} deletes {name}"));
                        Assert.DoesNotContain(delete.Names, name => name is "email_verified" or "phone_number_verified");
                        Assert.DoesNotContain(delete.Names, name => c.Excluded.Contains(name) || (name == Identity && c.Rules.IdentityAttribute is not null));
                    }
                }
            },
            iter: Iterations);

    [Fact]
    public void Plan_AnyCase_CreatesFirstThenProfileCallsThenMemberships() =>
        Cases.Sample(
            c =>
            {
                var calls = c.Plan().Calls;
                var kinds = calls.Select(call => call.GetType()).ToList();

                Assert.All(calls.Skip(1), call => Assert.IsNotType<UserCall.CreateUser>(call));
                if (c.Target is not null)
                {
                    Assert.DoesNotContain(typeof(UserCall.CreateUser), kinds);
                }
                else if (calls.Length > 0)
                {
                    Assert.IsType<UserCall.CreateUser>(calls[0]);
                }

                var memberships = kinds.FindIndex(k => k == typeof(UserCall.AddToGroup) || k == typeof(UserCall.RemoveFromGroup));
                var profileCalls = kinds.FindLastIndex(k => k != typeof(UserCall.AddToGroup) && k != typeof(UserCall.RemoveFromGroup));
                Assert.True(memberships < 0 || profileCalls < memberships, $"a profile call after a membership call: {string.Join(", ", calls)}");
                Assert.All(kinds.Where(k => k != typeof(UserCall.AddToGroup) && k != typeof(UserCall.RemoveFromGroup)).GroupBy(k => k), g => Assert.Single(g));
                Assert.False(kinds.Contains(typeof(UserCall.SetPermanentPassword)) && kinds.Contains(typeof(UserCall.SetTemporaryPassword)));
                Assert.DoesNotContain(typeof(UserCall.DeleteUser), kinds);
                var added = calls.OfType<UserCall.AddToGroup>().Select(a => a.Group).ToList();
                var removed = calls.OfType<UserCall.RemoveFromGroup>().Select(r => r.Group).ToList();
                Assert.Equal(added.Count, added.Distinct(StringComparer.Ordinal).Count());
                Assert.Equal(removed.Count, removed.Distinct(StringComparer.Ordinal).Count());
                Assert.Empty(added.Intersect(removed, StringComparer.Ordinal));
            },
            iter: Iterations);

    [Fact]
    public void Plan_NotReplicatedOrParked_MakesNoCallAndSaysWhy() =>
        Cases.Sample(
            c =>
            {
                var plan = c.Plan();
                var replicated = c.Desired.Profile is not { } profile || ApplyEngine.TargetStatusFor(profile.Status) is not null;

                Assert.Equal(!replicated, plan.NotReplicated is not null);
                if (plan.Stops)
                {
                    Assert.Empty(plan.Calls);
                    Assert.False(plan.NotReplicated is not null && plan.Park is not null);
                }

                if (plan.Park is { } park)
                {
                    Assert.Contains(park.Code, new[] { "SchemaMismatch", "ImmutableAttribute", "NoSignInAlias" });
                    Assert.Equal(park.Code != "NoSignInAlias", park.SchemaDependent);
                    Assert.DoesNotContain(c.Desired.Profile!.Attributes.Values, value => park.Reason.Contains(value, StringComparison.Ordinal));
                }
            },
            iter: Iterations);

    private static Dictionary<string, PoolSchemaAttribute> Schema(bool hasPlan, bool hasIdentity, bool regionMutable)
    {
        var names = new List<string> { "given_name", "locale", "email", "email_verified", "phone_number", "phone_number_verified", "custom:tier", Department, "identities" };
        names.AddRange(hasPlan ? [Plan] : []);
        names.AddRange(hasIdentity ? [Identity] : []);
        var schema = names.ToDictionary(n => n, n => new PoolSchemaAttribute(n, "String", Mutable: true, Required: false, DeveloperOnly: false), StringComparer.Ordinal);
        schema[Region] = new PoolSchemaAttribute(Region, "String", regionMutable, Required: false, DeveloperOnly: false);
        return schema;
    }

    private static string Value(string attribute, int choice) => attribute switch
    {
        "email_verified" or "phone_number_verified" => choice == 1 ? "true" : "false",
        "email" => choice == 1 ? "first@example.com" : "second@example.com",
        "phone_number" => choice == 1 ? "+15550100" : "+15550101",
        _ => string.Create(CultureInfo.InvariantCulture, $"{attribute}-{choice}"),
    };

    private static string? Compared(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var value) ? value : name is "email_verified" or "phone_number_verified" ? "false" : null;

    internal sealed record Case(DesiredUser Desired, DirectoryUser? Target, string[] TargetGroups, PoolDescription Pool, string[] Excluded, string? IdentityAttribute)
    {
        public AttributeRules Rules { get; } = new(Excluded, IdentityAttribute);

        public UserPlan Plan() => UserPlanner.Plan(Desired, Target, TargetGroups, Pool, Rules);

        /// <summary>Performs the plan on the model; false for a plan that stops short (there is nothing to perform).</summary>
        public bool TryPerform(out DirectoryUser? user, out IReadOnlyList<string> groups)
        {
            var plan = Plan();
            (user, groups) = plan.Stops ? (Target, TargetGroups) : CognitoModel.Perform(plan.Calls, Target, TargetGroups);
            return !plan.Stops;
        }

        public override string ToString() =>
            $"desired(profile={(Desired.Profile is { } p ? $"{p.Status}, enabled={p.Enabled}, [{Show(p.Attributes)}]" : "none")}, groups={(Desired.Groups is { } g ? string.Join("+", g) : "unobserved")}, originalSub={Desired.OriginalSub}) "
            + $"target={(Target is { } t ? $"({t.Status}, enabled={t.Enabled}, [{Show(t.Attributes)}], groups={string.Join("+", TargetGroups)})" : "none")} "
            + $"pool(aliases={string.Join("+", Pool.UsernameAttributes)}, schema=[{string.Join(", ", Pool.Schema.Values.Select(s => s.Mutable ? s.Name : s.Name + "(immutable)"))}]) "
            + $"excluded=[{string.Join(", ", Excluded)}] identity={IdentityAttribute}";

        private static string Show(IReadOnlyDictionary<string, string> attributes) => string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}"));
    }

    /// <summary>How Cognito answers each call of a plan: the model the properties perform plans on.</summary>
    private static class CognitoModel
    {
        public static (DirectoryUser? User, IReadOnlyList<string> Groups) Perform(IEnumerable<UserCall> calls, DirectoryUser? target, IReadOnlyList<string> targetGroups)
        {
            var user = target;
            var groups = new HashSet<string>(targetGroups, StringComparer.Ordinal);
            foreach (var call in calls)
            {
                if (call is UserCall.CreateUser create)
                {
                    Assert.Null(user);

                    // AdminCreateUser: a new user, enabled, in FORCE_CHANGE_PASSWORD, in no group.
                    user = new DirectoryUser("created-user", "created-sub", new Dictionary<string, string>(create.Attributes, StringComparer.Ordinal), true, UserStatuses.ForceChangePassword);
                    groups.Clear();
                    continue;
                }

                Assert.NotNull(user);
                var attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
                switch (call)
                {
                    case UserCall.UpdateAttributes update:
                        foreach (var (name, value) in update.Attributes)
                        {
                            attributes[name] = value;
                        }

                        // A changed email or phone number becomes unverified unless the same call sets its flag.
                        foreach (var (alias, flag) in new[] { ("email", "email_verified"), ("phone_number", "phone_number_verified") })
                        {
                            if (update.Attributes.TryGetValue(alias, out var changed) && changed != user.Attributes.GetValueOrDefault(alias) && !update.Attributes.ContainsKey(flag))
                            {
                                attributes[flag] = "false";
                            }
                        }

                        break;
                    case UserCall.DeleteAttributes delete:
                        foreach (var name in delete.Names)
                        {
                            attributes.Remove(name);
                        }

                        break;
                    case UserCall.SetPermanentPassword:
                        user = user with { Status = UserStatuses.Confirmed };
                        break;
                    case UserCall.SetTemporaryPassword:
                        user = user with { Status = UserStatuses.ForceChangePassword };
                        break;
                    case UserCall.SetEnabled enabled:
                        user = user with { Enabled = enabled.Enabled };
                        break;
                    case UserCall.AddToGroup add:
                        groups.Add(add.Group);
                        break;
                    case UserCall.RemoveFromGroup remove:
                        groups.Remove(remove.Group);
                        break;
                    default:
                        throw new Xunit.Sdk.XunitException($"the model does not know {call}");
                }

                user = user with { Attributes = attributes };
            }

            return (user, groups.ToList());
        }
    }
}
