using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Reconciler.Direction;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace IdentityReplicator.Reconciler.Tests.Logging;

/// <summary>
/// What the reconciler logs while its start-up checks fail (EventId 2008, every 2 s): a setting to change is said in
/// words alone; anything else comes with its exception and stack.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class ReconcilerStartupLoggingTests(DynaliteFixture dynalite)
{
    private const string Region = "us-west-2";

    [Fact]
    public async Task RunAsync_TableCreatedWithOtherFeedBuckets_NamesTheSettingWithoutAStack()
    {
        var table = await dynalite.NewTableAsync(feedBuckets: 4);

        var entry = await FirstCannotStartAsync(new MirrorOptions { TableName = table.TableName, FeedBuckets = 8 });

        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("was created with 4 feed buckets but Mirror:FeedBuckets is 8; set Mirror:FeedBuckets to 4", entry.Message, StringComparison.Ordinal);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task RunAsync_TableMissing_LogsTheExceptionWithItsStack()
    {
        var entry = await FirstCannotStartAsync(new MirrorOptions { TableName = "no-such-table-" + Guid.NewGuid().ToString("N")[..8], FeedBuckets = 8 });

        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("ResourceNotFoundException", entry.Message, StringComparison.Ordinal);
        var exception = Assert.IsType<ResourceNotFoundException>(entry.Exception);
        Assert.NotNull(exception.StackTrace);
    }

    /// <summary>Runs the start-up checks until they log EventId 2008 once, then stops them.</summary>
    private async Task<FakeLogRecord> FirstCannotStartAsync(MirrorOptions mirror)
    {
        mirror.Endpoints[Region] = dynalite.Url.ToString();
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = FakeLogCollector.Create(new FakeLogCollectorOptions
        {
            OutputFormatter = r => r.Id.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            OutputSink = id => _ = id == "2008" && logged.TrySetResult(),
        });
        var configured = new ReplicationControl { Epoch = 0, SourceRegion = "us-east-1", SourcePoolId = "us-east-1_Primary1", TargetRegion = Region, TargetPoolId = "us-west-2_Standby1" };
        var route = new TargetLegs(new ReplicationControlReader(Substitute.For<IReplicationControlStore>(), configured, TimeProvider.System), [], NullLogger<TargetLegs>.Instance);
        using var clients = new MirrorClients(mirror, new BasicAWSCredentials("test", "test"));
        var replication = new ReplicationOptions { Standby = new PoolOptions { Region = Region, UserPoolId = "us-west-2_Standby1" } };
        var startup = new ReconcilerStartup(route, clients, Options.Create(mirror), Options.Create(replication), new FakeTimeProvider(), new FakeLogger<ReconcilerStartup>(collector));
        using var stop = new CancellationTokenSource();

        var running = startup.RunAsync(stop.Token);
        await logged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        return collector.GetSnapshot().First(r => r.Id.Id == 2008);
    }
}
