namespace IdentityReplicator.Reconciler;

/// <summary>How the reconciler follows the change feed.</summary>
public sealed class ReconcilerOptions
{
    public const string Section = "Reconciler";

    /// <summary>Pause between polls while changes are flowing.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between polls when the feed is quiet (the pause doubles up to this).</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How far behind its position the reconciler re-reads the feed, to catch entries that became visible late
    /// (global-table replication, writer clock skew). Older stragglers are caught by the drift check.
    /// </summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the look-back window is re-read (at most an hour; keep it well under <see cref="LookBack"/>).</summary>
    public TimeSpan LookBackInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Feed entries read per query.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Snapshots applied at the same time (across all buckets); Cognito's quotas pace them further.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How often feed positions are saved (they are also saved on stop); at most five minutes.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive transient failures of one entity before it is parked so the rest can move on.</summary>
    public int MaxTransientFailures { get; set; } = 10;

    /// <summary>
    /// The default of <see cref="ApplyLease"/>: a few seconds, so a worker in another slot that dies holding leases
    /// holds its entities no longer; the heartbeat (every 2 s) keeps a long application's lease.
    /// </summary>
    public static readonly TimeSpan DefaultApplyLease = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one application's apply lease — the fence that keeps two workers (a second worker, a sync or drift
    /// repair) from applying one user or group at once — lasts unrenewed: a heartbeat renews it every fifth of this
    /// while the application runs, and it is released as soon as the application is recorded. A worker that dies
    /// holding it makes workers in other slots wait at most this long for that entity; its restarted successor in the
    /// same slot (host and process-id namespace) takes it over at once.
    /// </summary>
    public TimeSpan ApplyLease { get; set; } = DefaultApplyLease;

    public IEnumerable<string> Validate()
    {
        if (PollInterval < TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:PollInterval is {PollInterval}; it must be between 00:00:00 and 00:01:00.";
        }

        if (IdlePollInterval < PollInterval || IdlePollInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:IdlePollInterval is {IdlePollInterval}; it must be at least PollInterval ({PollInterval}) and at most 00:05:00.";
        }

        if (LookBack < TimeSpan.Zero || LookBack > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:LookBack is {LookBack}; it must be between 00:00:00 and 01:00:00.";
        }

        if (LookBackInterval < TimeSpan.Zero || LookBackInterval > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:LookBackInterval is {LookBackInterval}; it must be between 00:00:00 and 01:00:00.";
        }

        if (BatchSize is < 1 or > 1000)
        {
            yield return $"{Section}:BatchSize is {BatchSize}; it must be between 1 and 1000.";
        }

        if (MaxConcurrency is < 1 or > 256)
        {
            yield return $"{Section}:MaxConcurrency is {MaxConcurrency}; it must be between 1 and 256.";
        }

        if (CheckpointInterval < TimeSpan.Zero || CheckpointInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:CheckpointInterval is {CheckpointInterval}; it must be between 00:00:00 and 00:05:00.";
        }

        if (MaxTransientFailures is < 1 or > 1000)
        {
            yield return $"{Section}:MaxTransientFailures is {MaxTransientFailures}; it must be between 1 and 1000.";
        }

        if (ApplyLease < TimeSpan.FromSeconds(3) || ApplyLease > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:ApplyLease is {ApplyLease}; it must be between 00:00:03 and 00:10:00 (renewed every fifth of it while an application runs, so at least a few DynamoDB round trips; a worker in another slot that dies holding it makes others wait this long for that entity).";
        }
    }
}
