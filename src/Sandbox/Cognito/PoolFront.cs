using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.EventBridge;
using IdentityReplicator.Sandbox.Proxy;

namespace IdentityReplicator.Sandbox.Cognito;

/// <summary>
/// One pool as the sandbox serves it: a <see cref="CognitoFront"/> in front of its cognito-local process, with the
/// interceptors of <see cref="FrontInterceptors"/>; and the pool and app client created through it.
/// </summary>
internal sealed class PoolFront(CognitoFront front, FrontInterceptors interceptors, EmulatorForwarder forwarder) : IAsyncDisposable
{
    public CognitoFront Front { get; } = front;

    public FrontInterceptors Interceptors { get; } = interceptors;

    public static async Task<PoolFront> StartAsync(
        Uri emulator, string region, string dataFolder, SandboxOptions options, LocalEventBus bus, HttpClient lambda, TimeProvider time, NativeReplicaWiring? native, CancellationToken cancellationToken)
    {
        var direct = CognitoIdentityProviderClient.Create(new AwsEndpoint(region, emulator), SandboxEnvironment.Credentials);
        var forwarder = new EmulatorForwarder(emulator);
        try
        {
            var interceptors = FrontInterceptors.Create(region, direct, forwarder, bus, lambda, options, dataFolder, time, native);
            var front = await CognitoFront.StartAsync(emulator, interceptors.Chain, cancellationToken);
            return new PoolFront(front, interceptors, forwarder);
        }
        catch
        {
            forwarder.Dispose();
            throw;
        }
    }

    /// <summary>Creates the pool <c>idrep-sandbox-{name}</c> and its app client through the front.</summary>
    public async Task<SandboxPool> CreatePoolAsync(string region, string name, IEnumerable<string> customAttributes, bool signInByEmail, CancellationToken cancellationToken)
    {
        var client = CognitoIdentityProviderClient.Create(new AwsEndpoint(region, Front.Url), SandboxEnvironment.Credentials);
        var pool = await client.CreateUserPoolAsync(
            new CreateUserPoolRequest($"idrep-sandbox-{name}")
            {
                UsernameAttributes = signInByEmail ? ["email"] : null,
                AutoVerifiedAttributes = signInByEmail ? ["email"] : null,
                UsernameConfiguration = new UsernameConfigurationType(false),
                Schema = [.. customAttributes.Select(a => new SchemaAttributeType
                {
                    Name = a,
                    AttributeDataType = "String",
                    Mutable = true,
                    StringAttributeConstraints = new StringAttributeConstraintsType("0", "256"),
                })],
            },
            cancellationToken);
        var poolId = pool.UserPool?.Id ?? throw new InvalidOperationException("cognito-local returned no pool id.");
        var appClient = await client.CreateUserPoolClientAsync(
            SandboxPoolConfiguration.AppClient(poolId),
            cancellationToken);
        var clientId = appClient.UserPoolClient?.ClientId ?? throw new InvalidOperationException("cognito-local returned no app client id.");
        Interceptors.DisabledUsers.RegisterClient(clientId, poolId);
        return new SandboxPool(region, poolId, Front.Url, clientId);
    }

    public async ValueTask DisposeAsync()
    {
        await Front.DisposeAsync();
        Interceptors.NativeSecondary?.Dispose();
        forwarder.Dispose();
    }
}
