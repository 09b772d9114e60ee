using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.Sandbox.Emulators;
using IdentityReplicator.TestSupport;
using Xunit.Abstractions;

namespace IdentityReplicator.Integration.Tests.Native;

/// <summary>
/// The worker in native mode on the sandbox's simulated native replica: it applies no users and measures the replica's
/// lag with the canary, which <c>idrep status</c> and <c>idrep health</c> report.
/// </summary>
[Collection(NativeSandboxCollection.Name)]
public sealed class NativeWorkerTests(NativeSandboxFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Worker_NativeMode_ReportsTheCanaryLagAtLeastTheReplicaLagThroughStatusAndHealth()
    {
        // Arrange
        var port = FreePort.Next();
        var environment = new Dictionary<string, string> { ["IDREP_Replication__Native__CanaryInterval"] = "00:00:01" };
        using var worker = IdrepProcess.Start(environment, "worker", "--config", fixture.NativeConfigFile, "--health-url", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

        // Act
        await Eventually.ReturnsAsync(() => SamplesAsync(http), samples => samples >= 3, TimeSpan.FromSeconds(60), "three canaries measured");
        var status = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "status", "--url", $"http://127.0.0.1:{port}/status", "-o", "json");
        var text = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "status", "--url", $"http://127.0.0.1:{port}/status");
        var health = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "health", "--url", $"http://127.0.0.1:{port}/health/ready");
        worker.Kill();

        // Assert
        output.WriteLine(text.Output);
        Assert.Equal(0, status.ExitCode);
        var lag = JsonNode.Parse(status.Output.Trim().Split('\n')[^1])!["nativeReplicationLag"]!;
        var replicaMs = NativeSandboxFixture.ReplicaLag.TotalMilliseconds;
        Assert.InRange(lag["p50Ms"]!.GetValue<double>(), replicaMs, replicaMs + 2000);
        Assert.InRange(lag["p99Ms"]!.GetValue<double>(), replicaMs, replicaMs + 2000);
        Assert.False(lag["stale"]!.GetValue<bool>());
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("native replication lag: p50 ", text.Output, StringComparison.Ordinal);
        Assert.Equal(0, health.ExitCode);
        Assert.DoesNotContain("Applied user:", worker.Output, StringComparison.Ordinal);
    }

    private static async Task<long> SamplesAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("status");
            return response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(await response.Content.ReadAsStringAsync())?["nativeReplicationLag"]?["samples"] is { } samples
                ? samples.GetValue<long>()
                : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
