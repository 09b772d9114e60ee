using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Native;

/// <summary>
/// One sandbox with a simulated Cognito native replica of its primary pool (<c>idrep sandbox up --native-replica</c>),
/// lagging <see cref="ReplicaLag"/>, with the journeys' users: the native-mode tests share it.
/// </summary>
public sealed class NativeSandboxFixture : IAsyncLifetime
{
    /// <summary>The simulated replica's lag: small, so the canary measures it within seconds.</summary>
    public static readonly TimeSpan ReplicaLag = TimeSpan.FromMilliseconds(300);

    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public string NativeConfigFile => Sandbox.NativeConfigFile ?? throw new InvalidOperationException("The sandbox has no native replica.");

    public async Task InitializeAsync() =>
        Sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            NativeReplica = true,
            NativeReplicaLag = ReplicaLag,
            JourneyUsers = true,
            PromotionDelay = TimeSpan.FromMilliseconds(300),
            DnsPropagationDelay = TimeSpan.FromMilliseconds(200),
        });

    public async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}

/// <summary>The collection of the tests that share one <see cref="NativeSandboxFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class NativeSandboxCollection : ICollectionFixture<NativeSandboxFixture>
{
    public const string Name = "native-sandbox";
}
