using CsCheck;
using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>
/// The bucket runs on fake time: waiting callers complete when fake time passes the moment their token is due, so
/// pacing is asserted in fake seconds without any real waiting. How the rate reacts to replies is specified here
/// case by case, and against simulated Cognitos in <see cref="AdaptiveRateSimulationTests"/>.
/// </summary>
public sealed class AdaptiveTokenBucketTests
{
    /// <summary>Replies reported to a bucket, spread evenly over a span of fake time (rounded up to whole ticks), throttled ones first.</summary>
    private static class Replies
    {
        public static void Feed(AdaptiveTokenBucket bucket, FakeTimeProvider time, int replies, int throttles, TimeSpan over)
        {
            var gap = TimeSpan.FromTicks((over.Ticks + replies - 1) / replies);
            for (var i = 0; i < replies; i++)
            {
                time.Advance(gap);
                if (i < throttles)
                {
                    bucket.OnThrottled();
                }
                else
                {
                    bucket.OnSuccess();
                }
            }
        }
    }

    [Fact]
    public void AcquireAsync_TwentyCallersAtOnce_CompleteOnePerTenthOfASecondAtTenPerSecond()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act
        var acquisitions = Enumerable.Range(0, 20).Select(_ => bucket.AcquireAsync(CancellationToken.None).AsTask()).ToList();

        // Assert: caller i holds the slot at i/10 s; look half-way between slots to stay clear of rounding.
        Assert.Equal(1, acquisitions.Count(a => a.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(0.05));
        for (var slot = 0; slot < 20; slot++)
        {
            Assert.Equal(slot + 1, acquisitions.Count(a => a.IsCompleted));
            time.Advance(TimeSpan.FromSeconds(0.1));
        }

        Assert.All(acquisitions, a => Assert.True(a.IsCompletedSuccessfully));
    }

    [Fact]
    public void AcquireAsync_AnyRateAndCallerCount_LastCallerCompletesAfterOneIntervalPerCallerAhead()
    {
        var cases = Gen.Select(Gen.Double[1, 200], Gen.Int[1, 60]);
        cases.Sample((rate, callers) =>
        {
            // Arrange
            var time = new FakeTimeProvider();
            var bucket = new AdaptiveTokenBucket(rate, time);
            var expected = TimeSpan.FromSeconds((callers - 1) / rate);
            var margin = TimeSpan.FromMilliseconds(1);

            // Act
            var acquisitions = Enumerable.Range(0, callers).Select(_ => bucket.AcquireAsync(CancellationToken.None).AsTask()).ToList();
            if (expected > margin)
            {
                time.Advance(expected - margin);
            }

            var doneEarly = acquisitions[^1].IsCompleted;
            time.Advance(expected > margin ? margin * 2 : margin);

            // Assert
            Assert.True(callers == 1 || !doneEarly, $"caller {callers} at {rate}/s finished before {expected}");
            Assert.All(acquisitions, a => Assert.True(a.IsCompletedSuccessfully));
        });
    }

    [Fact]
    public void AcquireAsync_AfterLongIdle_GrantsAtMostTheBurstAtOnce()
    {
        // Arrange: a ceiling of 10/s allows a burst of 0.2 s worth, i.e. 2 tokens.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);
        time.Advance(TimeSpan.FromMinutes(10));

        // Act
        var acquisitions = Enumerable.Range(0, 3).Select(_ => bucket.AcquireAsync(CancellationToken.None).AsTask()).ToList();

        // Assert
        Assert.Equal([true, true, false], acquisitions.Select(a => a.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(0.11));
        Assert.True(acquisitions[2].IsCompletedSuccessfully);
    }

    [Fact]
    public void OnThrottled_OneThrottleInAWindow_KeepsTheRate()
    {
        // Arrange: one throttle in a second of replies is what chance gives; it is not evidence of a quota.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);

        // Act
        Replies.Feed(bucket, time, replies: 40, throttles: 1, TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(40, bucket.CurrentRate, 9);
    }

    [Fact]
    public void OnThrottled_AWindowWithMoreThrottlesThanChance_CutsToSeventyPercentOfTheMeasuredRate()
    {
        // Arrange: 30 replies in a second (below the ceiling of 40), 2 of them throttled.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);

        // Act
        Replies.Feed(bucket, time, replies: 30, throttles: 2, TimeSpan.FromSeconds(1));

        // Assert: cut from what was really sent, not from the ceiling.
        Assert.Equal(21, bucket.CurrentRate, 3);
    }

    [Fact]
    public void OnThrottled_FractionFallsAsAQuotaWouldAfterTheCut_KeepsTheCutAndClimbsBackOnTheCubicCurve()
    {
        // Arrange: a quarter of 40 calls a second throttled (a quota of 30); at 28 a second, none.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 10, TimeSpan.FromSeconds(1));
        Assert.Equal(28, bucket.CurrentRate, 6);

        // Act
        Replies.Feed(bucket, time, replies: 28, throttles: 0, TimeSpan.FromSeconds(1));

        // Assert: W(t) = 0.4·(t − K)³ + 40 with K = ∛(40·0.3/0.4): 28 now, 40 after K seconds.
        Assert.Equal(28, bucket.CurrentRate, 6);
        var k = Math.Cbrt(30);
        time.Advance(TimeSpan.FromSeconds(1));
        bucket.OnSuccess();
        Assert.Equal(40 + (0.4 * Math.Pow(1 - k, 3)), bucket.CurrentRate, 3);
        time.Advance(TimeSpan.FromSeconds(k - 1));
        bucket.OnSuccess();
        Assert.Equal(40, bucket.CurrentRate, 3);
    }

    [Fact]
    public void OnThrottled_ProbeStillAboveTheQuota_CutsAgainAtOnce()
    {
        // Arrange: half of 40 calls a second throttled (a quota of 20); at 28 a second, 8 of 28 — what a quota of 20
        // gives there, so ours, and still more than chance: the probe window is itself suspect.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 20, TimeSpan.FromSeconds(1));

        // Act
        Replies.Feed(bucket, time, replies: 28, throttles: 8, TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(28 * 0.7, bucket.CurrentRate, 3);
        Assert.Equal(0, bucket.BackgroundThrottleFraction);
    }

    [Fact]
    public void OnThrottled_FractionUnchangedAfterTheCut_RestoresTheRateAndRemembersTheBackground()
    {
        // Arrange: a fifth of the calls throttled at 40/s, and still a fifth at 28/s: not our rate's doing.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 8, TimeSpan.FromSeconds(1));
        Assert.Equal(28, bucket.CurrentRate, 6);

        // Act
        Replies.Feed(bucket, time, replies: 28, throttles: 6, TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(40, bucket.CurrentRate, 9);
        Assert.Equal(6.0 / 28, bucket.BackgroundThrottleFraction, 9);
    }

    [Fact]
    public void OnThrottled_KnownBackground_ToleratesThatFractionButNotMore()
    {
        // Arrange: a background of 6/28 learned as above.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 8, TimeSpan.FromSeconds(1));
        Replies.Feed(bucket, time, replies: 28, throttles: 6, TimeSpan.FromSeconds(1));

        // Act / Assert: 10 of 40 is within chance of 6/28 (expected 8.6, two deviations 5.2); 16 of 40 is not.
        Replies.Feed(bucket, time, replies: 40, throttles: 10, TimeSpan.FromSeconds(1));
        Assert.Equal(40, bucket.CurrentRate, 9);
        Replies.Feed(bucket, time, replies: 40, throttles: 16, TimeSpan.FromSeconds(1));
        Assert.Equal(28, bucket.CurrentRate, 6);
    }

    [Fact]
    public void BackgroundThrottleFraction_AfterAMinute_IsForgottenSoItIsMeasuredAgain()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 8, TimeSpan.FromSeconds(1));
        Replies.Feed(bucket, time, replies: 28, throttles: 6, TimeSpan.FromSeconds(1));

        // Act
        time.Advance(TimeSpan.FromSeconds(59));
        bucket.OnSuccess();
        var justBefore = bucket.BackgroundThrottleFraction;
        time.Advance(TimeSpan.FromSeconds(1));
        bucket.OnSuccess();

        // Assert
        Assert.True(justBefore > 0);
        Assert.Equal(0, bucket.BackgroundThrottleFraction);
    }

    [Fact]
    public void OnThrottled_FractionAboveTheBackgroundCap_IsTakenAsOursEvenIfItDoesNotFall()
    {
        // Arrange: 40 % throttled before and after the cut; more than MaxBackgroundFraction (35 %) is never background.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(40, time);
        Replies.Feed(bucket, time, replies: 40, throttles: 16, TimeSpan.FromSeconds(1));

        // Act: the probe window is itself suspect, so the rate is cut again at once.
        Replies.Feed(bucket, time, replies: 28, throttles: 12, TimeSpan.FromSeconds(1));

        // Assert
        Assert.Equal(28 * 0.7, bucket.CurrentRate, 3);
        Assert.Equal(0, bucket.BackgroundThrottleFraction);
    }

    [Fact]
    public void OnThrottled_EveryCallThrottledForMinutes_StopsAtTheFloor()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act: ten replies a second, all throttled.
        for (var second = 0; second < 60; second++)
        {
            Replies.Feed(bucket, time, replies: 10, throttles: 10, TimeSpan.FromSeconds(1));
        }

        // Assert
        Assert.Equal(0.5, bucket.Floor, 9);
        Assert.Equal(bucket.Floor, bucket.CurrentRate, 9);
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(10, 0.5)]
    [InlineData(100, 5)]
    public void Floor_ForACeiling_IsFivePercentButAtLeastOneTenth(double ceiling, double floor)
    {
        // Act / Assert
        Assert.Equal(floor, new AdaptiveTokenBucket(ceiling, new FakeTimeProvider()).Floor, 9);
    }

    [Fact]
    public void OnSuccess_AtTheCeiling_StaysThere()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act
        time.Advance(TimeSpan.FromSeconds(30));
        bucket.OnSuccess();

        // Assert
        Assert.Equal(10, bucket.CurrentRate, 9);
    }

    [Fact]
    public void OnThrottled_CutWhileCallersWait_TheWaitingCallersArePacedAtTheNewRate()
    {
        // Arrange: 10/s with 40 callers in line; the eleventh goes at 1.0 s.
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);
        var line = Enumerable.Range(0, 40).Select(_ => bucket.AcquireAsync(CancellationToken.None).AsTask()).ToList();

        // Act: a second of throttled replies, one per released caller; the window closes at 1.0 s and cuts to 7/s.
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(0.1));
            bucket.OnThrottled();
        }

        // Assert: the next caller waits a whole interval at the new rate (1/7 s), not the old one (0.1 s).
        Assert.Equal(7, bucket.CurrentRate, 6);
        Assert.Equal(11, line.Count(c => c.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(0.12));
        Assert.Equal(11, line.Count(c => c.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(0.03));
        Assert.Equal(12, line.Count(c => c.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(19, line.Count(c => c.IsCompleted));
    }

    [Fact]
    public void AnySequenceOfRepliesAndPauses_RateStaysBetweenFloorAndCeilingAndFallsAtMostOnceASecond()
    {
        // 0 = throttled, 1 = not throttled, 2 = a pause of 0..3000 ms.
        var steps = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3000]).Array[1, 400];
        Gen.Select(Gen.Double[0.5, 500], steps).Sample((ceiling, sequence) =>
        {
            // Arrange
            var time = new FakeTimeProvider();
            var bucket = new AdaptiveTokenBucket(ceiling, time);
            TimeSpan? lastFall = null;

            foreach (var (kind, milliseconds) in sequence)
            {
                // Act
                var before = bucket.CurrentRate;
                switch (kind)
                {
                    case 0:
                        bucket.OnThrottled();
                        break;
                    case 1:
                        bucket.OnSuccess();
                        break;
                    default:
                        time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                        break;
                }

                // Assert
                Assert.InRange(bucket.CurrentRate, bucket.Floor, bucket.Ceiling);
                if (bucket.CurrentRate < before)
                {
                    var now = time.GetUtcNow() - DateTimeOffset.UnixEpoch;
                    Assert.True(lastFall is null || now - lastFall >= TimeSpan.FromSeconds(1), $"the rate fell twice within {now - lastFall}");
                    lastFall = now;
                }
            }
        });
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsOperationCanceledAndLeavesTheLine()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(1, time);
        await bucket.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var waiting = bucket.AcquireAsync(cancellation.Token).AsTask();
        var next = bucket.AcquireAsync(CancellationToken.None).AsTask();

        // Act
        await cancellation.CancelAsync();

        // Assert: the caller behind takes the cancelled caller's place, the token due at 1 s.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_CeilingNotPositive_Throws(double ceiling)
    {
        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveTokenBucket(ceiling, new FakeTimeProvider()));
    }
}
