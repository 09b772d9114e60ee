using IdentityReplicator.Sandbox.Cognito;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.Cognito;

/// <summary>The order of a pool front's interceptors is behaviour: the first reply stops the chain.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CognitoFrontChainTests(SandboxFixture fixture)
{
    private SandboxEnvironment Sandbox => fixture.Sandbox;

    [Fact]
    public void FrontOf_EachPool_RunsFaultsThenQuotasThenCloudTrailThenTheEmulatorFixes()
    {
        foreach (var pool in new[] { Sandbox.Primary, Sandbox.Standby })
        {
            var chain = Sandbox.FrontOf(pool).Interceptors;

            Assert.Equal(
                [
                    typeof(FaultInjector), typeof(QuotaProxy), typeof(CloudTrailRecorder), typeof(ListPaging), typeof(MissingGroupIsNotFound),
                    typeof(DisabledUsersCannotSignIn), typeof(VerifiedFlagAlone), typeof(PreSignUpOnAdminCreateUser),
                ],
                chain.Select(i => i.GetType()));
            Assert.Same(Sandbox.FaultsOf(pool), chain[0]);
            Assert.Same(Sandbox.QuotaProxyOf(pool), chain[1]);
        }
    }
}
