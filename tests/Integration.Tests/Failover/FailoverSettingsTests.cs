using System.Text.RegularExpressions;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary>The failover commands report credentials settings that cannot be used like every other command: exit 2, the key named.</summary>
[Collection(SandboxCollection.Name)]
public sealed class FailoverSettingsTests(SandboxFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-failover-settings-").FullName;

    [Fact]
    public async Task FailoverPlan_PlanNamesAnAwsProfileThatDoesNotExist_ExitsTwoNamingAwsProfile()
    {
        // Arrange: the sandbox's plan with a profile in place of its static keys.
        var profile = "idrep-test-profile-" + Guid.NewGuid().ToString("N");
        var plan = Regex.Replace(await File.ReadAllTextAsync(fixture.Sandbox.PlanFile), @"  accessKeyId: .*\n  secretAccessKey: .*\n", $"  profile: {profile}\n");
        var path = Path.Combine(_folder, "plan.yaml");
        await File.WriteAllTextAsync(path, plan);

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "failover", "plan", "--plan", path);

        // Assert
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains($"Aws:Profile is '{profile}'; it must be a profile of the shared config or credentials file", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
