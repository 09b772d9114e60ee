using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Plans;

/// <summary>The <c>journeys:</c> section and the pools' token endpoints: read when right, and named with the fix when wrong.</summary>
public sealed class PlanReaderJourneysTests
{
    [Fact]
    public void Parse_DocumentedExample_ReadsEveryJourneyAndTheTokenEndpoints()
    {
        var plan = PlanReader.Parse(PlanSamples.DocsExample);

        Assert.Equal("dr-monitor-disabled@example.com", plan.Journeys.DisabledUser);
        Assert.Equal("dr-monitors", Assert.Single(plan.Journeys.Groups));
        Assert.Equal("primary_sub", plan.Journeys.PrimarySubClaim);
        Assert.Equal("https://app.example.com/oauth2/callback", plan.Journeys.CallbackUrls.Single().OriginalString);
        Assert.Equal("https://api.example.com/invoices.read", Assert.Single(plan.Journeys.MachineClients.Single().Scopes));
        Assert.Equal(new Uri("https://auth-relay.example.com/oauth2/token"), plan.Journeys.RelayEndpoint);
        Assert.Equal(new Uri("https://auth-west.example.com/oauth2/token"), plan.Pools.Standby.TokenEndpoint);
        Assert.Equal(new Uri("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_DeF456uvw/.well-known/jwks.json"), plan.Pools.Standby.Jwks);
        Assert.Equal("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_DeF456uvw", plan.Pools.Standby.Issuer);
    }

    [Fact]
    public void Parse_NoJourneysSection_RunsOnlyThePasswordSignIn()
    {
        var plan = PlanReader.Parse(FakeEnvironment.PlanText);

        Assert.True(plan.Journeys.IsEmpty);
    }

    [Theory]
    [InlineData("journeys:\n  disabledUsr: x\n", "journeys.disabledUsr is not a plan field; did you mean 'disabledUser'?")]
    [InlineData("journeys:\n  relayEndpoint: not-a-url\n  machineClients: [{ name: m }]\n", "journeys.relayEndpoint is 'not-a-url'; it must be an absolute http(s) URL.")]
    [InlineData("journeys:\n  machineClients: [{ scopes: [a] }]\n", "journeys.machineClients[0].name is missing")]
    [InlineData("journeys:\n  machineClients: [{ name: m }]\n", "pools.primary.tokenEndpoint is missing")]
    [InlineData("journeys:\n  relayEndpoint: https://relay.example.com/oauth2/token\n", "journeys.relayEndpoint is checked with the clients of journeys.machineClients")]
    [InlineData("journeys:\n  callbackUrls: [not a url]\n", "journeys.callbackUrls[0] is 'not a url'; it must be an absolute URL")]
    public void Parse_BadJourneys_NamesTheFieldAndTheFix(string section, string expected)
    {
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText + "\n" + section));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GroupsWithoutASignInUser_SaysToAddOne()
    {
        var text = FakeEnvironment.PlanText.Replace("signIn: { username: monitor@example.com }\n", string.Empty, StringComparison.Ordinal) + "\njourneys:\n  groups: [g]\n";

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains("the plan has no signIn; add 'signIn: { username: … }'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PoolTokenEndpointNotAUrl_NamesTheField()
    {
        var text = FakeEnvironment.PlanText.Replace("appClientId: client-west }", "appClientId: client-west, tokenEndpoint: nope }", StringComparison.Ordinal);

        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(text));

        Assert.Contains("pools.standby.tokenEndpoint is 'nope'", error.Message, StringComparison.Ordinal);
    }
}
