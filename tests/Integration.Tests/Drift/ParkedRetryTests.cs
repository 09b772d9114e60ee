using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

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
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var configuration = sandbox.Configuration();
        await using (var first = ToolHost.Build(configuration, verbose: false))
        {
            await first.GetRequiredService<FullSync>().RunAsync(new SyncRequest(), null, CancellationToken.None);
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
        await using var tools = ToolHost.Build(configuration, verbose: false);
        var report = await tools.GetRequiredService<DriftReporter>().RunAsync(new DriftRequest(Repair: true), CancellationToken.None);

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
