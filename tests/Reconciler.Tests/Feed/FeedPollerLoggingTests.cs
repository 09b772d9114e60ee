using System.Net;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Reconciler.Feed;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityReplicator.Reconciler.Tests.Feed;

/// <summary>
/// What the feed poller logs when an entry fails: the warning (EventId 2004) names the error without its message, which
/// Cognito may fill with the user's name or an attribute value; the exception itself, with its stack, goes to Debug (2104).
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class FeedPollerLoggingTests(DynaliteFixture fixture)
{
    private static readonly ReconcilerOptions OnePassAtATime = new()
    {
        LookBackInterval = TimeSpan.FromHours(1),
        CheckpointInterval = TimeSpan.Zero,
        MaxTransientFailures = 10,
    };

    [Fact]
    public async Task PollOnceAsync_StandbyErrorQuotesTheUser_WarnsWithoutTheMessageAndLogsTheExceptionAtDebug()
    {
        var harness = await FeedHarness.CreateAsync(fixture, OnePassAtATime);
        var quinn = FeedHarness.NewUser("quinn");
        await harness.RecordAsync(quinn);
        var error = CognitoErrors.Create("InternalErrorException", $"Internal error while creating {quinn.Email}", HttpStatusCode.InternalServerError);
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "CreateUser")
            {
                throw error;
            }
        };
        var logger = new FakeLogger<FeedPoller>();
        var poller = await harness.StartPollerAsync(logger: logger);

        await poller.PollOnceAsync(CancellationToken.None);

        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 2004);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.Contains("cognito-idp InternalErrorException", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(quinn.Email, warning.Message, StringComparison.OrdinalIgnoreCase);
        var detail = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 2104);
        Assert.Equal(LogLevel.Debug, detail.Level);
        Assert.Same(error, detail.Exception);
    }

    [Fact]
    public async Task PollOnceAsync_ABugInTheApplyPath_TheDebugDetailCarriesTheExceptionWithItsStack()
    {
        var harness = await FeedHarness.CreateAsync(fixture, OnePassAtATime);
        var rosa = FeedHarness.NewUser("rosa");
        await harness.RecordAsync(rosa);
        harness.Intercepted.Before = (operation, _) =>
        {
            if (operation == "CreateUser")
            {
                throw new NullReferenceException();
            }
        };
        var logger = new FakeLogger<FeedPoller>();
        var poller = await harness.StartPollerAsync(logger: logger);

        await poller.PollOnceAsync(CancellationToken.None);
        await poller.PollOnceAsync(CancellationToken.None);

        var warnings = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2004).ToList();
        var details = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 2104).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("(NullReferenceException)", w.Message, StringComparison.Ordinal));
        Assert.Equal(2, details.Count);
        Assert.All(details, d =>
        {
            var exception = Assert.IsType<NullReferenceException>(d.Exception);
            Assert.Contains(nameof(InterceptingUserDirectory), exception.StackTrace, StringComparison.Ordinal);
        });
    }
}
