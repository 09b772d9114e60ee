namespace IdentityReplicator.Core.Quotas;

/// <summary>
/// Decides the rate of one <see cref="AdaptiveTokenBucket"/> from its replies, and is the only place that does
/// (docs/design/adaptive-rate.md). A throttled reply alone says nothing about who caused it: our own rate above the
/// quota, or something that does not depend on our rate (another application sharing the quota, Cognito's own
/// variance). The judge tells them apart by experiment:
/// <list type="number">
/// <item>Replies are counted in windows of at least a second and <see cref="MinReplies"/> replies. A window whose
/// throttles are more than the known <see cref="BackgroundFraction"/> explains (by <see cref="Significance"/> standard
/// deviations) is a suspect: the rate is cut by <see cref="Beta"/> from the measured send rate, as the AWS SDKs'
/// adaptive mode does.</item>
/// <item>The next window is the probe (the bucket re-paces its queued callers at once, so it runs at the new rate).
/// A quota refuses the calls above it, so sending 30 % less must lower the throttled fraction by a predictable amount
/// (to <c>1 − (1 − f)/ρ</c>); throttles that do not depend on our rate keep the same fraction. The hypothesis under
/// which the probe's throttles are the more likely wins.</item>
/// <item>Ours: the cut stays, and the rate climbs back on CUBIC's curve towards the rate that was throttled (fast at
/// first, flat near it, then probing beyond), as the SDKs do. Not ours: the rate is restored at once (to the knee,
/// when a quota sat between the two rates) and the probe's fraction is remembered as background for
/// <see cref="BackgroundMemory"/>, after which it is tested again.</item>
/// </list>
/// A fraction above <see cref="MaxBackgroundFraction"/> is never taken as background. Not thread-safe: the bucket
/// calls it under its lock.
/// </summary>
internal sealed class ThrottleJudge
{
    /// <summary>The multiplicative decrease of the SDKs' adaptive mode (CUBIC's β).</summary>
    public const double Beta = 0.7;

    /// <summary>CUBIC's scale constant in the SDKs, in calls per second per second cubed.</summary>
    public const double ScaleConstant = 0.4;

    public const double WindowSeconds = 1.0;

    /// <summary>Replies a window needs before it is judged (unless it has run for <see cref="MaxWindowSeconds"/>).</summary>
    public const int MinReplies = 10;

    public const double MaxWindowSeconds = 10.0;

    /// <summary>How many standard deviations above the background a window's throttles must be to be suspect.</summary>
    public const double Significance = 2.0;

    /// <summary>
    /// The largest throttled fraction ever taken as not ours. Above it, backing off is the only sensible answer
    /// whoever is to blame; it also bounds the cost of a wrong verdict (a quota taken for background).
    /// </summary>
    public const double MaxBackgroundFraction = 0.35;

    /// <summary>A probe is conclusive only when it sent at most this share of the suspect window's rate.</summary>
    public const double MaxProbeRatio = 0.9;

    /// <summary>How long a measured background fraction is trusted before it must be measured again.</summary>
    public static readonly TimeSpan BackgroundMemory = TimeSpan.FromSeconds(60);

    /// <summary>The least probability a verdict gives any fraction, so that one unexpected throttle is evidence, not proof.</summary>
    private const double MinLikelihood = 0.01;

    private Window _window;
    private Probe? _probe;
    private Cubic? _cubic;
    private double _backgroundUntil;

    public ThrottleJudge(double ceiling, double floor)
    {
        Ceiling = ceiling;
        Floor = floor;
        Rate = ceiling;
    }

    public double Ceiling { get; }

    public double Floor { get; }

    /// <summary>The rate allowed now, in calls per second.</summary>
    public double Rate { get; private set; }

    /// <summary>The throttled fraction last judged not caused by our rate (0 when none, or expired at the last reply).</summary>
    public double BackgroundFraction { get; private set; }

    /// <summary>Counts one reply at <paramref name="now"/> (seconds on the bucket's steady clock) and adjusts <see cref="Rate"/>.</summary>
    public void Observe(bool throttled, double now)
    {
        if (now >= _backgroundUntil)
        {
            BackgroundFraction = 0;
        }

        _window = _window.Add(throttled);
        var elapsed = now - _window.Start;
        if (elapsed < WindowSeconds || (_window.Replies < MinReplies && elapsed < MaxWindowSeconds))
        {
            Climb(now);
            return;
        }

        var measured = new Measurement(_window.Replies, _window.Throttles, _window.Replies / elapsed);
        _window = new Window(now, 0, 0);
        if (_probe is { } probe)
        {
            _probe = null;
            if (IsBackground(probe.Suspect, measured))
            {
                Restore(probe, measured, now);
                return;
            }

            // Ours: keep the cut and climb back towards the rate that was throttled, from now. Our rate mattered, so
            // whatever background was measured before is in doubt: it is measured again at the next suspect window.
            _cubic = new Cubic(probe.CutFrom, now);
            BackgroundFraction = 0;
        }

        if (IsSuspect(measured))
        {
            Cut(measured, now);
        }
        else
        {
            Climb(now);
        }
    }

    /// <summary>More throttles than the background explains, beyond chance.</summary>
    private bool IsSuspect(Measurement window)
    {
        var background = BackgroundFraction;
        var expected = window.Replies * background;
        var deviation = Math.Sqrt(window.Replies * background * (1 - background));
        return window.Throttles > expected + (Significance * deviation) + 1;
    }

    /// <summary>
    /// Did sending less leave the throttled fraction where it was (not ours), or lower it as a quota would (ours)? The
    /// verdict goes to the hypothesis under which the probe's throttles were the more likely.
    /// </summary>
    private static bool IsBackground(Measurement suspect, Measurement probe)
    {
        var ratio = probe.RatePerSecond / suspect.RatePerSecond;
        if (ratio > MaxProbeRatio || probe.Fraction > MaxBackgroundFraction)
        {
            return false;
        }

        var ifOurs = Math.Max(0, 1 - ((1 - suspect.Fraction) / ratio));
        var ifNotOurs = suspect.Fraction;
        return LogLikelihood(probe, ifNotOurs) > LogLikelihood(probe, ifOurs);
    }

    private static double LogLikelihood(Measurement window, double fraction)
    {
        var f = Math.Clamp(fraction, MinLikelihood, 1 - MinLikelihood);
        return (window.Throttles * Math.Log(f)) + ((window.Replies - window.Throttles) * Math.Log(1 - f));
    }

    private void Cut(Measurement suspect, double now)
    {
        var cutFrom = Math.Min(Rate, suspect.RatePerSecond);
        _probe = new Probe(suspect, Rate, cutFrom);
        _cubic = null;
        Rate = Math.Max(Floor, cutFrom * Beta);
        _window = new Window(now, 0, 0);
    }

    /// <summary>
    /// Not ours, or not all of it: the probe's fraction (measured at the lower rate, so least mixed with a quota's) is
    /// the background; the rate goes back to where the suspect window's successes are reached with that background
    /// alone — the old rate when the throttles were all background, the knee when a quota sat between the two rates.
    /// </summary>
    private void Restore(Probe probe, Measurement measured, double now)
    {
        BackgroundFraction = Math.Min(MaxBackgroundFraction, measured.Fraction);
        _backgroundUntil = now + BackgroundMemory.TotalSeconds;
        var knee = probe.Suspect.RatePerSecond * (1 - probe.Suspect.Fraction) / (1 - measured.Fraction);
        Rate = Math.Clamp(knee, Rate, Math.Max(Rate, probe.RateBefore));
        _cubic = Rate < Ceiling ? Cubic.AtPlateau(Rate, now) : null;
    }

    /// <summary>CUBIC growth after a cut that was ours; never lowers the rate, never above the ceiling.</summary>
    private void Climb(double now)
    {
        if (_probe is not null || _cubic is not { } cubic)
        {
            return;
        }

        Rate = Math.Min(Ceiling, Math.Max(Rate, cubic.RateAt(now)));
        if (Rate >= Ceiling)
        {
            _cubic = null;
        }
    }

    private readonly record struct Window(double Start, int Replies, int Throttles)
    {
        public Window Add(bool throttled) => this with { Replies = Replies + 1, Throttles = Throttles + (throttled ? 1 : 0) };
    }

    private readonly record struct Measurement(int Replies, int Throttles, double RatePerSecond)
    {
        public double Fraction => (double)Throttles / Replies;
    }

    /// <summary>A cut under test: the window that caused it, the rate before, and the rate it was cut from.</summary>
    private sealed record Probe(Measurement Suspect, double RateBefore, double CutFrom);

    /// <summary>W(t) = C·(t − K)³ + W_max with K = ∛(W_max·(1 − β)/C): β·W_max at the cut, W_max after K seconds.</summary>
    private sealed record Cubic(double MaxRate, double Since)
    {
        private readonly double _k = Math.Cbrt(MaxRate * (1 - Beta) / ScaleConstant);

        /// <summary>A curve that is at its plateau (W_max) now: it grows slowly at first, then faster.</summary>
        public static Cubic AtPlateau(double maxRate, double now) =>
            new(maxRate, now - Math.Cbrt(maxRate * (1 - Beta) / ScaleConstant));

        public double RateAt(double now) => (ScaleConstant * Math.Pow(now - Since - _k, 3)) + MaxRate;
    }
}
