using Cronos;

namespace IdentityReplicator.Core.Scheduling;

/// <summary>
/// When a recurring job runs: on a cron expression (five fields, or six with seconds; evaluated in UTC) if one is
/// given, else every fixed interval. Jobs are the source sweep and scheduled drift reports.
/// </summary>
public sealed class RunSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan _interval;

    private RunSchedule(CronExpression? cron, TimeSpan interval, string description)
    {
        _cron = cron;
        _interval = interval;
        Description = description;
    }

    public string Description { get; }

    /// <summary>The next run strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after) =>
        _cron is not null
            ? _cron.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue
            : after + _interval;

    /// <summary>A cron schedule when <paramref name="cron"/> is set, else the interval.</summary>
    public static RunSchedule From(string? cron, TimeSpan interval) =>
        string.IsNullOrWhiteSpace(cron)
            ? new RunSchedule(null, interval, $"every {interval}")
            : new RunSchedule(Parse(cron) ?? throw new ArgumentException($"'{cron}' is not a cron expression.", nameof(cron)), interval, $"cron '{cron}' (UTC)");

    /// <summary>Checks a cron setting; returns a message naming the setting and the expected form, or nothing.</summary>
    public static IEnumerable<string> Validate(string setting, string? cron)
    {
        if (!string.IsNullOrWhiteSpace(cron) && Parse(cron) is null)
        {
            yield return $"{setting} is '{cron}'; it must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. '0 3 * * *' for 03:00 UTC daily) or six with seconds first.";
        }
    }

    private static CronExpression? Parse(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return CronExpression.TryParse(cron, format, out var expression) ? expression : null;
    }
}
