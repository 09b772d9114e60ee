using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.EventBridge;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.TestSupport;

/// <summary>
/// A sandbox as tests start it (no logs, the system clock, no cancellation), and the clients tests read it with.
/// A test that changes what others would see starts its own with <see cref="StartAsync"/> and disposes it; tests that
/// can share one use <see cref="SandboxFixture"/>.
/// </summary>
public static class TestSandbox
{
    public static Task<SandboxEnvironment> StartAsync(SandboxOptions? options = null) =>
        SandboxEnvironment.StartAsync(options ?? new SandboxOptions(), NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

    /// <summary>The sandbox's mirror table, read as the tool reads it.</summary>
    public static DynamoDbMirrorStore Mirror(this SandboxEnvironment sandbox) =>
        new(sandbox.Dynamo, new MirrorOptions { TableName = sandbox.TableName, FeedBuckets = sandbox.FeedBuckets }, TimeProvider.System);

    /// <summary>One of the sandbox's pools as a user directory, through its front (no rate limiting).</summary>
    public static CognitoUserDirectory UserDirectory(this SandboxEnvironment sandbox, SandboxPool pool) =>
        new(sandbox.Client(pool), pool.UserPoolId);

    /// <summary>What an application publishes <c>UserChanged</c> hints with, on the sandbox's bus in the pool's Region.</summary>
    public static UserChangedPublisher Hints(this SandboxEnvironment sandbox, SandboxPool pool) =>
        new(EventBridgeClient.Create(new AwsEndpoint(pool.Region, sandbox.EventBus.Url), SandboxEnvironment.Credentials));
}
