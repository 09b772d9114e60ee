using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Sweep;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What one pass of the sweep saw and recorded.</summary>
public sealed record SweepSummary(int Users, int Groups, int Recorded, int Tombstones, int Unchanged, double ElapsedSeconds);

/// <summary>One pass of the source sweep registered by <c>AddSourceSweep</c>, for <c>idrep sweep</c> (a task run by an operator or a scheduler).</summary>
public static class SweepOnce
{
    public static async Task<SweepSummary> RunAsync(IServiceProvider services, CancellationToken cancellationToken, ListingProgress? progress = null)
    {
        var result = await services.GetRequiredService<SourceSweep>().RunOnceAsync(cancellationToken, progress);
        return new SweepSummary(result.Users, result.Groups, result.Recorded, result.Tombstones, result.Unchanged, result.Elapsed.TotalSeconds);
    }
}
