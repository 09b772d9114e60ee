using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Replicator.Capture;
using IdentityReplicator.Replicator.Lambda;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Replicator.Tests.Capture;

/// <summary>Event capture and the whole function over a fresh mirror table in dynalite, reading <c>primary</c>.</summary>
internal sealed record EventCaptureHarness(EventCapture Capture, ReplicatorFunction Function, IMirrorStore Mirror, ISweepRequests Sweeps, IAmazonDynamoDB Dynamo, MirrorOptions Options)
{
    public static async Task<EventCaptureHarness> CreateAsync(DynaliteFixture dynalite, IUserDirectory primary)
    {
        var options = await dynalite.NewTableAsync();
        var mirror = new DynamoDbMirrorStore(dynalite.Client, options, TimeProvider.System);
        var sweeps = new DynamoDbSweepRequests(dynalite.Client, options);
        var capture = new CaptureOptions { PrimaryPoolId = primary.PoolId };
        var eventCapture = new EventCapture(new SourceReader(primary, false, TimeProvider.System), mirror, sweeps, capture, TimeProvider.System, NullLogger<EventCapture>.Instance, configurationHints: new DynamoDbConfigurationHints(dynalite.Client, options));
        var function = ReplicatorFunction.Create(dynalite.Client, primary, options, capture, NullLoggerFactory.Instance, TimeProvider.System);
        return new EventCaptureHarness(eventCapture, function, mirror, sweeps, dynalite.Client, options);
    }
}
