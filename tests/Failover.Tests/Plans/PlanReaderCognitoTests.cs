using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;
using IdentityReplicator.Failover.Tests.Native;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>The <c>cognito:</c> section: native mode read when right, and named with the accepted values when wrong.</summary>
public sealed class PlanReaderCognitoTests
{
    [Fact]
    public void Parse_NoCognitoSection_IsReplicatorMode()
    {
        var plan = PlanReader.Parse(FakeEnvironment.PlanText);

        Assert.Equal(CognitoMode.Replicator, plan.Cognito.Mode);
        Assert.Equal("replicator", plan.Cognito.ModeName);
    }

    [Fact]
    public void Parse_NativeMode_ReadsTheModeAndTheReplicaAsTheStandby()
    {
        var plan = PlanReader.Parse(NativeFakes.PlanText);

        Assert.True(plan.Cognito.IsNative);
        Assert.Equal("custom:idrep_canary", plan.Cognito.CanaryAttribute);
        Assert.Null(plan.Cognito.CanaryUser);
        Assert.Equal(plan.Pools.Primary.UserPoolId, plan.Pools.Standby.UserPoolId);
        Assert.Equal("us-west-2", plan.Pools.Standby.Region);
    }

    [Fact]
    public void Parse_NativeModeWithCanary_ReadsTheCanary()
    {
        var plan = PlanReader.Parse(NativeFakes.PlanText.Replace("cognito: { mode: native }", "cognito: { mode: native, canaryUser: canary@example.com, canaryAttribute: 'custom:lag' }", StringComparison.Ordinal));

        Assert.Equal("canary@example.com", plan.Cognito.CanaryUser);
        Assert.Equal("custom:lag", plan.Cognito.CanaryAttribute);
    }

    [Theory]
    [InlineData("cognito: { mode: nativ }", "cognito.mode is 'nativ'; it must be 'replicator' (the default")]
    [InlineData("cognito: { mode: native, canaryAttribute: lag }", "cognito.canaryAttribute is 'lag'; it must be the worker's canary attribute")]
    [InlineData("cognito: { mod: native }", "cognito.mod is not a plan field; did you mean 'mode'?")]
    [InlineData("cognito: { mode: replicator, canaryUser: c }", "cognito.canaryUser and cognito.canaryAttribute are read in native mode only")]
    public void Parse_BadCognitoSection_NamesTheFieldAndTheAcceptedValues(string section, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(NativeFakes.PlanText.Replace("cognito: { mode: native }", section, StringComparison.Ordinal)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NativeModeWithAnotherPoolAsStandby_SaysToGiveTheSamePoolId()
    {
        var text = NativeFakes.PlanText.Replace("standby: { region: us-west-2, userPoolId: us-east-1_Native1", "standby: { region: us-west-2, userPoolId: us-west-2_Other1", StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains("pools.standby.userPoolId is 'us-west-2_Other1'; with cognito.mode: native the standby is the primary's native replica, so give the same pool id as pools.primary ('us-east-1_Native1')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NativeModeInOneRegion_SaysToGiveTheReplicaRegion()
    {
        var text = NativeFakes.PlanText.Replace("standby: { region: us-west-2", "standby: { region: us-east-1", StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains("pools.standby.region is us-east-1, the primary's Region; with cognito.mode: native give the Region of the pool's replica", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReplicatorModeWithTheSamePoolInBothRegions_StillRefused()
    {
        var text = NativeFakes.PlanText.Replace("cognito: { mode: native }\n", string.Empty, StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains("pools.standby.userPoolId 'us-east-1_Native1' is a pool in us-east-1, but pools.standby.region is us-west-2", error.Message, StringComparison.Ordinal);
    }
}
