using IdentityReplicator.Reconciler.Apply;
using IdentityReplicator.Reconciler.Feed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Reconciler.Tests.Feed;

/// <summary>
/// What the worker says at Information while it runs (issue 16, item 8): one line a minute with counts only (applied,
/// deleted, parked, errors), and one line per change of state (caught up, behind, parked) — driven by TimeProvider.
/// </summary>
public sealed class FeedActivityLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    [Fact]
    public void Observe_AMinuteOfWork_LogsOneLineWithTheCountsOfThatMinuteOnly()
    {
        // Arrange: 3 applied (1 of them a deletion), 1 parked, 2 errors in the first minute; 1 applied in the second.
        var activity = new FeedActivityLog(_time, _logger);
        var totals = new FeedStatistics();
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);
        totals.Count(ApplyOutcome.Applied);
        totals.Count(ApplyOutcome.Applied);
        totals.Count(ApplyOutcome.Applied, deleted: true);
        totals.Count(ApplyOutcome.Parked);
        totals.Count(ApplyOutcome.InSync);
        totals.CountFailure();
        totals.CountFailure();

        // Act
        _time.Advance(TimeSpan.FromSeconds(59));
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 1);
        var beforeTheMinute = Summaries().Count;
        _time.Advance(TimeSpan.FromSeconds(1));
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 1);
        totals.Count(ApplyOutcome.Applied);
        _time.Advance(TimeSpan.FromMinutes(1));
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 1);

        // Assert
        Assert.Equal(0, beforeTheMinute);
        var summaries = Summaries();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(LogLevel.Information, s.Level));
        Assert.Equal("In the last minute: 2 applied, 1 deleted, 1 parked, 2 errors (1 already in step); caught up with the change feed, 1 entity parked", summaries[0].Message);
        Assert.Equal("In the last minute: 1 applied, 0 deleted, 0 parked, 0 errors (0 already in step); caught up with the change feed, 1 entity parked", summaries[1].Message);
    }

    [Fact]
    public void Observe_QuietMinute_StillLogsTheLineSoAnOperatorSeesTheWorkerIsAlive()
    {
        var activity = new FeedActivityLog(_time, _logger);
        var totals = new FeedStatistics();
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);

        _time.Advance(TimeSpan.FromMinutes(1));
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);

        Assert.Equal("In the last minute: 0 applied, 0 deleted, 0 parked, 0 errors (0 already in step); caught up with the change feed", Assert.Single(Summaries()).Message);
    }

    [Fact]
    public void Observe_FallsBehindThenCatchesUp_LogsOneLinePerChangeOfStateNotPerPass()
    {
        // Arrange
        var activity = new FeedActivityLog(_time, _logger);
        var totals = new FeedStatistics();

        // Act: caught up; a moment behind (under the threshold: not a state); behind twice; caught up twice.
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);
        activity.Observe(totals, TimeSpan.FromSeconds(2), parkedNow: 0);
        activity.Observe(totals, TimeSpan.FromSeconds(45), parkedNow: 0);
        activity.Observe(totals, TimeSpan.FromSeconds(50), parkedNow: 0);
        activity.Observe(totals, TimeSpan.FromSeconds(3), parkedNow: 0);
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);

        // Assert
        Assert.Equal(
            ["Caught up with the change feed", "Behind the change feed by 45 s", "Caught up with the change feed"],
            States().Select(s => s.Message));
    }

    [Fact]
    public void Observe_EntitiesParkedThenFixed_LogsWhenParkingStartsAndEndsAtInformation()
    {
        var activity = new FeedActivityLog(_time, _logger);
        var totals = new FeedStatistics();

        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 1);
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 2);
        activity.Observe(totals, TimeSpan.Zero, parkedNow: 0);

        Assert.Equal(
            ["Caught up with the change feed", "1 entity parked, waiting for a fix ('idrep drift' lists them with the reason)", "Nothing parked any more"],
            States().Select(s => s.Message));
        Assert.All(States(), s => Assert.Equal(LogLevel.Information, s.Level));
    }

    [Fact]
    public void Observe_AnotherPollerAfterADirectionChange_CountsItsTotalsFromZero()
    {
        var activity = new FeedActivityLog(_time, _logger);
        var first = new FeedStatistics();
        first.Count(ApplyOutcome.Applied);
        activity.Observe(first, TimeSpan.Zero, parkedNow: 0);
        first.Count(ApplyOutcome.Applied);
        var second = new FeedStatistics();
        second.Count(ApplyOutcome.Applied);

        activity.Observe(first, TimeSpan.Zero, parkedNow: 0);
        activity.Observe(second, TimeSpan.Zero, parkedNow: 0);
        _time.Advance(TimeSpan.FromMinutes(1));
        activity.Observe(second, TimeSpan.Zero, parkedNow: 0);

        Assert.StartsWith("In the last minute: 2 applied,", Assert.Single(Summaries()).Message, StringComparison.Ordinal);
    }

    private List<FakeLogRecord> Summaries() => [.. _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2040)];

    private List<FakeLogRecord> States() => [.. _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2041)];
}
