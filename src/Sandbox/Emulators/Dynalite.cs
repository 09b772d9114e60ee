namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>dynalite: DynamoDB on 127.0.0.1, in memory. Stands for the mirror global table (one instance for both Regions).</summary>
public static class Dynalite
{
    public static Task<NodeProcess> StartAsync(string installFolder, string workingDirectory, TimeProvider time, CancellationToken cancellationToken, Func<int>? nextPort = null)
    {
        var port = (nextPort ?? FreePort.Next)();
        return NodeProcess.StartAsync(
            "dynalite",
            installFolder,
            "node_modules/dynalite/cli.js",
            ["--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"],
            new Dictionary<string, string>(),
            workingDirectory,
            port,
            time,
            cancellationToken);
    }
}
