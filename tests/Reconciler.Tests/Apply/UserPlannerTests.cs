using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>The planner's decisions, one example each: the calls it asks for, in order, and why it asks for none.</summary>
public sealed class UserPlannerTests
{
    private static readonly AttributeRules Rules = new(["custom:department"], "custom:primary_sub");

    private static readonly PoolDescription UsernamePool = Pool([], "custom:tier", "custom:primary_sub");

    private static readonly PoolDescription EmailPool = Pool(["email"], "custom:tier", "custom:primary_sub");

    private static readonly Dictionary<string, string> Ada = new(StringComparer.Ordinal)
    {
        ["email"] = "ada@example.com",
        ["email_verified"] = "true",
        ["given_name"] = "Ada",
        ["custom:tier"] = "gold",
    };

    [Fact]
    public void Plan_NewConfirmedDisabledUserWithGroups_CreatesConfirmsDisablesThenAddsEachGroup()
    {
        var desired = Desired(Ada, UserStatuses.Confirmed, enabled: false, groups: ["editors", "admins"]);

        var plan = UserPlanner.Plan(desired, null, [], EmailPool, Rules);

        Assert.Collection(
            plan.Calls,
            call => Assert.Equal("ada@example.com", Assert.IsType<UserCall.CreateUser>(call).Name),
            call => Assert.IsType<UserCall.SetPermanentPassword>(call),
            call => Assert.False(Assert.IsType<UserCall.SetEnabled>(call).Enabled),
            call => Assert.Equal("editors", Assert.IsType<UserCall.AddToGroup>(call).Group),
            call => Assert.Equal("admins", Assert.IsType<UserCall.AddToGroup>(call).Group));
        var created = (UserCall.CreateUser)plan.Calls[0];
        Assert.Equal("original-sub", created.Attributes["custom:primary_sub"]);
        Assert.Equal(Ada.Count + 1, created.Attributes.Count);
    }

    [Fact]
    public void Plan_NewForceChangePasswordUserInAUsernamePool_IsCreatedUnderItsUsernameAndNotConfirmed()
    {
        var plan = UserPlanner.Plan(Desired(Ada, UserStatuses.ForceChangePassword), null, [], UsernamePool, Rules);

        var create = Assert.IsType<UserCall.CreateUser>(Assert.Single(plan.Calls));
        Assert.Equal("ada", create.Name);
    }

    [Fact]
    public void Plan_TargetAlreadyInStep_AsksForNothing()
    {
        var target = Target(new(Ada) { ["custom:primary_sub"] = "original-sub", ["custom:department"] = "standby's own" }, UserStatuses.Confirmed);

        var plan = UserPlanner.Plan(Desired(Ada, UserStatuses.Compromised, groups: ["admins"]), target, ["admins"], EmailPool, Rules);

        Assert.False(plan.Stops);
        Assert.Empty(plan.Calls);
    }

    [Fact]
    public void Plan_TargetDiffersInEveryPart_UpdatesDeletesConfirmsEnablesThenAddsAndRemovesGroups()
    {
        var target = Target(new(Ada) { ["given_name"] = "Augusta", ["locale"] = "en-GB", ["custom:primary_sub"] = "original-sub" }, UserStatuses.ForceChangePassword, enabled: false);

        var plan = UserPlanner.Plan(Desired(Ada, UserStatuses.Confirmed, groups: ["editors"]), target, ["admins"], EmailPool, Rules);

        Assert.Collection(
            plan.Calls,
            call => Assert.Equal(["given_name"], Assert.IsType<UserCall.UpdateAttributes>(call).Attributes.Keys),
            call => Assert.Equal(["locale"], Assert.IsType<UserCall.DeleteAttributes>(call).Names),
            call => Assert.IsType<UserCall.SetPermanentPassword>(call),
            call => Assert.True(Assert.IsType<UserCall.SetEnabled>(call).Enabled),
            call => Assert.Equal("editors", Assert.IsType<UserCall.AddToGroup>(call).Group),
            call => Assert.Equal("admins", Assert.IsType<UserCall.RemoveFromGroup>(call).Group));
    }

    [Fact]
    public void PlanUpdate_ChangedEmailWithoutItsFlag_WritesTheFlagInTheSameCall()
    {
        var target = Target(Ada, UserStatuses.Confirmed);
        var desired = new Dictionary<string, string>(Ada) { ["email"] = "ada.new@example.com" };
        desired.Remove("email_verified");

        var calls = UserPlanner.PlanUpdate(target, desired, UserStatuses.Confirmed, enabled: true, Rules);

        var update = Assert.IsType<UserCall.UpdateAttributes>(Assert.Single(calls));
        Assert.Equal("ada.new@example.com", update.Attributes["email"]);
        Assert.Equal("false", update.Attributes["email_verified"]);
    }

    [Fact]
    public void PlanProfile_AttributeMissingFromTheSchema_ParksAndNamesItWithoutItsValue()
    {
        var attributes = new Dictionary<string, string>(Ada) { ["custom:plan"] = "secret-plan-value" };

        var plan = UserPlanner.PlanProfile(Desired(attributes, UserStatuses.Confirmed), null, UsernamePool, Rules);

        var park = Assert.IsType<ParkDecision>(plan.Park);
        Assert.Equal("SchemaMismatch", park.Code);
        Assert.True(park.SchemaDependent);
        Assert.Contains("'custom:plan'", park.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-plan-value", park.Reason, StringComparison.Ordinal);
        Assert.Empty(plan.Calls);
    }

    [Fact]
    public void PlanProfile_ImmutableAttributeDiffers_ParksWithImmutableAttribute()
    {
        var pool = UsernamePool with
        {
            Schema = new Dictionary<string, PoolSchemaAttribute>(UsernamePool.Schema) { ["custom:region"] = new("custom:region", "String", false, false, false) },
        };
        var target = Target(new(Ada) { ["custom:region"] = "eu" }, UserStatuses.Confirmed);

        var plan = UserPlanner.PlanProfile(Desired(new(Ada) { ["custom:region"] = "us" }, UserStatuses.Confirmed), target, pool, Rules);

        Assert.Equal(new ParkDecision("ImmutableAttribute", plan.Park!.Reason, SchemaDependent: true), plan.Park);
        Assert.Contains("'custom:region'", plan.Park.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanProfile_EmailPoolUserWithoutEmail_ParksWithNoSignInAlias()
    {
        var attributes = new Dictionary<string, string>(Ada);
        attributes.Remove("email");
        attributes.Remove("email_verified");

        var plan = UserPlanner.PlanProfile(Desired(attributes, UserStatuses.Confirmed), null, EmailPool, Rules);

        Assert.Equal("NoSignInAlias", plan.Park?.Code);
        Assert.False(plan.Park!.SchemaDependent);
    }

    [Theory]
    [InlineData(UserStatuses.Unconfirmed)]
    [InlineData(UserStatuses.ExternalProvider)]
    public void PlanProfile_SourceStatusNotReplicated_AsksForNothingAndSaysWhy(string status)
    {
        var plan = UserPlanner.PlanProfile(Desired(Ada, status), null, UsernamePool, Rules);

        Assert.Equal($"status {status} is not replicated", plan.NotReplicated);
        Assert.Empty(plan.Calls);
    }

    [Fact]
    public void PlanDelete_TargetOrNone_DeletesOnlyAnExistingUser()
    {
        Assert.Empty(UserPlanner.PlanDelete(null));
        Assert.IsType<UserCall.DeleteUser>(Assert.Single(UserPlanner.PlanDelete(Target(Ada, UserStatuses.Confirmed))));
    }

    [Fact]
    public void DesiredUserOf_SourceCarriesTheIdentityAttribute_PassesItsValueOn()
    {
        var snapshot = new UserSnapshot
        {
            Key = "ada",
            Username = "ada",
            Sub = "source-sub",
            SourcePoolId = "us-east-1_Source",
            Profile = new UserProfile(new Dictionary<string, string>(Ada) { ["custom:primary_sub"] = "carried-sub" }, true, UserStatuses.Confirmed),
        };

        Assert.Equal("carried-sub", DesiredUser.Of(snapshot, "custom:primary_sub").OriginalSub);
        Assert.Equal("source-sub", DesiredUser.Of(snapshot with { Profile = new UserProfile(Ada, true, UserStatuses.Confirmed) }, "custom:primary_sub").OriginalSub);
        Assert.Equal("source-sub", DesiredUser.Of(snapshot, null).OriginalSub);
    }

    private static DesiredUser Desired(Dictionary<string, string> attributes, string status, bool enabled = true, string[]? groups = null) =>
        new("ada", new UserProfile(attributes, enabled, status), groups, "original-sub");

    private static DirectoryUser Target(Dictionary<string, string> attributes, string status, bool enabled = true) =>
        new("3f1c6a8e-0000-4000-8000-000000000001", "target-sub", attributes, enabled, status);

    private static PoolDescription Pool(string[] aliases, params string[] custom)
    {
        var names = new[] { "email", "email_verified", "phone_number", "phone_number_verified", "given_name", "locale", "custom:department" }.Concat(custom);
        return new PoolDescription("us-west-2_Target", aliases, false, names.ToDictionary(n => n, n => new PoolSchemaAttribute(n, "String", true, false, false), StringComparer.Ordinal));
    }
}
