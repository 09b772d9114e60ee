using System.Globalization;

namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// s3rver: Amazon S3 on 127.0.0.1 (path-style), objects kept as files under <c>&lt;data&gt;/s3</c>. It accepts requests
/// signed with the sandbox's access key; it checks the key, not the SigV4 signature.
/// </summary>
internal static class S3Local
{
    public static Task<NodeProcess> StartAsync(
        string installFolder,
        string dataFolder,
        string accessKey,
        IEnumerable<string> buckets,
        TimeProvider time,
        CancellationToken cancellationToken,
        Func<int>? nextPort = null)
    {
        var objects = Path.Combine(dataFolder, "s3");
        Directory.CreateDirectory(objects);
        var names = buckets.ToArray();
        return NodeProcess.StartAsync(
            installFolder,
            new EmulatorLaunch(
                "s3rver",
                "s3-local.js",
                port => [port.ToString(CultureInfo.InvariantCulture), objects, accessKey, accessKey, .. names],
                _ => new Dictionary<string, string>(),
                dataFolder,
                EmulatorProbe.S3Async),
            time,
            cancellationToken,
            nextPort);
    }
}
