namespace IdentityReplicator.Replicator.Native;

/// <summary>
/// A short canary run for a one-off report (<c>idrep drift</c> without a worker at hand): prepares the canary, writes it
/// <c>samples</c> times and waits for each value at the secondary, polling every
/// <see cref="Core.Configuration.NativeReplicationOptions.CanaryPollInterval"/> for at most <c>wait</c>. A value that does
/// not arrive in time ends the run; the result says so.
/// </summary>
public static class NativeCanaryProbe
{
    /// <summary>Canary values a one-off report measures.</summary>
    public const int Samples = 3;

    /// <returns>The lag figures, and whether a value did not arrive within <paramref name="wait"/>.</returns>
    public static async Task<(NativeLagStatus Status, bool TimedOut)> MeasureAsync(NativeCanary canary, TimeSpan pollInterval, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        await canary.PrepareAsync(cancellationToken);
        for (var i = 0; i < Samples; i++)
        {
            await canary.WriteAsync(cancellationToken);
            var deadline = time.GetUtcNow() + wait;
            while (await canary.ReadAsync(cancellationToken) is null)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    return (canary.Monitor.Status(), true);
                }

                await Task.Delay(pollInterval, time, cancellationToken);
            }
        }

        return (canary.Monitor.Status(), false);
    }
}
