using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Native;
using IdentityReplicator.Sandbox.Tests.Cognito.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Sandbox.Tests.Cognito.NativeReplica;

/// <summary>
/// Native mode's canary against the sandbox's simulated native replica (a pool of its own, replicated and ACTIVE): the
/// lag it measures is never less than the replica's configured lag, and not much more.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class NativeCanaryOnSandboxTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public async Task ReadAsync_ThreeCanariesThroughASimulatedReplica_MeasuresAtLeastTheReplicaLagAndBoundedAboveIt()
    {
        // Arrange
        var pool = await ActiveReplicaAsync();
        var options = new NativeReplicationOptions { CanaryPollInterval = TimeSpan.FromMilliseconds(50) };
        var canary = Canary(pool, options, out var monitor);
        await canary.PrepareAsync(CancellationToken.None);
        var lags = new List<TimeSpan>();

        // Act
        for (var i = 0; i < 3; i++)
        {
            await canary.WriteAsync(CancellationToken.None);
            lags.Add(await ArrivalAsync(canary, TimeSpan.FromSeconds(20)));
        }

        // Assert
        var replicaLag = Sandbox.NativeReplicas.Lag;
        Assert.All(lags, lag => Assert.InRange(lag, replicaLag, replicaLag + TimeSpan.FromSeconds(2)));
        var status = monitor.Status();
        Assert.Equal(3, status.Samples);
        Assert.True(status.Ready, status.Reason);
        Assert.InRange(status.P50Ms!.Value, replicaLag.TotalMilliseconds, replicaLag.TotalMilliseconds + 2000);
    }

    [Fact]
    public async Task PrepareAsync_TwiceOnAPoolWithoutTheAttribute_AddsItAndOneDisabledCanaryUser()
    {
        // Arrange
        var pool = await ActiveReplicaAsync();
        var options = new NativeReplicationOptions();

        // Act
        await Canary(pool, options, out _).PrepareAsync(CancellationToken.None);
        await Canary(pool, options, out _).PrepareAsync(CancellationToken.None);

        // Assert
        var primary = Sandbox.UserDirectory(pool);
        var described = await primary.DescribeAsync(CancellationToken.None);
        Assert.True(described.Schema.ContainsKey(options.CanaryAttribute));
        var users = await Sandbox.CallAsync(pool, "ListUsers", new JsonObject { ["UserPoolId"] = pool.UserPoolId });
        var user = Assert.Single(users["Users"]!.AsArray());
        Assert.False((bool)user!["Enabled"]!);
    }

    private NativeCanary Canary(SandboxPool pool, NativeReplicationOptions options, out NativeLagMonitor monitor)
    {
        var secondary = pool with { Region = Sandbox.Standby.Region, Endpoint = Sandbox.Standby.Endpoint };
        var client = Sandbox.Client(pool);
        monitor = new NativeLagMonitor(TimeProvider.System, options.StaleAfter, options.CanaryInterval);
        return new NativeCanary(
            Sandbox.UserDirectory(pool),
            new CognitoUserDirectory(Sandbox.Client(secondary), pool.UserPoolId),
            (attributes, cancellationToken) => client.AddCustomAttributesRawAsync(pool.UserPoolId, attributes, cancellationToken),
            options,
            monitor,
            TimeProvider.System,
            NullLogger<NativeCanary>.Instance);
    }

    /// <summary>Reads the canary at the replica each poll interval until the written value arrives; its lag.</summary>
    private static async Task<TimeSpan> ArrivalAsync(NativeCanary canary, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (await canary.ReadAsync(CancellationToken.None) is { } lag)
            {
                return lag;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        throw new TimeoutException($"The canary did not arrive at the replica within {timeout}.");
    }

    private async Task<SandboxPool> ActiveReplicaAsync()
    {
        var pool = await Sandbox.NewPoolAsync(Sandbox.Primary);
        var replica = new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["RegionName"] = Sandbox.Standby.Region };
        await Sandbox.CallAsync(pool, "CreateUserPoolReplica", replica);
        await Eventually.TrueAsync(
            async () =>
            {
                var listed = await Sandbox.CallAsync(pool, "ListUserPoolReplicas", new JsonObject { ["UserPoolId"] = pool.UserPoolId });
                return listed["UserPoolReplicas"]!.AsArray().Any(r => (string?)r!["Role"] == ReplicaRole.Secondary && (string?)r["Status"] == ReplicaStatus.Inactive);
            },
            TimeSpan.FromSeconds(15),
            "the replica to be created");
        await Sandbox.CallAsync(pool, "UpdateUserPoolReplica", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["RegionName"] = Sandbox.Standby.Region, ["Status"] = ReplicaStatus.Active });
        return pool;
    }
}
