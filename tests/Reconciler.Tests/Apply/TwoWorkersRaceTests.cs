using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Model;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Reconciler.Apply;

namespace IdentityReplicator.Reconciler.Tests.Apply;

/// <summary>
/// Two workers on one configuration (a second <c>idrep worker</c> beside the deployed one, or a sync or drift repair
/// run while the worker applies): each applies what it finds, sharing the standby pool and the applied versions. One
/// worker holding an older snapshot of a user or group while the other applies a newer one must not leave the older
/// one in the standby. Each test stops one worker between two of its steps and runs the other there.
/// </summary>
public sealed class TwoWorkersRaceTests
{
    private static readonly DirectoryGroup Editors = new("editors", "Can edit articles", 5);

    [Fact]
    public async Task ApplyUserAsync_OlderVersionWrittenAfterANewerOneByAnotherWorker_StandbyEndsWithTheNewerVersion()
    {
        // Arrange: the user is in the standby at version 1. Worker B is a second engine on the same pool and applied
        // state, as a second worker process is.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var (second, third) = Tiers(ada);
        var workerB = harness.NewEngine();
        var raced = false;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "UpdateAttributes" && !raced)
            {
                // Worker A has read the standby user for version 2 and is about to write. Worker B, whose poll came a
                // moment later, applies version 3 in full now: its calls, then its applied version.
                raced = true;
                workerB.ApplyUserAsync(ada.Snapshot(3, third), CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        // Act: worker A applies version 2; then the look-back window offers version 3 to both workers again.
        await harness.ApplyAsync(ada.Snapshot(2, second));
        await harness.ApplyAsync(ada.Snapshot(3, third));
        await workerB.ApplyUserAsync(ada.Snapshot(3, third), CancellationToken.None);

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal(3, (await harness.AppliedAsync(ada))!.ProfileVersion);
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ApplyUserAsync_OlderCallsAndRecordLandBetweenANewerOnesCallsAndRecord_StandbyEndsWithTheNewerVersion()
    {
        // Arrange: worker B applies version 3 and has made its calls; before it records them, worker A makes version
        // 2's calls and records version 2 — accepted, B has not recorded yet — then B records version 3.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var (second, third) = Tiers(ada);
        var stateB = new InterceptingReplicaState(harness.State);
        var workerB = Engine(harness, stateB);
        var raced = false;
        stateB.Before = (operation, _) =>
        {
            if (operation == "PutApplied" && !raced)
            {
                raced = true;
                harness.ApplyAsync(ada.Snapshot(2, second)).GetAwaiter().GetResult();
            }
        };

        // Act
        await workerB.ApplyUserAsync(ada.Snapshot(3, third), CancellationToken.None);
        await OfferToBothAsync(harness, workerB, ada.Snapshot(3, third));

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal(3, (await harness.AppliedAsync(ada))!.ProfileVersion);
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ApplyUserAsync_OlderDeletionLandsAfterTheRecreationAnotherWorkerApplied_StandbyKeepsTheRecreatedUser()
    {
        // Arrange: version 2 deleted the user, version 3 is a new user under the same username. Worker A has found
        // the old user to delete it; worker B applies the re-creation in full (it finds the old user and updates it).
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var (_, third) = Tiers(ada);
        var workerB = harness.NewEngine();
        var raced = false;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "DeleteUser" && !raced)
            {
                raced = true;
                workerB.ApplyUserAsync(ada.Snapshot(3, third), CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        // Act
        await harness.ApplyAsync(ada.Tombstone(2));
        await OfferToBothAsync(harness, workerB, ada.Snapshot(3, third));

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ApplyUserAsync_NewerVersionRecordedBetweenTheReadAndTheLease_OlderOneIsSkipped()
    {
        // Arrange: worker A read the applied state (version 1) to apply version 2; before it takes the lease, worker B
        // applies and records version 3.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var (second, third) = Tiers(ada);
        var stateA = new InterceptingReplicaState(harness.State);
        var workerA = Engine(harness, stateA);
        var raced = false;
        stateA.Before = (operation, _) =>
        {
            if (operation == "TakeApplyLease" && !raced)
            {
                raced = true;
                harness.ApplyAsync(ada.Snapshot(3, third)).GetAwaiter().GetResult();
            }
        };
        harness.Standby.ResetCalls();

        // Act
        var result = await workerA.ApplyUserAsync(ada.Snapshot(2, second), CancellationToken.None);

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal(ApplyOutcome.Skipped, result.Outcome);
        Assert.Equal(3, (await harness.AppliedAsync(ada))!.ProfileVersion);
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    [Fact]
    public async Task ApplyGroupAsync_OlderVersionWrittenAfterANewerOneByAnotherWorker_StandbyEndsWithTheNewerVersion()
    {
        // Arrange: worker A has read the group to apply version 2; worker B applies version 3 in full.
        var harness = new StandbyHarness(PoolKind.Username);
        await harness.Engine.ApplyGroupAsync(Group(Editors, 1), CancellationToken.None);
        var second = Editors with { Description = "Edits articles" };
        var third = Editors with { Description = "Edits and publishes articles" };
        var workerB = harness.NewEngine();
        var raced = false;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "UpdateGroup" && !raced)
            {
                raced = true;
                workerB.ApplyGroupAsync(Group(third, 3), CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        // Act
        await harness.Engine.ApplyGroupAsync(Group(second, 2), CancellationToken.None);
        await harness.Engine.ApplyGroupAsync(Group(third, 3), CancellationToken.None);
        await workerB.ApplyGroupAsync(Group(third, 3), CancellationToken.None);

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal(third, await harness.Standby.GetGroupAsync("editors", CancellationToken.None));
    }

    [Fact]
    public async Task ReconcileUserAsync_SyncConvergesANewerVersionWhileTheWorkerWritesAnOlderOne_StandbyEndsWithTheNewerVersion()
    {
        // Arrange: the worker has read the user to apply version 2; a full sync (or drift repair) in another process
        // recorded version 3 and converges the user against the listing it read of the standby.
        var harness = new StandbyHarness(PoolKind.Username);
        var ada = harness.NewUser("ada");
        await harness.ApplyAsync(ada.Snapshot(1));
        var (second, third) = Tiers(ada);
        var sync = harness.NewEngine();
        var raced = false;
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "UpdateAttributes" && !raced)
            {
                raced = true;
                var listing = new PoolInventory(harness.Standby.PoolId, harness.Time.GetUtcNow(), false, harness.Standby.Users, [], new Dictionary<string, IReadOnlyCollection<string>>());
                var applied = harness.AppliedAsync(ada).GetAwaiter().GetResult();
                sync.ReconcileUserAsync(ada.Snapshot(3, third), listing, applied, CancellationToken.None).GetAwaiter().GetResult();
            }
        };

        // Act: the worker applies version 2; its look-back offers version 3 again.
        await harness.ApplyAsync(ada.Snapshot(2, second));
        await harness.ApplyAsync(ada.Snapshot(3, third));

        // Assert
        Assert.True(raced, "the race was not staged");
        Assert.Equal("platinum", harness.RequiredCounterpart(ada).Attributes["custom:tier"]);
    }

    private static (Dictionary<string, string> Second, Dictionary<string, string> Third) Tiers(PrimaryUser user)
    {
        var second = user.Attributes();
        second["custom:tier"] = "silver";
        var third = user.Attributes();
        third["custom:tier"] = "platinum";
        return (second, third);
    }

    /// <summary>A second engine on the harness's pool whose replica state goes through <paramref name="state"/>.</summary>
    private static ApplyEngine Engine(StandbyHarness harness, IReplicaStateStore state) =>
        new(harness.Intercepted, harness.Mirror, state, new ApplySettings(StandbyHarness.Region, harness.Excluded), harness.Time, harness.Logger);

    /// <summary>The look-back window offers the newest snapshot to both workers again, one after the other.</summary>
    private static async Task OfferToBothAsync(StandbyHarness harness, ApplyEngine workerB, UserSnapshot newest)
    {
        harness.Intercepted.Before = null;
        await harness.ApplyAsync(newest);
        await workerB.ApplyUserAsync(newest, CancellationToken.None);
    }

    private static GroupSnapshot Group(DirectoryGroup group, long version) => new()
    {
        Name = group.Name,
        SourcePoolId = PrimaryUser.PrimaryPoolId,
        Description = group.Description,
        Precedence = group.Precedence,
        RoleArn = group.RoleArn,
        Version = version,
        Hash = $"{group.Description}|{group.Precedence}|{group.RoleArn}",
    };
}
