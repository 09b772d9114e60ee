using IdentityReplicator.Core.Aws;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.Cognito.NativeReplica;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

/// <summary>The order of a pool front's interceptors is behaviour: the first reply stops the chain.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CognitoFrontChainTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public void FrontOf_EachPool_RunsFaultsThenQuotasThenNativeReplicasThenCloudTrailThenTheEmulatorFixes()
    {
        foreach (var pool in new[] { Sandbox.Primary, Sandbox.Standby })
        {
            var chain = Sandbox.FrontOf(pool).Interceptors;

            Assert.Equal(
                [
                    typeof(FaultInjector), typeof(QuotaProxy), typeof(SecondaryEndpoint), typeof(ReplicaOperations), typeof(CloudTrailRecorder), typeof(ListPaging), typeof(MissingGroupIsNotFound), typeof(DuplicateGroupIsRefused),
                    typeof(ConfigurationFront), typeof(DisabledUsersCannotSignIn), typeof(VerifiedFlagAlone), typeof(PreSignUpOnAdminCreateUser),
                ],
                chain.Select(i => i.GetType()));
            Assert.Same(Sandbox.FaultsOf(pool), chain[0]);
            Assert.Same(Sandbox.QuotaProxyOf(pool), chain[1]);
        }
    }

    [Fact]
    public void Create_CloudTrailAndPagingOff_LeavesThemOutAndKeepsTheOrderOfTheRest()
    {
        var emulator = new Uri("http://127.0.0.1:9/");
        using var forwarder = new EmulatorForwarder(emulator);
        using var lambda = new HttpClient();
        var direct = CognitoIdentityProviderClient.Create(new AwsEndpoint("us-east-1", emulator), SandboxEnvironment.Credentials);

        var interceptors = FrontInterceptors.Create(
            "us-east-1", direct, forwarder, Sandbox.EventBus, lambda, new SandboxOptions { RecordCloudTrail = false, PageListings = false }, dataFolder: null, TimeProvider.System);

        Assert.Null(interceptors.CloudTrail);
        Assert.Null(interceptors.Paging);
        Assert.Equal(
            [
                interceptors.Faults, interceptors.Quotas, interceptors.MissingGroup, interceptors.DuplicateGroup, interceptors.Configuration, interceptors.DisabledUsers, interceptors.VerifiedFlag, interceptors.PreSignUp,
            ],
            interceptors.Chain);
    }
}
