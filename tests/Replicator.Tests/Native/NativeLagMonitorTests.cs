using IdentityReplicator.Replicator.Native;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Replicator.Tests.Native;

/// <summary>The canary's arithmetic: lag per arrived value, its distribution, and when a replica counts as stale.</summary>
public sealed class NativeLagMonitorTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public void Seen_ValueWrittenTwoSecondsAgo_MeasuresTwoSeconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        var written = time.GetUtcNow();
        monitor.Written(written);
        time.Advance(TimeSpan.FromSeconds(2));

        var lag = monitor.Seen(written.ToUnixTimeMilliseconds());

        Assert.Equal(TimeSpan.FromSeconds(2), lag);
        var status = monitor.Status();
        Assert.Equal(1, status.Samples);
        Assert.Equal(2000, status.LastMs);
        Assert.True(status.Ready);
    }

    [Fact]
    public void Seen_SameValueTwice_CountsItOnce()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        var written = time.GetUtcNow();
        monitor.Written(written);
        time.Advance(TimeSpan.FromSeconds(1));

        monitor.Seen(written.ToUnixTimeMilliseconds());
        time.Advance(TimeSpan.FromSeconds(1));
        var second = monitor.Seen(written.ToUnixTimeMilliseconds());

        Assert.Null(second);
        Assert.Equal(1, monitor.Status().Samples);
    }

    [Fact]
    public void Seen_ValueFromBeforeTheMonitorStarted_IsNotMeasured()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);

        var lag = monitor.Seen(time.GetUtcNow().AddHours(-1).ToUnixTimeMilliseconds());

        Assert.Null(lag);
        Assert.Equal(0, monitor.Status().Samples);
    }

    [Fact]
    public void Status_WrittenCanaryNotArrivedWithinTheThreshold_IsStaleAndNotReady()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        var first = time.GetUtcNow();
        monitor.Written(first);
        time.Advance(TimeSpan.FromSeconds(1));
        monitor.Seen(first.ToUnixTimeMilliseconds());
        monitor.Written(time.GetUtcNow());

        time.Advance(StaleAfter + TimeSpan.FromSeconds(1));
        var status = monitor.Status();

        Assert.True(status.Stale);
        Assert.False(status.Ready);
        Assert.StartsWith("stale: the canary written 61.0 s ago has not arrived", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_NewerValueArrivesFirst_OlderPendingValuesCountAsArrived()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        var first = time.GetUtcNow();
        monitor.Written(first);
        time.Advance(TimeSpan.FromSeconds(10));
        var second = time.GetUtcNow();
        monitor.Written(second);
        time.Advance(TimeSpan.FromSeconds(1));

        monitor.Seen(second.ToUnixTimeMilliseconds());
        time.Advance(StaleAfter);

        Assert.Null(monitor.Seen(first.ToUnixTimeMilliseconds()));
        Assert.False(monitor.Status().Stale);
    }

    [Fact]
    public void Status_NothingArrivedSinceStartForLongerThanThresholdAndInterval_IsStaleNamingTheLastFailure()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        monitor.Failed("cognito-idp AccessDeniedException");

        time.Advance(StaleAfter + Interval + TimeSpan.FromSeconds(1));
        var status = monitor.Status();

        Assert.True(status.Stale);
        Assert.EndsWith("last failure: cognito-idp AccessDeniedException", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_HundredSamples_GivesNearestRankPercentiles()
    {
        var time = new FakeTimeProvider();
        var monitor = new NativeLagMonitor(time, StaleAfter, Interval);
        for (var i = 1; i <= 100; i++)
        {
            var written = time.GetUtcNow();
            monitor.Written(written);
            time.Advance(TimeSpan.FromMilliseconds(i));
            monitor.Seen(written.ToUnixTimeMilliseconds());
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var status = monitor.Status();

        Assert.Equal(100, status.Samples);
        Assert.Equal(50, status.P50Ms);
        Assert.Equal(99, status.P99Ms);
        Assert.Equal(100, status.MaxMs);
    }
}
