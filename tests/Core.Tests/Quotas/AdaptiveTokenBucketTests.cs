using CsCheck;
using IdentityReplicator.Core.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Core.Tests.Quotas;

/// <summary>
/// The bucket runs on fake time: waiting callers complete exactly when fake time passes their reserved slot, so
/// pacing is asserted in fake seconds without any real waiting.
/// </summary>
public sealed class AdaptiveTokenBucketTests
{
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
    public void OnThrottled_Repeatedly_LowersTheRateToSeventyPercentAtMostOncePerSecond()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act / Assert
        bucket.OnThrottled();
        Assert.Equal(7, bucket.CurrentRate, 9);

        bucket.OnThrottled();
        time.Advance(TimeSpan.FromMilliseconds(999));
        bucket.OnThrottled();
        Assert.Equal(7, bucket.CurrentRate, 9);

        time.Advance(TimeSpan.FromMilliseconds(2));
        bucket.OnThrottled();
        Assert.Equal(4.9, bucket.CurrentRate, 9);
    }

    [Fact]
    public void OnThrottled_ManySeconds_StopsAtTheFloor()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act
        for (var second = 0; second < 40; second++)
        {
            bucket.OnThrottled();
            time.Advance(TimeSpan.FromSeconds(1.5));
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
    public void OnSuccess_AfterAThrottle_RecoversFivePercentOfTheCeilingPerSecondUpToTheCeiling()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);
        bucket.OnThrottled();

        // Act / Assert
        time.Advance(TimeSpan.FromSeconds(2));
        bucket.OnSuccess();
        Assert.Equal(8, bucket.CurrentRate, 9);

        time.Advance(TimeSpan.FromSeconds(1));
        bucket.OnSuccess();
        Assert.Equal(8.5, bucket.CurrentRate, 9);

        time.Advance(TimeSpan.FromSeconds(100));
        bucket.OnSuccess();
        Assert.Equal(10, bucket.CurrentRate, 9);
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
    public void OnThrottled_AfterALongRunAtTheCeiling_RecoveryStartsFromTheThrottleNotFromConstruction()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);
        time.Advance(TimeSpan.FromMinutes(5));

        // Act
        bucket.OnThrottled();
        bucket.OnSuccess();

        // Assert
        Assert.Equal(7, bucket.CurrentRate, 9);
    }

    [Fact]
    public void OnThrottled_WithTokensInTheBucket_EmptiesItSoTheNextCallerWaitsOneNewInterval()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(10, time);

        // Act
        bucket.OnThrottled();
        var next = bucket.AcquireAsync(CancellationToken.None).AsTask();

        // Assert: one token at 7/s is 1/7 s away.
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1.0 / 7) - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public void AnySequenceOfThrottlesSuccessesAndPauses_RateStaysBetweenFloorAndCeiling()
    {
        // 0 = throttled, 1 = success, 2 = a pause of 0..3000 ms.
        var steps = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3000]).Array[1, 80];
        Gen.Select(Gen.Double[0.5, 500], steps).Sample((ceiling, sequence) =>
        {
            // Arrange
            var time = new FakeTimeProvider();
            var bucket = new AdaptiveTokenBucket(ceiling, time);

            foreach (var (kind, milliseconds) in sequence)
            {
                // Act
                var before = bucket.CurrentRate;
                switch (kind)
                {
                    case 0:
                        bucket.OnThrottled();
                        Assert.True(
                            bucket.CurrentRate == before || Math.Abs(bucket.CurrentRate - Math.Max(bucket.Floor, before * 0.7)) < 1e-9,
                            $"a throttle took the rate from {before} to {bucket.CurrentRate}");
                        break;
                    case 1:
                        bucket.OnSuccess();
                        Assert.True(bucket.CurrentRate >= before);
                        break;
                    default:
                        time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                        break;
                }

                // Assert
                Assert.InRange(bucket.CurrentRate, bucket.Floor, bucket.Ceiling);
            }
        });
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new AdaptiveTokenBucket(1, time);
        await bucket.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var waiting = bucket.AcquireAsync(cancellation.Token).AsTask();

        // Act
        await cancellation.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
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
