using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Sandbox.Emulators;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IdentityReplicator.TestSupport;

/// <summary>One dynalite (in-memory DynamoDB on 127.0.0.1) per test collection; each test makes its own table.</summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    private NodeProcess? _process;
    private int _tables;

    public Uri Url => _process?.Url ?? throw new InvalidOperationException("dynalite is not running.");

    public AmazonDynamoDBClient Client { get; private set; } = null!;

    public int ProcessId => _process?.ProcessId ?? 0;

    public async Task InitializeAsync()
    {
        var install = await EmulatorPackages.EnsureInstalledAsync(NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        _process = await Dynalite.StartAsync(install, Path.GetTempPath(), TimeProvider.System, CancellationToken.None);
        Client = CreateClient(_process.Url);
    }

    public static AmazonDynamoDBClient CreateClient(Uri url, TimeSpan? timeout = null, int maxErrorRetry = 2) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = url.ToString(),
            AuthenticationRegion = "us-east-1",
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxErrorRetry = maxErrorRetry,
        });

    /// <summary>A fresh mirror table; returns options naming it.</summary>
    public async Task<MirrorOptions> NewTableAsync(int feedBuckets = 4)
    {
        var options = new MirrorOptions { TableName = $"mirror-{Interlocked.Increment(ref _tables)}-{Guid.NewGuid():N}"[..40], FeedBuckets = feedBuckets };
        await MirrorTable.CreateAsync(Client, options.TableName, feedBuckets, TimeProvider.System, CancellationToken.None);
        return options;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

/// <summary>
/// The name of the collection that shares one <see cref="DynaliteFixture"/>. xunit needs the collection definition
/// in each test assembly: <c>[CollectionDefinition(DynaliteCollection.Name)] class … : ICollectionFixture&lt;DynaliteFixture&gt;</c>.
/// </summary>
public static class DynaliteCollection
{
    public const string Name = "dynalite";
}
