using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Native;

/// <summary>
/// <c>idrep drift</c> in native mode: the primary compared with its native replica (the same pool id at the secondary
/// Region's endpoint) user by user and setting by setting — in sync when the replica is, and naming a user the replica
/// shows differently.
/// </summary>
[Collection(NativeSandboxCollection.Name)]
public sealed class NativeDriftTests(NativeSandboxFixture fixture)
{
    [Fact]
    public async Task Drift_NativeMode_InSyncUntilTheReplicaShowsAUserDifferentlyThenNamesTheUserAndAttribute()
    {
        // Arrange: a replica in step (one test, since the difference made below stays)
        var (cleanExit, clean) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "drift", "--config", fixture.NativeConfigFile, "-o", "json");
        Assert.True(cleanExit == 0, clean);
        Assert.Equal(0, Report(clean)["summary"]!["differences"]!.GetValue<int>());
        var user = await SandboxPools.CreateUserAsync(fixture.Sandbox, fixture.Sandbox.Primary, $"native-drift-{Guid.NewGuid():N}@example.com");
        fixture.Sandbox.DivergeNativeReplica(user.Username, new Dictionary<string, string> { ["given_name"] = "Stale" });

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "drift", "--config", fixture.NativeConfigFile, "-o", "json");

        // Assert
        Assert.True(exit == 1, output);
        var report = Report(output);
        Assert.Equal(1, report["summary"]!["differences"]!.GetValue<int>());
        Assert.Contains(user.Sub, report.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("given_name", report.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftRepair_NativeMode_IsRefusedSayingTheReplicaTakesNoWrites()
    {
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "drift", "--config", fixture.NativeConfigFile, "--repair", "--yes");

        Assert.True(exit == 2, output);
        Assert.Contains("drift --repair (or Drift:Repair) cannot run in native mode", output, StringComparison.Ordinal);
    }

    private static JsonObject Report(string output) => JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!.AsObject();
}
