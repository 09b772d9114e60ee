namespace IdentityReplicator.Reconciler.Sync;

/// <summary>Settings of full sync and drift repair (section <c>Sync</c>).</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>
    /// Users converged at the same time. Each waits for its calls' tokens, so this only needs to be high enough that
    /// the slowest quota category always has calls waiting; the quota budgets set the pace.
    /// </summary>
    public int Concurrency { get; set; } = 64;

    public IEnumerable<string> Validate()
    {
        if (Concurrency is < 1 or > 1024)
        {
            yield return $"{Section}:Concurrency is {Concurrency}; it must be between 1 and 1024.";
        }
    }
}
