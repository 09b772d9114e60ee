using System.Diagnostics;
using System.Text;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>The operator's view: <c>idrep failover plan</c> with a hostile plan file exits 2 naming the file and line.</summary>
public sealed class FailoverCommandPlanFileTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("version: &v [ *v ]\n", ":1:10: version ")]
    [InlineData("? [a, b]\n: 1\n", ":1:3: ")]
    public async Task FailoverPlan_HostilePlanFile_ExitsWithUsageErrorNamingTheFileAndLine(string content, string location)
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("hostile.yaml", Encoding.UTF8.GetBytes(content));

        var (exit, output) = await RunIdrepAsync("failover", "plan", "--plan", path);

        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains("The plan cannot be used:", output, StringComparison.Ordinal);
        Assert.Contains(path + location, output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunIdrepAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "idrep.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start idrep.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout, TimeProvider.System);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await error);
    }
}
