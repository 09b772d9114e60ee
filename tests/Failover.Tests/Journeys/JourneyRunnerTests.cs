using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Failover.Journeys;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Tests.Execution;

namespace IdentityReplicator.Failover.Tests.Journeys;

/// <summary>
/// The journeys against a fake token endpoint (RS256 tokens, JWKS, relay) and fake pools: all pass on a healthy
/// target, and each one fails, with a detail that says why, when the target is broken the way it checks for.
/// </summary>
public sealed class JourneyRunnerTests : IAsyncLifetime
{
    private const string Monitor = "monitor@example.com";
    private const string Disabled = "monitor-disabled@example.com";
    private const string MachineClient = "partner-m2m";
    private const string Scope = "https://api.example.com/read";
    private const string Secret = "s3cret-value-same-in-both-pools";
    private const string Callback = "https://app.example.com/callback";

    private readonly FakeTokenServer _standbyDomain = new("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Standby1");
    private readonly FakeJourneyPools _pools = new();
    private FailoverPlan _plan = null!;

    public Task InitializeAsync()
    {
        _plan = PlanReader.Parse(PlanText(_standbyDomain));
        _standbyDomain.Clients["west-m2m"] = (Secret, [Scope, "https://api.example.com/write"]);
        _standbyDomain.RelayMap["east-m2m"] = "west-m2m";
        _pools.Users.Standby[Monitor] = new(true, Guid.NewGuid().ToString(), ["monitors"], Guid.NewGuid().ToString());
        _pools.Users.Standby[Disabled] = new(false, Guid.NewGuid().ToString(), [], null);
        _pools.Clients.Primary.Add(new JourneyClient("east-m2m", MachineClient, Secret, [], ["client_credentials"], [Scope]));
        _pools.Clients.Standby.Add(new JourneyClient("west-m2m", MachineClient, Secret, [], ["client_credentials"], [Scope]));
        _pools.Clients.Standby.Add(new JourneyClient("client-west", "app", null, [Callback, "https://app.example.com/other"], ["code"], ["openid"]));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _standbyDomain.DisposeAsync();

    [Fact]
    public async Task Run_HealthyStandby_EveryJourneyPassesWithTimeAndDetail()
    {
        var results = await RunAsync();

        Assert.Equal(
            [JourneyRunner.PasswordSignIn, JourneyRunner.M2mToken, JourneyRunner.RelayToken, JourneyRunner.DisabledUserRefused, JourneyRunner.GroupClaims, JourneyRunner.PrimarySubClaim, JourneyRunner.HostedUiConfig],
            results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Detail}"));
        Assert.All(results, r => Assert.True(r.Seconds >= 0));
        Assert.Contains("signature valid", Single(results, JourneyRunner.M2mToken).Detail, StringComparison.Ordinal);
        Assert.Contains("as east-m2m", Single(results, JourneyRunner.RelayToken).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_SecretNotTheTargetPools_FailsWithInvalidClient()
    {
        _standbyDomain.Clients["west-m2m"] = ("another-secret", [Scope]);

        var m2m = Single(await RunAsync(), JourneyRunner.M2mToken);

        Assert.False(m2m.Passed);
        Assert.Contains("HTTP 400 invalid_client", m2m.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, m2m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_ScopeNotAllowedInTheTarget_FailsWithInvalidScope()
    {
        _standbyDomain.Clients["west-m2m"] = (Secret, ["https://api.example.com/write"]);

        var m2m = Single(await RunAsync(), JourneyRunner.M2mToken);

        Assert.False(m2m.Passed);
        Assert.Contains("invalid_scope", m2m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_TokenWithoutTheExpectedScope_FailsNamingTheScope()
    {
        _standbyDomain.GrantOnly = ["https://api.example.com/write"];

        var m2m = Single(await RunAsync(), JourneyRunner.M2mToken);

        Assert.False(m2m.Passed);
        Assert.Contains($"lacks scope(s) {Scope}", m2m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_SignatureNotByTheJwksKey_Fails()
    {
        _standbyDomain.SignWithOtherKey = true;

        var m2m = Single(await RunAsync(), JourneyRunner.M2mToken);

        Assert.False(m2m.Passed);
        Assert.Contains("signature does not verify", m2m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_IssuerOfAnotherPool_Fails()
    {
        _standbyDomain.IssuerOverride = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Primary1";

        var results = await RunAsync();

        Assert.All(new[] { JourneyRunner.M2mToken, JourneyRunner.RelayToken }, name =>
        {
            Assert.False(Single(results, name).Passed);
            Assert.Contains("its issuer is 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Primary1'", Single(results, name).Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RelayToken_RelayDoesNotKnowThePrimaryClientId_FailsWithInvalidClient()
    {
        _standbyDomain.RelayMap.Clear();

        var results = await RunAsync();

        Assert.True(Single(results, JourneyRunner.M2mToken).Passed);
        var relay = Single(results, JourneyRunner.RelayToken);
        Assert.False(relay.Passed);
        Assert.Contains("through the relay", relay.Detail, StringComparison.Ordinal);
        Assert.Contains("invalid_client", relay.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task M2mToken_ClientNotReplicated_FailsNamingTheClient()
    {
        _pools.Clients.Standby.RemoveAll(c => c.Name == MachineClient);

        var m2m = Single(await RunAsync(), JourneyRunner.M2mToken);

        Assert.False(m2m.Passed);
        Assert.Contains($"{MachineClient}: no app client of that name in us-west-2_Standby1", m2m.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledUserRefused_UserEnabledInTheTarget_Fails()
    {
        _pools.Users.Standby[Disabled] = _pools.Users.Standby[Disabled] with { Enabled = true };

        var disabled = Single(await RunAsync(), JourneyRunner.DisabledUserRefused);

        Assert.False(disabled.Passed);
        Assert.Contains("is enabled there but must be disabled", disabled.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledUserRefused_UserMissingInTheTarget_Fails()
    {
        _pools.Users.Standby.Remove(Disabled);

        var disabled = Single(await RunAsync(), JourneyRunner.DisabledUserRefused);

        Assert.False(disabled.Passed);
        Assert.Contains("is not in us-west-2_Standby1", disabled.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupClaims_MembershipMissingInTheTarget_FailsNamingTheGroup()
    {
        _pools.Users.Standby[Monitor] = _pools.Users.Standby[Monitor] with { Groups = ["others"] };

        var groups = Single(await RunAsync(), JourneyRunner.GroupClaims);

        Assert.False(groups.Passed);
        Assert.Contains("cognito:groups lacks monitors (has: others)", groups.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrimarySubClaim_ClaimMissingInTheStandby_Fails()
    {
        _pools.Users.Standby[Monitor] = _pools.Users.Standby[Monitor] with { PrimarySub = null };

        var sub = Single(await RunAsync(), JourneyRunner.PrimarySubClaim);

        Assert.False(sub.Passed);
        Assert.Contains("has no 'primary_sub'", sub.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrimarySubClaim_ClaimMissingInThePrimaryWhereTheSubIsOriginal_Passes()
    {
        _pools.Users.Primary[Monitor] = new(true, Guid.NewGuid().ToString(), ["monitors"], null);

        var sub = Single(await new JourneyRunner(_plan, new AlwaysHealthy(), _pools, new HttpTokenEndpoint(new HttpClient()), TimeProvider.System).RunAsync(PoolRole.Primary, CancellationToken.None), JourneyRunner.PrimarySubClaim);

        Assert.True(sub.Passed, sub.Detail);
    }

    [Fact]
    public async Task HostedUiConfig_CallbackUrlMissingInTheTargetClient_FailsNamingTheUrl()
    {
        var app = _pools.Clients.Standby.Single(c => c.ClientId == "client-west");
        _pools.Clients.Standby[_pools.Clients.Standby.IndexOf(app)] = app with { CallbackUrls = ["https://app.example.com/other"] };

        var hosted = Single(await RunAsync(), JourneyRunner.HostedUiConfig);

        Assert.False(hosted.Passed);
        Assert.Contains($"lacks callback URL(s) {Callback}", hosted.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordSignIn_MonitorRefused_Fails()
    {
        var results = await new JourneyRunner(_plan, new RefusingSignIn(), _pools, new HttpTokenEndpoint(new HttpClient()), TimeProvider.System).RunAsync(PoolRole.Standby, CancellationToken.None);

        Assert.False(Single(results, JourneyRunner.PasswordSignIn).Passed);
        Assert.Contains("NotAuthorizedException", Single(results, JourneyRunner.PasswordSignIn).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_EveryJourney_SaysWhatItChecksBeforeAnythingRuns()
    {
        var preview = JourneyRunner.Describe(_plan, PoolRole.Standby);

        Assert.Equal(7, preview.Count);
        Assert.Contains(preview, p => p.Name == JourneyRunner.M2mToken && p.Checks.Contains(Scope, StringComparison.Ordinal) && p.Checks.Contains(_standbyDomain.JwksUri.ToString(), StringComparison.Ordinal));
        Assert.Contains(preview, p => p.Name == JourneyRunner.HostedUiConfig && p.Checks.Contains(Callback, StringComparison.Ordinal));
        Assert.Contains(preview, p => p.Name == JourneyRunner.DisabledUserRefused && p.Checks.Contains(Disabled, StringComparison.Ordinal));
    }

    internal static string PlanText(FakeTokenServer standby) => FakeEnvironment.PlanText
        .Replace(
            "standby: { region: us-west-2, userPoolId: us-west-2_Standby1, appClientId: client-west }",
            $"standby: {{ region: us-west-2, userPoolId: us-west-2_Standby1, appClientId: client-west, tokenEndpoint: \"{standby.TokenEndpoint}\", jwksUri: \"{standby.JwksUri}\" }}",
            StringComparison.Ordinal)
        .Replace(
            "primary: { region: us-east-1, userPoolId: us-east-1_Primary1, appClientId: client-east }",
            "primary: { region: us-east-1, userPoolId: us-east-1_Primary1, appClientId: client-east, tokenEndpoint: \"https://auth-east.example.com/oauth2/token\" }",
            StringComparison.Ordinal)
        .Replace(
            "preflight: { driftSample: 0 }",
            $$"""
            journeys:
              disabledUser: {{Disabled}}
              groups: [monitors]
              primarySubClaim: primary_sub
              callbackUrls: [{{Callback}}]
              machineClients:
                - { name: {{MachineClient}}, scopes: [{{Scope}}] }
              relayEndpoint: "{{standby.RelayEndpoint}}"
            preflight: { driftSample: 0 }
            """,
            StringComparison.Ordinal);

    private async Task<IReadOnlyList<JourneyResult>> RunAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await new JourneyRunner(_plan, new AlwaysHealthy(), _pools, new HttpTokenEndpoint(http), TimeProvider.System).RunAsync(PoolRole.Standby, CancellationToken.None);
    }

    private static JourneyResult Single(IEnumerable<JourneyResult> results, string name) => results.Single(r => r.Name == name);

    private sealed class RefusingSignIn : Failover.Preflight.ISignInProbe
    {
        public Task<(bool Succeeded, string Detail)> SignInAsync(PoolRole role, CancellationToken cancellationToken) => Task.FromResult((false, "us-west-2_Standby1: NotAuthorizedException"));
    }
}
