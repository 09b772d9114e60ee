using IdentityReplicator.Core.Quotas;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Cli.Bench;

/// <summary>Write calls that reached the standby's emulator in one sampling interval, per quota category.</summary>
internal sealed record WriteSample(double Seconds, IReadOnlyDictionary<QuotaCategory, long> Writes)
{
    public long Total => Writes.Values.Sum();
}

/// <summary>How much of the standby's write budget a run used while it had writes to make.</summary>
internal sealed record BudgetUse(double WindowS, long Writes, double WritesPerS, double BudgetPerS, double Use)
{
    /// <summary>The quota categories of the calls that change a pool (creating, updating, deleting users; memberships; groups).</summary>
    public static readonly IReadOnlySet<QuotaCategory> WriteCategories = new HashSet<QuotaCategory>
    {
        QuotaCategory.UserCreation,
        QuotaCategory.UserUpdate,
        QuotaCategory.UserResourceUpdate,
        QuotaCategory.UserAccountRecovery,
        QuotaCategory.UserPoolResourceUpdate,
    };

    /// <summary>
    /// The write phase is the first through the last sample with writes. In each sample, the categories written run
    /// concurrently, each at its own budget, so the share of the budget used is that of the busiest category
    /// (writes ÷ (budget × seconds)); <see cref="Use"/> is its mean over the phase. <see cref="BudgetPerS"/> is the write
    /// rate the same mix of calls reaches when its busiest category runs at budget, so Use = WritesPerS ÷ BudgetPerS.
    /// </summary>
    public static BudgetUse Of(IReadOnlyList<WriteSample> samples, Func<QuotaCategory, double> budget)
    {
        var first = -1;
        var last = -1;
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].Total > 0)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        if (first < 0)
        {
            return new BudgetUse(0, 0, 0, 0, 0);
        }

        var phase = samples.Skip(first).Take(last - first + 1).ToList();
        var window = phase.Sum(s => s.Seconds);
        var writes = phase.Sum(s => s.Total);
        var used = phase.Sum(s => s.Writes.Count == 0 ? 0 : s.Writes.Max(w => w.Value / budget(w.Key))) / window;
        var perSecond = writes / window;
        return new BudgetUse(window, writes, perSecond, used > 0 ? perSecond / used : 0, used);
    }
}

/// <summary>
/// Samples, once a second, the write calls the standby's quota proxy let through to the emulator (refused and
/// fault-injected calls never get there), per quota category.
/// </summary>
internal sealed class StandbyWriteMeter(QuotaProxy proxy, TimeProvider time)
{
    private readonly List<WriteSample> _samples = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<WriteSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Writes let through so far in total.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _samples.Sum(s => s.Total);
            }
        }
    }

    /// <summary>Samples until cancelled (then takes a last sample).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var previous = Read();
        var at = time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                (previous, at) = Sample(previous, at);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = Sample(previous, at);
        }
    }

    private (Dictionary<QuotaCategory, long> Counts, long At) Sample(Dictionary<QuotaCategory, long> previous, long at)
    {
        var now = time.GetTimestamp();
        var counts = Read();
        var writes = counts.Select(c => KeyValuePair.Create(c.Key, c.Value - previous.GetValueOrDefault(c.Key))).Where(c => c.Value > 0).ToDictionary();
        lock (_gate)
        {
            _samples.Add(new WriteSample(time.GetElapsedTime(at, now).TotalSeconds, writes));
        }

        return (counts, now);
    }

    private Dictionary<QuotaCategory, long> Read() => proxy.AllowedByOperation
        .GroupBy(o => CognitoQuotas.CategoryOf(o.Key))
        .Where(g => BudgetUse.WriteCategories.Contains(g.Key))
        .ToDictionary(g => g.Key, g => g.Sum(o => o.Value));
}
