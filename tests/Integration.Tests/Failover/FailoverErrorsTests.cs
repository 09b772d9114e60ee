using System.Text.RegularExpressions;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary>The failover commands end like every other command (docs/troubleshooting.md): a service error is exit 2 with its message, never a stack.</summary>
[Collection(SandboxCollection.Name)]
public sealed class FailoverErrorsTests(SandboxFixture fixture) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-failover-errors-").FullName;

    [Fact]
    public async Task FailoverStatus_MirrorTableThatDoesNotExist_ExitsTwoWithTheServiceErrorAndNoStack()
    {
        // Arrange: the sandbox's plan, naming a mirror table the sandbox's DynamoDB does not have.
        var table = "idrep-missing-" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(_folder, "plan.yaml");
        await File.WriteAllTextAsync(path, Regex.Replace(await File.ReadAllTextAsync(fixture.Sandbox.PlanFile), @"tableName: .*", $"tableName: {table}"));

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "status", "--plan", path);

        // Assert
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.StartsWith("Failed: ", output, StringComparison.Ordinal);
        Assert.Contains(table, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailoverResume_RunNotInTheJournal_ExitsTwoSayingWhereTheRunsAreListed()
    {
        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "resume", "--plan", fixture.Sandbox.PlanFile, "--run", "20260101-000000-0000");

        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains("No run '20260101-000000-0000' in the journal; 'idrep failover status --plan …' lists the runs.", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
