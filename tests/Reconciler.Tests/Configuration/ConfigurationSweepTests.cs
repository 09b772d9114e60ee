using System.Text.Json.Nodes;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace IdentityReplicator.Reconciler.Tests.Configuration;

/// <summary>The configuration sweep: the whole difference of the current direction applied, at start and every interval; off at 0.</summary>
public sealed class ConfigurationSweepTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryConfigurationPool _primary = new("eu-west-1_Primary", "eu-west-1");
    private readonly InMemoryConfigurationPool _standby = new("eu-central-1_Standby", "eu-central-1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunOnceAsync_AMissedChange_IsAppliedWholeToTheCurrentTarget()
    {
        // Arrange
        _primary.AddClient(new JsonObject { ["ClientName"] = "web" });
        _primary.ResourceServers["api"] = new JsonObject { ["Identifier"] = "api", ["Name"] = "API" };

        // Act
        var result = await Sweep().RunOnceAsync(CancellationToken.None);

        // Assert
        Assert.NotNull(result);
        Assert.Equal(["CreateResourceServer", "CreateUserPoolClient"], _standby.Writes);
        Assert.Empty(_primary.Writes);
    }

    [Fact]
    public async Task ExecuteAsync_Interval_SweepsAtStartThenAgainAfterEachInterval()
    {
        // Arrange
        var reads = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        _primary.AfterRead = n => reads.ElementAtOrDefault(n - 1)?.TrySetResult();
        using var service = new ConfigurationSweepService(Sweep(), Options.Create(new ConfigurationReplicationOptions { ConfigurationSweepInterval = TimeSpan.FromMinutes(5) }), _time, NullLogger<ConfigurationSweepService>.Instance);

        // Act
        await service.StartAsync(CancellationToken.None);
        await reads[0].Task.WaitAsync(Timeout);
        _primary.Pool = new JsonObject { ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 14 } } };
        var second = reads[1].Task;
        while (!second.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }

        await service.StopAsync(CancellationToken.None);

        // Assert
        Assert.Contains("UpdateUserPool", _standby.Writes);
    }

    [Fact]
    public async Task ExecuteAsync_IntervalZero_NeverSweeps()
    {
        using var service = new ConfigurationSweepService(Sweep(), Options.Create(new ConfigurationReplicationOptions { ConfigurationSweepInterval = TimeSpan.Zero }), _time, NullLogger<ConfigurationSweepService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(Timeout);

        Assert.Equal(0, _primary.Reads);
    }

    private ConfigurationSweep Sweep()
    {
        var options = new ConfigurationReplicationOptions();
        var toStandby = new ConfigurationApplier(_primary, _standby, null, options, _time, NullLogger<ConfigurationApplier>.Instance);
        var toPrimary = new ConfigurationApplier(_standby, _primary, null, options, _time, NullLogger<ConfigurationApplier>.Instance);
        var configured = new ReplicationControl { Epoch = 0, SourceRegion = "eu-west-1", SourcePoolId = _primary.UserPoolId, TargetRegion = "eu-central-1", TargetPoolId = _standby.UserPoolId };
        var store = Substitute.For<IReplicationControlStore>();
        store.GetAsync(Arg.Any<CancellationToken>()).Returns((ReplicationControl?)null);
        var state = new InMemoryReplicaState();
        return new ConfigurationSweep(
            [
                new ConfigurationFeed(toPrimary, state, "eu-west-1", _time, NullLogger<ConfigurationFeed>.Instance),
                new ConfigurationFeed(toStandby, state, "eu-central-1", _time, NullLogger<ConfigurationFeed>.Instance),
            ],
            new ReplicationControlReader(store, configured, _time));
    }
}
