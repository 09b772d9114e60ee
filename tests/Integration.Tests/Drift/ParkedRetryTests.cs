using IdentityReplicator.Core.Mirror;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Drift;

/// <summary>
/// A user parked after transient failures, unchanged since, is retried by 'idrep drift --repair' (the sweep only
/// records what differs from the mirror, so it never feeds such a user again) — and unparked when it applies.
/// </summary>
public sealed class ParkedRetryTests
{
    [Fact]
    public async Task DriftRepair_UnchangedParkedUser_IsAppliedAgainAndUnparked()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using (var first = sandbox.Tools())
        {
            await first.SyncAsync();
        }

        var cy = await SandboxPools.CreateUserAsync(sandbox, sandbox.Primary, "cy@example.com");
        var state = new DynamoDbReplicaStateStore(sandbox.Dynamo, new MirrorOptions { TableName = sandbox.TableName });
        var entity = EntityId.ForUser(cy.Username.ToLowerInvariant());
        await state.ParkAsync(sandbox.Standby.Region, new ParkedEntity
        {
            Entity = entity,
            Code = "TransientFailuresExhausted",
            Reason = "Failed 10 times in a row, last with cognito-idp TooManyRequestsException.",
            Version = 1,
            ParkedAt = TimeProvider.System.GetUtcNow(),
        }, CancellationToken.None);

        // A new process, as 'idrep drift --repair' is: its engine has not loaded the parked entities itself.
        await using var tools = sandbox.Tools();
        var report = await tools.DriftAsync(repair: true);

        Assert.Single(report.Parked);
        Assert.Equal(0, report.Repair!.RemainingDifferences);
        Assert.Contains(await SandboxPools.ListUsersAsync(sandbox, sandbox.Standby), u => u.Attributes!.Any(a => a.Value == "cy@example.com"));
        var parked = new List<ParkedEntity>();
        await foreach (var p in state.ListParkedAsync(sandbox.Standby.Region, CancellationToken.None))
        {
            parked.Add(p);
        }

        Assert.Empty(parked);
    }
}
