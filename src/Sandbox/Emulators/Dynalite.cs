using System.Globalization;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>dynalite: DynamoDB on 127.0.0.1, in memory. Stands for the mirror global table (one instance for both Regions).</summary>
internal static class Dynalite
{
    public static Task<NodeProcess> StartAsync(string installFolder, string workingDirectory, TimeProvider time, CancellationToken cancellationToken, Func<int>? nextPort = null) =>
        NodeProcess.StartAsync(
            installFolder,
            new EmulatorLaunch(
                "dynalite",
                "node_modules/dynalite/cli.js",
                port => ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"],
                _ => new Dictionary<string, string>(),
                workingDirectory,
                EmulatorProbe.DynamoDbAsync),
            time,
            cancellationToken,
            nextPort);
}
