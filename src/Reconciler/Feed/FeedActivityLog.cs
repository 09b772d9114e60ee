using System.Globalization;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Reconciler.Feed;

/// <summary>
/// What the worker says at Information while it follows the change feed: one line a minute with counts only (applied,
/// deleted, parked, errors — never a user), and one line per change of state: caught up, behind (by at least
/// <see cref="BehindThreshold"/>, so a change being applied is not "behind"), entities parked, nothing parked any more.
/// The reconciler calls <see cref="Observe"/> after every pass; time comes from the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class FeedActivityLog(TimeProvider time, ILogger logger)
{
    /// <summary>How often the counts are logged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>How far behind the feed the worker must be to say so (it is caught up again at zero).</summary>
    public static readonly TimeSpan BehindThreshold = TimeSpan.FromSeconds(30);

    private FeedStatistics? _source;
    private Counts _seen;
    private Counts _minute;
    private DateTimeOffset _nextSummary;
    private bool? _behind;
    private int _parked;

    /// <summary>Takes what the poller counted since the last call, says what changed, and logs the minute's counts when it is due.</summary>
    public void Observe(FeedStatistics? totals, TimeSpan behind, int parkedNow)
    {
        var now = time.GetUtcNow();
        if (_behind is null)
        {
            _nextSummary = now + Interval;
        }

        Accumulate(totals);
        LogStateChanges(behind, parkedNow);
        if (now >= _nextSummary)
        {
            var minute = _minute;
            _minute = default;
            _nextSummary = now + Interval;
            Log.Activity(
                logger,
                minute.Applied - minute.Deleted,
                minute.Deleted,
                minute.Parked,
                minute.Errors,
                minute.InSync,
                State());
        }
    }

    private void Accumulate(FeedStatistics? totals)
    {
        if (totals is null)
        {
            return;
        }

        var current = Counts.Of(totals);
        if (!ReferenceEquals(totals, _source))
        {
            // A new poller (the direction changed): its totals start from zero; the first seen of the first poller are the baseline.
            _seen = _source is null && _behind is null ? current : default;
            _source = totals;
        }

        _minute += current - _seen;
        _seen = current;
    }

    private void LogStateChanges(TimeSpan behind, int parkedNow)
    {
        var isBehind = _behind == true ? behind > TimeSpan.Zero : behind >= BehindThreshold;
        if (isBehind != _behind)
        {
            _behind = isBehind;
            Log.FeedState(logger, isBehind ? string.Create(CultureInfo.InvariantCulture, $"Behind the change feed by {behind.TotalSeconds:0} s") : "Caught up with the change feed");
        }

        if ((parkedNow > 0) != (_parked > 0))
        {
            Log.FeedState(logger, parkedNow > 0 ? $"{Entities(parkedNow)} parked, waiting for a fix ('idrep drift' lists them with the reason)" : "Nothing parked any more");
        }

        _parked = parkedNow;
    }

    private string State() =>
        (_behind == true ? "behind the change feed" : "caught up with the change feed") + (_parked > 0 ? ", " + Entities(_parked) + " parked" : string.Empty);

    private static string Entities(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "entity" : "entities")}");

    private readonly record struct Counts(long Applied, long Deleted, long Parked, long Errors, long InSync)
    {
        public static Counts Of(FeedStatistics s) => new(s.Applied, s.Deleted, s.Parked, s.Failures, s.InSync);

        public static Counts operator +(Counts a, Counts b) => new(a.Applied + b.Applied, a.Deleted + b.Deleted, a.Parked + b.Parked, a.Errors + b.Errors, a.InSync + b.InSync);

        public static Counts operator -(Counts a, Counts b) => new(a.Applied - b.Applied, a.Deleted - b.Deleted, a.Parked - b.Parked, a.Errors - b.Errors, a.InSync - b.InSync);
    }
}
