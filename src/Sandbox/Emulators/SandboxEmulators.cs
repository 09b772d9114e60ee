namespace IdentityReplicator.Sandbox.Emulators;

/// <summary>
/// The emulator processes behind the sandbox's pools: a cognito-local per pool (each its own port and data folder)
/// and, when <see cref="SandboxOptions.S3"/> asks for it, s3rver — started in parallel. (dynalite starts first, on
/// its own: the mirror table is created before anything that could write to it.)
/// </summary>
internal sealed record SandboxEmulators(NodeProcess Primary, NodeProcess Standby, NodeProcess? S3)
{
    /// <summary>
    /// Starts the emulators. Each one that started is handed to <paramref name="own"/> (to be stopped with the sandbox)
    /// even when another failed to start.
    /// </summary>
    public static async Task<SandboxEmulators> StartAsync(
        string install,
        string dataDirectory,
        Uri lambda,
        string confirmationCode,
        SandboxOptions options,
        Action<NodeProcess> own,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        List<Task<NodeProcess>> starts =
        [
            CognitoLocal.StartAsync(install, Path.Combine(dataDirectory, "primary"), lambda, options.PrimaryRegion, confirmationCode, time, cancellationToken),
            CognitoLocal.StartAsync(install, Path.Combine(dataDirectory, "standby"), lambda, options.StandbyRegion, confirmationCode, time, cancellationToken),
        ];
        if (options.S3)
        {
            starts.Add(S3Local.StartAsync(install, dataDirectory, SandboxEnvironment.AccessKey, [SandboxEnvironment.ReportBucket], time, cancellationToken));
        }

        try
        {
            await Task.WhenAll(starts);
        }
        finally
        {
            foreach (var started in starts.Where(t => t.IsCompletedSuccessfully))
            {
                own(started.Result);
            }
        }

        return new SandboxEmulators(starts[0].Result, starts[1].Result, options.S3 ? starts[2].Result : null);
    }
}
