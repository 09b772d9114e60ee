using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>How a simulated Cognito answers one call: <c>true</c> when it is throttled. Called in send order.</summary>
internal delegate bool ThrottleModel(TimeSpan sentAt);

/// <summary>The shape of a simulated run: the bucket's ceiling, how many callers keep it busy, and for how long.</summary>
internal sealed record SimulationSetup(double Ceiling)
{
    /// <summary>Callers with unlimited demand, each with one call in flight at most (the worker's MaxConcurrency is 16).</summary>
    public int Callers { get; init; } = 16;

    /// <summary>Time from sending a call to its reply.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Figures are taken from here on, once the start-up has passed.</summary>
    public TimeSpan MeasureFrom { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(1);
}

/// <summary>What a simulated run measured after <see cref="SimulationSetup.MeasureFrom"/>.</summary>
internal sealed record SimulationResult(
    double MeanRate,
    double MinRate,
    double SendsPerSecond,
    double SuccessesPerSecond,
    double ThrottledFraction,
    int MaxSendsInOneSecond,
    long Throttles)
{
    public override string ToString() =>
        FormattableString.Invariant(
            $"mean rate {MeanRate:0.0}/s (min {MinRate:0.0}), sends {SendsPerSecond:0.0}/s (max {MaxSendsInOneSecond} in a second), successes {SuccessesPerSecond:0.0}/s, throttled {ThrottledFraction:P1} ({Throttles})");
}

/// <summary>
/// A deterministic run of one <see cref="AdaptiveTokenBucket"/> on fake time: callers with unlimited demand take a
/// token, send, get their reply after the latency, report it to the bucket as the governor does, and take the next
/// token. The server model decides each reply. Fake time moves in small steps; nothing waits in real time.
/// </summary>
internal static class ThrottlingSimulation
{
    public static SimulationResult Run(SimulationSetup setup, ThrottleModel server)
    {
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(setup.Ceiling, time);
        var waiting = new Task?[setup.Callers];
        var replyAt = new TimeSpan?[setup.Callers];
        var replyThrottled = new bool[setup.Callers];
        var perSecond = new Dictionary<long, int>();
        long sends = 0, successes = 0, throttles = 0, samples = 0;
        double rateSum = 0, minRate = double.MaxValue;

        for (var i = 0; i < setup.Callers; i++)
        {
            waiting[i] = bucket.AcquireAsync(CancellationToken.None).AsTask();
        }

        for (var now = TimeSpan.Zero; now < setup.Duration; now += setup.Step)
        {
            var measuring = now >= setup.MeasureFrom;
            for (var i = 0; i < setup.Callers; i++)
            {
                if (replyAt[i] is { } at && at <= now)
                {
                    if (replyThrottled[i])
                    {
                        bucket.OnThrottled();
                    }
                    else
                    {
                        bucket.OnSuccess();
                    }

                    replyAt[i] = null;
                    waiting[i] = bucket.AcquireAsync(CancellationToken.None).AsTask();
                }

                if (waiting[i] is { IsCompleted: true })
                {
                    waiting[i] = null;
                    replyThrottled[i] = server(now);
                    replyAt[i] = now + setup.Latency;
                    if (measuring)
                    {
                        sends++;
                        if (replyThrottled[i])
                        {
                            throttles++;
                        }
                        else
                        {
                            successes++;
                        }

                        var second = (long)now.TotalSeconds;
                        perSecond[second] = perSecond.GetValueOrDefault(second) + 1;
                    }
                }
            }

            if (measuring)
            {
                var rate = bucket.CurrentRate;
                Assert.InRange(rate, bucket.Floor, bucket.Ceiling);
                rateSum += rate;
                minRate = Math.Min(minRate, rate);
                samples++;
            }

            time.Advance(setup.Step);
        }

        var seconds = (setup.Duration - setup.MeasureFrom).TotalSeconds;
        return new SimulationResult(
            rateSum / samples,
            minRate,
            sends / seconds,
            successes / seconds,
            sends == 0 ? 0 : (double)throttles / sends,
            perSecond.Count == 0 ? 0 : perSecond.Values.Max(),
            throttles);
    }

    /// <summary>Throttles a fraction of calls at random, whatever the rate: another application, Cognito's own variance.</summary>
    public static ThrottleModel RandomThrottles(double fraction, int seed)
    {
        var random = new Random(seed);
        return _ => random.NextDouble() < fraction;
    }

    /// <summary>A true quota, as Cognito and the sandbox's quota proxy enforce it: a token bucket that refuses when empty.</summary>
    public static ThrottleModel Quota(double limit, double burstSeconds = 1.0)
    {
        var capacity = Math.Max(1, limit * burstSeconds);
        var tokens = capacity;
        var last = TimeSpan.Zero;
        return sentAt =>
        {
            tokens = Math.Min(capacity, tokens + ((sentAt - last).TotalSeconds * limit));
            last = sentAt;
            if (tokens < 1)
            {
                return true;
            }

            tokens -= 1;
            return false;
        };
    }

    /// <summary>Both at once: random throttles in front of a true quota (a throttled call never reaches the quota).</summary>
    public static ThrottleModel Both(ThrottleModel first, ThrottleModel then) => sentAt => first(sentAt) || then(sentAt);
}
