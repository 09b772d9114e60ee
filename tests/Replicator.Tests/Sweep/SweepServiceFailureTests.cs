using System.Globalization;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Sweep;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityReplicator.Replicator.Tests.Sweep;

/// <summary>
/// A sweep that fails is logged with its exception (the warning 1051 without it, the Debug 1151 with its stack) and is
/// not run again at once: the next runs on schedule, a requested one no sooner than the minimum requested interval.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class SweepServiceFailureTests(DynaliteFixture dynalite)
{
    private const string PrimaryPool = "us-east-1_Primary1";

    [Fact]
    public async Task SweepService_ScheduledSweepFails_LogsTheExceptionWithItsStackAndWaitsForTheNextRun()
    {
        var (sweep, primary, requests) = await ArrangeAsync();
        for (var i = 0; i < 3; i++)
        {
            primary.FailNext("ListUsers", new NullReferenceException());
        }

        var logs = new FailureSignals(requests);
        using var service = new SourceSweepService(sweep, requests, [PrimaryPool], new SweepOptions { Interval = TimeSpan.FromMilliseconds(300), RequestCheckInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, logs.Logger);

        await service.StartAsync(CancellationToken.None);
        var first = await Task.WhenAny(requests.CheckedAfterAFailure, logs.SecondFailure).WaitAsync(TimeSpan.FromSeconds(20));
        await service.StopAsync(CancellationToken.None);

        Assert.True(first == requests.CheckedAfterAFailure, "the failed sweep ran again at once instead of waiting for the next run");
        var records = logs.Collector.GetSnapshot();
        var warning = records.First(r => r.Id.Id == 1051);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.Contains("(NullReferenceException)", warning.Message, StringComparison.Ordinal);
        var detail = records.First(r => r.Id.Id == 1151);
        Assert.Equal(LogLevel.Debug, detail.Level);
        var exception = Assert.IsType<NullReferenceException>(detail.Exception);
        Assert.Contains(nameof(InMemoryUserDirectory), exception.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepService_RequestedSweepFails_IsTriedAgainNoSoonerThanTheMinimumRequestedInterval()
    {
        var (sweep, primary, requests) = await ArrangeAsync();
        primary.FailNext("ListUsers", new NullReferenceException());
        primary.FailNext("ListUsers", new NullReferenceException());
        await requests.RequestAsync(PrimaryPool, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        var minimum = TimeSpan.FromMilliseconds(600);
        var logs = new FailureSignals(requests);
        var options = new SweepOptions { Interval = TimeSpan.FromHours(1), MinimumRequestedInterval = minimum, RequestCheckInterval = TimeSpan.FromMilliseconds(50) };
        using var service = new SourceSweepService(sweep, requests, [PrimaryPool], options, TimeProvider.System, logs.Logger);

        await service.StartAsync(CancellationToken.None);
        await logs.SecondFailure.WaitAsync(TimeSpan.FromSeconds(20));
        await service.StopAsync(CancellationToken.None);

        var failures = logs.Collector.GetSnapshot().Where(r => r.Id.Id == 1051).ToList();
        var gap = failures[1].Timestamp - failures[0].Timestamp;
        Assert.True(gap >= minimum / 2, $"the failed requested sweep ran again after {gap.TotalMilliseconds:0} ms");
    }

    private async Task<(SourceSweep Sweep, InMemoryUserDirectory Primary, WatchedRequests Requests)> ArrangeAsync()
    {
        var options = await dynalite.NewTableAsync();
        var store = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        var primary = new InMemoryUserDirectory(PrimaryPool);
        var sweep = new SourceSweep(primary, store, store, usernamesCaseSensitive: false, new SweepOptions(), TimeProvider.System, NullLogger<SourceSweep>.Instance);
        return (sweep, primary, new WatchedRequests(new DynamoDbSweepRequests(dynalite.Client, options)));
    }

    /// <summary>A logger whose collector signals the failures (EventId 1051) as they are logged, and arms the requests' watch.</summary>
    private sealed class FailureSignals
    {
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failures;

        public FailureSignals(WatchedRequests requests)
        {
            Collector = FakeLogCollector.Create(new FakeLogCollectorOptions
            {
                OutputFormatter = r => r.Id.Id.ToString(CultureInfo.InvariantCulture),
                OutputSink = id =>
                {
                    if (id != "1051")
                    {
                        return;
                    }

                    requests.Arm();
                    if (Interlocked.Increment(ref _failures) == 2)
                    {
                        _second.TrySetResult();
                    }
                },
            });
            Logger = new FakeLogger<SourceSweepService>(Collector);
        }

        public FakeLogCollector Collector { get; }

        public FakeLogger<SourceSweepService> Logger { get; }

        public Task SecondFailure => _second.Task;
    }

    /// <summary>Sweep requests that signal the first check for pending requests after a failure was logged.</summary>
    private sealed class WatchedRequests(ISweepRequests inner) : ISweepRequests
    {
        private readonly TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _armed;

        public Task CheckedAfterAFailure => _checked.Task;

        public void Arm() => _armed = true;

        public Task RequestAsync(string poolId, DateTimeOffset at, CancellationToken cancellationToken) => inner.RequestAsync(poolId, at, cancellationToken);

        public Task<SweepRequest?> PendingAsync(string poolId, CancellationToken cancellationToken)
        {
            if (_armed)
            {
                _checked.TrySetResult();
            }

            return inner.PendingAsync(poolId, cancellationToken);
        }

        public Task CompleteAsync(string poolId, DateTimeOffset sweepStartedAt, CancellationToken cancellationToken) => inner.CompleteAsync(poolId, sweepStartedAt, cancellationToken);
    }
}
