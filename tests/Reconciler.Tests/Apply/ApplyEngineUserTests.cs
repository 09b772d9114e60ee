using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>How one user snapshot reaches the standby pool: create, update, status, enabled, races and retries (memberships, deletion and bookkeeping: <see cref="ApplyEngineUserLifecycleTests"/>).</summary>
public sealed class ApplyEngineUserTests
{
    [Theory, BothPools]
    public async Task ApplyUserAsync_NewConfirmedUser_IsCreatedWithItsAttributesConfirmedAndEnabled(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var alice = harness.NewUser("alice");
        var snapshot = alice.Snapshot(1);

        var result = await harness.ApplyAsync(snapshot);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var created = harness.RequiredCounterpart(alice);
        Assert.Equal(snapshot.Profile!.Attributes, created.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(UserStatuses.Confirmed, created.Status);
        Assert.True(created.Enabled);
        Assert.Equal(1, harness.CallsOf("CreateUser"));
        Assert.Equal(1, harness.CallsOf("SetPermanentPassword"));
        Assert.Equal(0, harness.CallsOf("DisableUser"));
        if (pool == PoolKind.Email)
        {
            Assert.True(Guid.TryParse(created.Username, out _), $"standby username '{created.Username}' should be a UUID");
            Assert.NotEqual(alice.Username, created.Username);
        }
        else
        {
            Assert.Equal(alice.Username, created.Username);
        }
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NewForceChangePasswordUser_IsCreatedInForceChangePassword(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var bob = harness.NewUser("bob");

        var result = await harness.ApplyAsync(bob.Snapshot(1, status: UserStatuses.ForceChangePassword));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(UserStatuses.ForceChangePassword, harness.RequiredCounterpart(bob).Status);
        Assert.Equal(0, harness.CallsOf("SetPermanentPassword"));
    }

    [Theory]
    [BothPools(UserStatuses.ResetRequired)]
    [BothPools(UserStatuses.Compromised)]
    public async Task ApplyUserAsync_NewUserWhosePasswordMustBeReset_IsCreatedConfirmed(PoolKind pool, string primaryStatus)
    {
        var harness = new StandbyHarness(pool);
        var carol = harness.NewUser("carol");

        var result = await harness.ApplyAsync(carol.Snapshot(1, status: primaryStatus));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(UserStatuses.Confirmed, harness.RequiredCounterpart(carol).Status);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NewDisabledUser_IsCreatedDisabled(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var dave = harness.NewUser("dave");

        var result = await harness.ApplyAsync(dave.Snapshot(1, enabled: false));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var created = harness.RequiredCounterpart(dave);
        Assert.False(created.Enabled);
        Assert.Equal(UserStatuses.Confirmed, created.Status);
        Assert.Equal(1, harness.CallsOf("DisableUser"));
    }

    [Theory]
    [BothPools(UserStatuses.Unconfirmed)]
    [BothPools(UserStatuses.ExternalProvider)]
    public async Task ApplyUserAsync_UserWithUnreplicatedStatus_IsSkippedAndNotCreated(PoolKind pool, string primaryStatus)
    {
        var harness = new StandbyHarness(pool);
        var erin = harness.NewUser("erin");

        var result = await harness.ApplyAsync(erin.Snapshot(1, status: primaryStatus, groups: ["admins"]));

        Assert.Equal(ApplyOutcome.Skipped, result.Outcome);
        Assert.Empty(harness.Standby.Users);
        Assert.Equal(0, harness.Standby.WriteCalls);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ChangedAndRemovedAttributes_AreUpdatedAndDeleted(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var frank = harness.NewUser("frank");
        var before = frank.Attributes();
        before["given_name"] = "Franklin";
        before["custom:plan"] = "pro";
        before["locale"] = "de-DE";
        harness.SeedCounterpart(frank, before);
        var desired = frank.Attributes();
        desired["custom:department"] = "sales";

        var result = await harness.ApplyAsync(frank.Snapshot(1, desired));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var after = harness.RequiredCounterpart(frank);
        Assert.Equal(desired.OrderBy(a => a.Key, StringComparer.Ordinal), after.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(1, harness.CallsOf("UpdateAttributes"));
        Assert.Equal(1, harness.CallsOf("DeleteAttributes"));
        Assert.Equal(0, harness.CallsOf("CreateUser"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_UnreplicatedAttributesOnTheStandby_AreNeitherWrittenNorDeleted(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, excluded: ["custom:department"]);
        var gina = harness.NewUser("gina");
        var standbyAttributes = gina.Attributes();
        standbyAttributes["custom:department"] = "standby-only";
        standbyAttributes["identities"] = "[{\"providerName\":\"Google\"}]";
        standbyAttributes["cognito:mfa_enabled"] = "true";
        harness.SeedCounterpart(gina, standbyAttributes);
        var primaryAttributes = gina.Attributes();
        primaryAttributes["given_name"] = "Georgina";
        primaryAttributes["custom:department"] = "primary-value";
        primaryAttributes["identities"] = "[]";
        primaryAttributes["sub"] = gina.Sub;
        primaryAttributes["cognito:user_status"] = "CONFIRMED";

        var result = await harness.ApplyAsync(gina.Snapshot(1, primaryAttributes));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var after = harness.RequiredCounterpart(gina);
        Assert.Equal("Georgina", after.Attributes["given_name"]);
        Assert.Equal("standby-only", after.Attributes["custom:department"]);
        Assert.Equal("[{\"providerName\":\"Google\"}]", after.Attributes["identities"]);
        Assert.Equal("true", after.Attributes["cognito:mfa_enabled"]);
        Assert.False(after.Attributes.ContainsKey("sub"));
        Assert.Equal(0, harness.CallsOf("DeleteAttributes"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NewUserWithUnreplicatedAttributes_IsCreatedWithoutThem(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, excluded: ["custom:department"]);
        var hank = harness.NewUser("hank");
        var attributes = hank.Attributes();
        attributes["custom:department"] = "primary-value";
        attributes["identities"] = "[]";

        var result = await harness.ApplyAsync(hank.Snapshot(1, attributes));

        // "identities" is not in the standby schema: writing it would have been rejected and parked.
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var created = harness.RequiredCounterpart(hank);
        Assert.False(created.Attributes.ContainsKey("custom:department"));
        Assert.False(created.Attributes.ContainsKey("identities"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_SnapshotWithoutVerifiedFlags_TurnsStandbyTrueIntoFalseRatherThanDeleting(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var ivy = harness.NewUser("ivy");
        var standbyAttributes = ivy.Attributes();
        standbyAttributes["phone_number"] = "+15550100";
        standbyAttributes["phone_number_verified"] = "true";
        harness.SeedCounterpart(ivy, standbyAttributes);
        var primaryAttributes = ivy.Attributes();
        primaryAttributes["phone_number"] = "+15550100";
        primaryAttributes.Remove("email_verified");

        var result = await harness.ApplyAsync(ivy.Snapshot(1, primaryAttributes));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var after = harness.RequiredCounterpart(ivy);
        Assert.Equal("false", after.Attributes.GetValueOrDefault("email_verified"));
        Assert.Equal("false", after.Attributes.GetValueOrDefault("phone_number_verified"));
        Assert.Equal(0, harness.CallsOf("DeleteAttributes"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ChangedEmail_IsWrittenWithItsVerifiedFlagInOneUpdate(PoolKind pool)
    {
        // The in-memory pool, like Cognito, marks a changed email unverified unless the same call sets the flag.
        var harness = new StandbyHarness(pool);
        var jack = harness.NewUser("jack");
        await harness.ApplyAsync(jack.Snapshot(1));
        var standbyUsername = harness.RequiredCounterpart(jack).Username;
        harness.Standby.ResetCalls();
        var changed = jack.Attributes();
        changed["email"] = "jack.new@example.com";

        var result = await harness.ApplyAsync(jack.Snapshot(2, changed));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var after = harness.RequiredCounterpart(jack, email: "jack.new@example.com");
        Assert.Equal("jack.new@example.com", after.Attributes["email"]);
        Assert.Equal("true", after.Attributes["email_verified"]);
        Assert.Equal(standbyUsername, after.Username);
        Assert.Single(harness.Standby.Users);
        Assert.Equal(1, harness.CallsOf("UpdateAttributes"));
        Assert.Equal(0, harness.CallsOf("CreateUser"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_EnabledFlagChanges_DisableThenEnableTheStandbyUser(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var kim = harness.NewUser("kim");
        harness.SeedCounterpart(kim, kim.Attributes());

        var disabled = await harness.ApplyAsync(kim.Snapshot(1, enabled: false));
        var afterDisable = harness.RequiredCounterpart(kim);
        var enabled = await harness.ApplyAsync(kim.Snapshot(2, enabled: true));
        var afterEnable = harness.RequiredCounterpart(kim);

        Assert.Equal(ApplyOutcome.Applied, disabled.Outcome);
        Assert.False(afterDisable.Enabled);
        Assert.Equal(ApplyOutcome.Applied, enabled.Outcome);
        Assert.True(afterEnable.Enabled);
        Assert.Equal(1, harness.CallsOf("DisableUser"));
        Assert.Equal(1, harness.CallsOf("EnableUser"));
        Assert.Equal(0, harness.CallsOf("UpdateAttributes"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ForceChangePasswordBecomesConfirmed_SetsAPermanentPassword(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var lena = harness.NewUser("lena");
        await harness.ApplyAsync(lena.Snapshot(1, status: UserStatuses.ForceChangePassword));
        Assert.Equal(UserStatuses.ForceChangePassword, harness.RequiredCounterpart(lena).Status);

        var result = await harness.ApplyAsync(lena.Snapshot(2, status: UserStatuses.Confirmed));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(UserStatuses.Confirmed, harness.RequiredCounterpart(lena).Status);
        Assert.Equal(1, harness.CallsOf("SetPermanentPassword"));
        Assert.Equal(1, harness.CallsOf("CreateUser"));
    }

    /// <summary>
    /// An administrator can put a confirmed primary user back into FORCE_CHANGE_PASSWORD (AdminSetUserPassword with
    /// Permanent=false). The drift comparison then expects the standby in FORCE_CHANGE_PASSWORD too; whatever the
    /// engine does about it, applying the snapshot must leave no difference the drift check reports.
    /// </summary>
    [Theory, BothPools]
    public async Task ApplyUserAsync_PrimaryBackInForceChangePasswordWhileStandbyIsConfirmed_LeavesNoDrift(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var mia = harness.NewUser("mia");
        await harness.ApplyAsync(mia.Snapshot(1, status: UserStatuses.Confirmed, groups: []));
        var snapshot = mia.Snapshot(2, status: UserStatuses.ForceChangePassword, groups: []);

        await harness.ApplyAsync(snapshot);

        var standby = harness.RequiredCounterpart(mia);
        var differences = UserComparison.Compare(mia.AsDirectoryUser(snapshot), PrimaryUser.GroupsOf(snapshot), standby, await harness.GroupsOfAsync(standby), harness.Engine.IsReplicated);
        Assert.Empty(differences);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_UserCreatedConcurrentlyByAnotherWriter_UpdatesThatUserInstead(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var yara = harness.NewUser("yara");
        var racing = yara.Attributes();
        racing["given_name"] = "someone else's write";
        string? racedUsername = null;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "CreateUser" && racedUsername is null)
            {
                // Another writer creates the user between the engine's lookup and its create call.
                racedUsername = harness.SeedCounterpart(yara, racing, status: UserStatuses.ForceChangePassword);
            }
        };

        var result = await harness.ApplyAsync(yara.Snapshot(1, groups: ["admins"]));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var standby = Assert.Single(harness.Standby.Users);
        Assert.Equal(racedUsername, standby.Username);
        Assert.Equal(yara.Name, standby.Attributes["given_name"]);
        Assert.Equal(UserStatuses.Confirmed, standby.Status);
        Assert.Empty(harness.State.Parked);
        Assert.Equal(racedUsername, (await harness.AppliedAsync(yara))!.TargetUsername);
        Assert.Equal(["admins"], await harness.GroupsOfAsync(standby));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_UserRecreatedAfterTombstone_IsCreatedAgain(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var zoe = harness.NewUser("zoe");
        await harness.ApplyAsync(zoe.Snapshot(1));
        await harness.ApplyAsync(zoe.Tombstone(2));

        var result = await harness.ApplyAsync(zoe.Snapshot(3));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.NotNull(harness.Counterpart(zoe));
        Assert.Equal(2, harness.CallsOf("CreateUser"));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_RetryableErrorThenRetry_AppliesCleanly(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var abe = harness.NewUser("abe");
        harness.Standby.FailNext("SetPermanentPassword", CognitoErrors.Create("TooManyRequestsException", "Rate exceeded"));
        var snapshot = abe.Snapshot(1, groups: ["admins"]);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => harness.ApplyAsync(snapshot));

        var retry = await harness.ApplyAsync(snapshot);

        // The user was created before the failure; the retry finds it and finishes the job.
        Assert.Equal(ApplyOutcome.Applied, retry.Outcome);
        var standby = Assert.Single(harness.Standby.Users);
        Assert.Equal(UserStatuses.Confirmed, standby.Status);
        Assert.Equal(["admins"], await harness.GroupsOfAsync(standby));
    }
}
