using System.Text.Json.Nodes;

namespace IdentityReplicator.Integration.Tests.Bench;

/// <summary><c>idrep bench chaos --json</c> as a script runs it: its one JSON line alone on standard output.</summary>
public sealed class ChaosCommandTests
{
    [Fact]
    public async Task BenchChaos_HostileInputAndTwoWorkers_PrintsOnlyItsJsonLineOnStandardOutput()
    {
        // Arrange: a small run whose hostile input makes the Replicator log a warning for every delivery it refuses.
        using var idrep = IdrepProcess.Start("bench", "chaos", "--users", "10", "--changes", "30", "--kills", "1", "--hostile", "0.5", "--workers", "2", "--seed", "3", "--json");

        // Act
        await idrep.WaitForExitAsync(TimeSpan.FromMinutes(5));

        // Assert: progress and logs go to standard error; standard output holds the verdict only.
        var lines = idrep.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        var verdict = JsonNode.Parse(line)!;
        Assert.Equal(2, verdict["workers"]!.GetValue<int>());
        Assert.Equal(20, verdict["hostile"]!.GetValue<int>());
        Assert.Equal(0, verdict["hostileFailures"]!.GetValue<int>());
        Assert.True(verdict["hostileRejected"]!.GetValue<long>() > 0, idrep.Output);
        Assert.True(idrep.ExitCode == 0, idrep.Output);
        Assert.Contains("SIGKILLed worker 1", idrep.Output, StringComparison.Ordinal);
        Assert.Contains("the Replicator refused", idrep.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Ignored an event Cognito would reject", idrep.Output, StringComparison.Ordinal);
    }
}
