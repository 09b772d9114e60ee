namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// How much of each Cognito quota this tool may use, per pool (sections <c>Quotas:Primary</c> and
/// <c>Quotas:Standby</c>). The application shares the primary's quotas, so reads of the primary use half of each
/// category by default; nobody but replication calls the standby, so it gets most of its quotas (the rest is left
/// for operators, health probes and drift reports). Quotas are per account and Region: lower the shares if other
/// pools in the same account and Region need them.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";
    public const double PrimaryShare = 0.5;
    public const double StandbyShare = 0.8;

    /// <summary>
    /// Fraction of each category's default quota this tool uses when <see cref="Rates"/> does not name it; unless
    /// set, the primary's (the cautious one: another client shares the pool).
    /// </summary>
    public double Share { get; set; } = PrimaryShare;

    /// <summary>
    /// Per-category budgets in requests per second, overriding <see cref="Share"/> (e.g. after a quota increase:
    /// <c>"UserCreation": 200</c>). Keys are <see cref="QuotaCategory"/> names.
    /// </summary>
    public Dictionary<string, double> Rates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Retries of a throttled or failed call before giving up (each attempt is paced by the budget).</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>Time allowed for one attempt of one call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public double BudgetFor(QuotaCategory category) =>
        Rates.TryGetValue(category.ToString(), out var rate) ? rate : CognitoQuotas.DefaultRate(category) * Share;

    /// <summary>Checks the values and names the offending one and its allowed range.</summary>
    public IEnumerable<string> Validate(string section)
    {
        if (MaxRetries is < 0 or > 20)
        {
            yield return $"{section}:MaxRetries is {MaxRetries}; it must be between 0 and 20.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:AttemptTimeout is {AttemptTimeout}; it must be more than 0 and at most 00:05:00.";
        }

        if (Share is <= 0 or > 1)
        {
            yield return $"{section}:Share is {Share}; it must be greater than 0 and at most 1 (the fraction of each Cognito quota this tool may use).";
        }

        foreach (var (name, rate) in Rates)
        {
            if (!Enum.TryParse<QuotaCategory>(name, ignoreCase: true, out _))
            {
                yield return $"{section}:Rates:{name} is not a Cognito quota category; use one of {string.Join(", ", Enum.GetNames<QuotaCategory>())}.";
            }
            else if (rate is <= 0 or > 10_000)
            {
                yield return $"{section}:Rates:{name} is {rate}; it must be between 0 (exclusive) and 10000 requests per second.";
            }
        }
    }
}
