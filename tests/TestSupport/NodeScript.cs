using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// Runs a conformance script with node (the official AWS SDK for JavaScript as an independent client): the input goes
/// as one JSON argument, the script's standard output is its JSON answer; a script that outlasts its time is killed.
/// </summary>
public static class NodeScript
{
    public static async Task<JsonObject> RunAsync(string workingDirectory, string script, JsonObject input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(input.ToJsonString());
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout, TimeProvider.System);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {await stderr}");
        return JsonNode.Parse(await stdout)!.AsObject();
    }
}
