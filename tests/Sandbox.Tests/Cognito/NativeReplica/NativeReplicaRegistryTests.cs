using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.Cognito.NativeReplica;

/// <summary>The simulated replica's clock: creation takes the lag, and a changed user shows its old state for the lag.</summary>
public sealed class NativeReplicaRegistryTests
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(2);

    [Fact]
    public void Find_NewReplica_IsCreatingUntilTheLagHasPassedThenInactive()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var registry = new NativeReplicaRegistry(time, Lag);
        registry.TryAdd("us-east-1_P", "us-east-1", "us-west-2", ReplicaStatus.Creating);

        // Act
        var early = registry.Find("us-east-1_P")!.Status;
        time.Advance(Lag);
        var later = registry.Find("us-east-1_P")!.Status;

        // Assert
        Assert.Equal((ReplicaStatus.Creating, ReplicaStatus.Inactive), (early, later));
    }

    [Fact]
    public void TryAdd_SecondReplicaOfAPool_IsRefused()
    {
        var registry = new NativeReplicaRegistry(new FakeTimeProvider(), Lag);

        Assert.True(registry.TryAdd("us-east-1_P", "us-east-1", "us-west-2", ReplicaStatus.Creating));
        Assert.False(registry.TryAdd("us-east-1_P", "us-east-1", "eu-west-1", ReplicaStatus.Creating));
    }

    [Fact]
    public void TryGetLagging_WithinTheLagOfAChange_GivesTheStateBeforeItThenNothing()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var registry = new NativeReplicaRegistry(time, Lag);
        var before = new JsonObject { ["Username"] = "u1", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "custom:tier", ["Value"] = "1" }) };
        registry.RecordChange("us-east-1_P", ["u1", "u1@example.com"], before);

        // Act
        time.Advance(Lag - TimeSpan.FromMilliseconds(1));
        var lagging = registry.TryGetLagging("us-east-1_P", "u1@example.com", out var seen);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var caughtUp = registry.TryGetLagging("us-east-1_P", "u1", out _);

        // Assert
        Assert.True(lagging);
        Assert.True(JsonNode.DeepEquals(before, seen));
        Assert.False(caughtUp);
    }

    [Fact]
    public void TryGetLagging_NewUser_ReadsAsMissingWithinTheLag()
    {
        var time = new FakeTimeProvider();
        var registry = new NativeReplicaRegistry(time, Lag);
        registry.RecordChange("us-east-1_P", ["new"], before: null);

        Assert.True(registry.TryGetLagging("us-east-1_P", "new", out var seen));
        Assert.Null(seen);
    }
}
