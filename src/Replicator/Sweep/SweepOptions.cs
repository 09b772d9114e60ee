using IdentityReplicator.Core.Scheduling;

namespace IdentityReplicator.Replicator.Sweep;

/// <summary>The scheduled sweep of the source pool (section <c>Sweep</c>).</summary>
public sealed class SweepOptions
{
    public const string Section = "Sweep";

    /// <summary>Whether the worker sweeps the source at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between sweeps (from the end of one to the start of the next) when no <see cref="Schedule"/> is set.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A cron expression in UTC (e.g. <c>*/10 * * * *</c>) that overrides <see cref="Interval"/>.</summary>
    public string? Schedule { get; set; }

    /// <summary>Sweep once as soon as the worker starts, then on schedule.</summary>
    public bool RunOnStart { get; set; }

    /// <summary>Snapshots recorded at once (mirror table writes only; Cognito is read by listings).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// The memory a sweep may give its listings (users, memberships, the mirror's snapshots) before spilling them to
    /// owner-only temporary files in sorted runs (1 to 65,536 MB).
    /// </summary>
    public int CompactMemoryBudgetMb { get; set; } = 64;

    /// <summary>How often the worker looks for sweep requests (events that named no user or group ask for one).</summary>
    public TimeSpan RequestCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The least time between two sweeps started by requests: however many requests come, at most one sweep per this.</summary>
    public TimeSpan MinimumRequestedInterval { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<string> Validate()
    {
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:Interval is {Interval}; it must be between 00:00:01 and 7.00:00:00.";
        }

        if (RequestCheckInterval < TimeSpan.FromSeconds(1) || MinimumRequestedInterval < TimeSpan.Zero)
        {
            yield return $"{Section}:RequestCheckInterval is {RequestCheckInterval} and MinimumRequestedInterval {MinimumRequestedInterval}; the first must be at least 00:00:01, the second not negative.";
        }

        if (Concurrency is < 1 or > 256)
        {
            yield return $"{Section}:Concurrency is {Concurrency}; it must be between 1 and 256.";
        }

        if (CompactMemoryBudgetMb is < 1 or > 65_536)
        {
            yield return $"{Section}:CompactMemoryBudgetMb is {CompactMemoryBudgetMb}; it must be from 1 to 65536 (MB), e.g. 64 (the default). Past it the sweep's listings spill to temporary files, so a small budget costs disk reads, not correctness.";
        }

        foreach (var error in RunSchedule.Validate($"{Section}:Schedule", Schedule))
        {
            yield return error;
        }
    }
}
