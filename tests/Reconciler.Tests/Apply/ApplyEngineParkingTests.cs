using System.Net;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>What the standby cannot take is parked with a reason an operator can act on; transient errors are not.</summary>
public sealed class ApplyEngineParkingTests
{
    [Theory, BothPools]
    public async Task ApplyUserAsync_AttributeMissingFromStandbySchema_IsParkedWithSchemaMismatchNamingAttributeAndFix(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var ann = harness.NewUser("ann");
        var attributes = ann.Attributes();
        attributes["custom:plan"] = "secret-plan-value";

        var result = await harness.ApplyAsync(ann.Snapshot(1, attributes));

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        Assert.Equal("SchemaMismatch", result.Detail);
        var parked = Assert.Single(harness.State.Parked);
        Assert.Equal(EntityId.ForUser(ann.Key), parked.Entity);
        Assert.Equal("SchemaMismatch", parked.Code);
        Assert.Contains("'custom:plan'", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("add it to the target pool's schema", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("Replication:ExcludeAttributes", parked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-plan-value", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(1, parked.Version);
        Assert.Empty(harness.Standby.Users);
        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Null(await harness.AppliedAsync(ann));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_OneUserParkedForSchema_OtherUsersStillApply(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var ann = harness.NewUser("ann");
        var ben = harness.NewUser("ben");
        var withPlan = ann.Attributes();
        withPlan["custom:plan"] = "pro";

        var parked = await harness.ApplyAsync(ann.Snapshot(1, withPlan));
        var applied = await harness.ApplyAsync(ben.Snapshot(1));

        Assert.Equal(ApplyOutcome.Parked, parked.Outcome);
        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
        Assert.NotNull(harness.Counterpart(ben));
        Assert.Equal(EntityId.ForUser(ann.Key), Assert.Single(harness.State.Parked).Entity);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ParkedUserLaterAppliesCleanly_IsUnparked(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var cleo = harness.NewUser("cleo");
        var withPlan = cleo.Attributes();
        withPlan["custom:plan"] = "pro";
        await harness.ApplyAsync(cleo.Snapshot(1, withPlan));
        Assert.Single(harness.State.Parked);

        var result = await harness.ApplyAsync(cleo.Snapshot(2));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Empty(harness.State.Parked);
        Assert.NotNull(harness.Counterpart(cleo));
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ParkedBeforeRestartThenAppliesCleanly_IsUnparkedByTheNewEngine(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var cleo = harness.NewUser("cleo");
        var withPlan = cleo.Attributes();
        withPlan["custom:plan"] = "pro";
        await harness.ApplyAsync(cleo.Snapshot(1, withPlan));
        var restarted = harness.NewEngine();

        var loaded = await restarted.LoadParkedAsync(CancellationToken.None);
        var result = await restarted.ApplyUserAsync(cleo.Snapshot(2), CancellationToken.None);

        Assert.Equal(1, loaded);
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Empty(harness.State.Parked);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ImmutableStandbyAttributeDiffers_IsParkedWithImmutableAttribute(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, immutableAttributes: ["custom:region"]);
        var dan = harness.NewUser("dan");
        var standbyAttributes = dan.Attributes();
        standbyAttributes["custom:region"] = "eu";
        harness.SeedCounterpart(dan, standbyAttributes);
        var primaryAttributes = dan.Attributes();
        primaryAttributes["custom:region"] = "us";
        primaryAttributes["given_name"] = "Daniel";

        var result = await harness.ApplyAsync(dan.Snapshot(1, primaryAttributes));

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        Assert.Equal("ImmutableAttribute", result.Detail);
        var parked = Assert.Single(harness.State.Parked);
        Assert.Equal("ImmutableAttribute", parked.Code);
        Assert.Contains("'custom:region'", parked.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("\"us\"", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Standby.WriteCalls);
        Assert.Equal("dan", harness.RequiredCounterpart(dan).Attributes["given_name"]);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ImmutableStandbyAttributeEqual_AppliesTheRest(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, immutableAttributes: ["custom:region"]);
        var dan = harness.NewUser("dan");
        var attributes = dan.Attributes();
        attributes["custom:region"] = "eu";
        harness.SeedCounterpart(dan, attributes);
        var changed = new Dictionary<string, string>(attributes, StringComparer.Ordinal) { ["given_name"] = "Daniel" };

        var result = await harness.ApplyAsync(dan.Snapshot(1, changed));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal("Daniel", harness.RequiredCounterpart(dan).Attributes["given_name"]);
        Assert.Empty(harness.State.Parked);
    }

    [Fact]
    public async Task ApplyUserAsync_EmailPoolUserWithoutEmail_IsParkedWithNoSignInAlias()
    {
        var harness = new StandbyHarness(PoolKind.Email);
        var eve = harness.NewUser("eve");
        var attributes = eve.Attributes();
        attributes.Remove("email");
        attributes.Remove("email_verified");

        var result = await harness.ApplyAsync(eve.Snapshot(1, attributes));

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        Assert.Equal("NoSignInAlias", result.Detail);
        var parked = Assert.Single(harness.State.Parked);
        Assert.Equal("NoSignInAlias", parked.Code);
        Assert.Contains("email", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(0, harness.CallsOf("CreateUser"));
        Assert.Empty(harness.Standby.Users);
    }

    [Theory]
    [BothPools("AliasExistsException")]
    [BothPools("InvalidParameterException")]
    public async Task ApplyUserAsync_NonRetryableCognitoError_IsParkedWithItsCode(PoolKind pool, string code)
    {
        var harness = new StandbyHarness(pool);
        var fay = harness.NewUser("fay");
        var gus = harness.NewUser("gus");
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create(code, "rejected by the standby"));

        var result = await harness.ApplyAsync(fay.Snapshot(1));
        var next = await harness.ApplyAsync(gus.Snapshot(1));

        Assert.Equal(ApplyOutcome.Parked, result.Outcome);
        Assert.Equal(code, result.Detail);
        var parked = Assert.Single(harness.State.Parked);
        Assert.Equal(EntityId.ForUser(fay.Key), parked.Entity);
        Assert.Equal(code, parked.Code);
        Assert.Contains(code, parked.Reason, StringComparison.Ordinal);
        Assert.Null(await harness.AppliedAsync(fay));
        Assert.Equal(ApplyOutcome.Applied, next.Outcome);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_StandbyRejectionQuotesTheUser_WarnsWithoutItAndLogsTheExceptionAtDebug(PoolKind pool)
    {
        var harness = new StandbyHarness(pool);
        var lu = harness.NewUser("lu");
        var error = CognitoErrors.Create("InvalidParameterException", $"Invalid email address format: {lu.Email}");
        harness.Standby.FailNext("CreateUser", error);

        await harness.ApplyAsync(lu.Snapshot(1));

        var records = harness.Logger.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Id == 2002);
        Assert.Null(warning.Exception);
        Assert.DoesNotContain(lu.Email, warning.Message, StringComparison.OrdinalIgnoreCase);
        var detail = Assert.Single(records, r => r.Id.Id == 2102);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, detail.Level);
        Assert.Same(error, detail.Exception);
    }

    [Theory]
    [BothPools("TooManyRequestsException", HttpStatusCode.BadRequest)]
    [BothPools("InternalErrorException", HttpStatusCode.InternalServerError)]
    public async Task ApplyUserAsync_RetryableCognitoError_PropagatesAndIsNotParked(PoolKind pool, string code, HttpStatusCode status)
    {
        var harness = new StandbyHarness(pool);
        var hal = harness.NewUser("hal");
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create(code, "try again", status));

        var error = await Assert.ThrowsAnyAsync<CognitoException>(() => harness.ApplyAsync(hal.Snapshot(1)));

        Assert.Equal(code, error.ErrorCode);
        Assert.True(error.IsRetryable);
        Assert.Empty(harness.State.Parked);
        Assert.Null(await harness.AppliedAsync(hal));
        Assert.Empty(harness.Standby.Users);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_NotAuthorized_PropagatesAndIsNotParked(PoolKind pool)
    {
        // A missing IAM permission is systemic: parking every user would hide it.
        var harness = new StandbyHarness(pool);
        var ida = harness.NewUser("ida");
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create("NotAuthorizedException", "not allowed"));

        await Assert.ThrowsAsync<NotAuthorizedException>(() => harness.ApplyAsync(ida.Snapshot(1)));

        Assert.Empty(harness.State.Parked);
    }

    [Theory, BothPools]
    public async Task ApplyUserAsync_ParkingAndApplying_NeverLogsIdentitiesOrAttributeValues(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, customAttributes: ["custom:tier"]);
        var jo = harness.NewUser("jo-identity");
        var kit = harness.NewUser("kit-identity");
        var withPlan = jo.Attributes();
        withPlan["custom:plan"] = "secret-plan-value";
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create("AliasExistsException", "An account with the given email already exists."));

        await harness.ApplyAsync(jo.Snapshot(1, withPlan));
        await harness.ApplyAsync(kit.Snapshot(1));
        await harness.ApplyAsync(kit.Snapshot(2));

        var messages = harness.Logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.NotEmpty(messages);
        foreach (var secret in new[] { jo.Key, jo.Email, jo.Sub, kit.Key, kit.Email, "identity", "secret-plan-value" })
        {
            Assert.DoesNotContain(messages, m => m.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// Excluded attributes are "never written to the standby" (ReplicationOptions.ExcludeAttributes). A pool that
    /// manages email verification itself excludes email_verified; replication must not reset it.
    /// </summary>
    [Theory, BothPools]
    public async Task ApplyUserAsync_ExcludedVerifiedFlag_IsNeverWritten(PoolKind pool)
    {
        var harness = new StandbyHarness(pool, excluded: ["email_verified"]);
        var lou = harness.NewUser("lou");
        harness.SeedCounterpart(lou, lou.Attributes());
        var changed = lou.Attributes();
        changed["given_name"] = "Louise";

        var result = await harness.ApplyAsync(lou.Snapshot(1, changed));

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var after = harness.RequiredCounterpart(lou);
        Assert.Equal("Louise", after.Attributes["given_name"]);
        Assert.Equal("true", after.Attributes["email_verified"]);
    }

    /// <summary>
    /// A permission or credential error is systemic: it would park every user. It is not parked; it propagates (the
    /// feed poller retries and warns) with the IAM action and the pool to grant it on.
    /// </summary>
    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("UnrecognizedClientException")]
    [InlineData("ExpiredTokenException")]
    [InlineData("InvalidClientTokenId")]
    [InlineData("KMSAccessDeniedException")]
    public async Task ApplyUserAsync_PermissionError_IsNotParkedAndNamesTheActionAndPool(string code)
    {
        var harness = new StandbyHarness(PoolKind.Email);
        var ivy = harness.NewUser("ivy");
        harness.Standby.FailNext("CreateUser", CognitoErrors.Create(code, "User: arn:aws:sts::123456789012:assumed-role/worker is not authorized", HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => harness.ApplyAsync(ivy.Snapshot(1)));

        Assert.Empty(harness.State.Parked);
        Assert.Equal(0, harness.Engine.ParkedCount);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.Standby.PoolId, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing is parked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyGroupAsync_AccessDenied_IsNotParked()
    {
        var harness = new StandbyHarness(PoolKind.Email);
        harness.Standby.FailNext("CreateGroup", CognitoErrors.Create("AccessDeniedException", "not authorized"));

        await Assert.ThrowsAnyAsync<Exception>(() => harness.Engine.ApplyGroupAsync(
            new GroupSnapshot { Name = "editors", Version = 1, SourcePoolId = "us-east-1_Primary" }, CancellationToken.None));

        Assert.Empty(harness.State.Parked);
    }
}
