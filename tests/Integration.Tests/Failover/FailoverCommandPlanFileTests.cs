using System.Text;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary>The operator's view: <c>idrep failover plan</c> with a hostile plan file exits 2 naming the file and line.</summary>
public sealed class FailoverCommandPlanFileTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("idrep-plan-").FullName;

    [Theory]
    [InlineData("version: &v [ *v ]\n", ":1:10: version ")]
    [InlineData("? [a, b]\n: 1\n", ":1:3: ")]
    public async Task FailoverPlan_HostilePlanFile_ExitsWithUsageErrorNamingTheFileAndLine(string content, string location)
    {
        var path = Path.Combine(_folder, "hostile.yaml");
        await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(content));

        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "plan", "--plan", path);

        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains("The plan cannot be used:", output, StringComparison.Ordinal);
        Assert.Contains(path + location, output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
