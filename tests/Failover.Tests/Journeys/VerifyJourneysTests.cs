using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Failover.Journeys;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Reports;
using IdentityReplicator.Failover.Steps;
using IdentityReplicator.Failover.Tests.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Journeys;

/// <summary>Verify runs the plan's journeys after the cut-over: a failed one fails the run (resumable), and every run report shows each.</summary>
public sealed class VerifyJourneysTests : IAsyncLifetime
{
    private readonly FakeTokenServer _standbyDomain = new("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Standby1");
    private readonly FakeJourneyPools _pools = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private FakeEnvironment _env = null!;

    public Task InitializeAsync()
    {
        _env = new FakeEnvironment(JourneyRunnerTests.PlanText(_standbyDomain).Replace("verify: 5s", "verify: 1s", StringComparison.Ordinal));
        _standbyDomain.Clients["west-m2m"] = ("secret", ["https://api.example.com/read"]);
        _standbyDomain.RelayMap["east-m2m"] = "west-m2m";
        _pools.Users.Standby["monitor@example.com"] = new(true, Guid.NewGuid().ToString(), ["monitors"], Guid.NewGuid().ToString());
        _pools.Users.Standby["monitor-disabled@example.com"] = new(false, Guid.NewGuid().ToString(), [], null);
        _pools.Clients.Primary.Add(new JourneyClient("east-m2m", "partner-m2m", "secret", [], ["client_credentials"], []));
        _pools.Clients.Standby.Add(new JourneyClient("west-m2m", "partner-m2m", "secret", [], ["client_credentials"], []));
        _pools.Clients.Standby.Add(new JourneyClient("client-west", "app", null, ["https://app.example.com/callback"], [], []));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _standbyDomain.DisposeAsync();
    }

    [Fact]
    public async Task Drill_EveryJourneyPasses_RunSucceedsAndEveryReportShowsEachJourney()
    {
        var result = await RunAsync();

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(7, result.Journeys.Count);
        Assert.All(result.Journeys, j => Assert.True(j.Passed, j.Detail));
        var json = RunReport.ToJson(result, _env.Plan);
        Assert.Equal(7, json["journeys"]!.AsArray().Count);
        Assert.All(json["journeys"]!.AsArray(), j => Assert.True((bool)j!["passed"]!));
        Assert.NotNull(json["journeys"]![0]!["seconds"]);
        Assert.Contains("| m2m-token | passed |", RunReport.ToMarkdown(result, _env.Plan), StringComparison.Ordinal);
        Assert.Contains("<table id=\"journeys\">", RunReport.ToHtml(result, _env.Plan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_OneJourneyFails_VerifyFailsNamingItAndTheReportShowsItFailed()
    {
        _pools.Users.Standby["monitor-disabled@example.com"] = _pools.Users.Standby["monitor-disabled@example.com"] with { Enabled = true };

        var result = await RunAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(StepState.Failed, result.Steps.Single(s => s.Name == VerifyStep.StepName).State);
        Assert.Contains("journey disabled-user-refused", result.Failure, StringComparison.Ordinal);
        Assert.False(result.Journeys.Single(j => j.Name == JourneyRunner.DisabledUserRefused).Passed);
        Assert.Contains("| disabled-user-refused | failed |", RunReport.ToMarkdown(result, _env.Plan), StringComparison.Ordinal);

        // Fixed in the standby, the run resumes from verify and passes.
        _pools.Users.Standby["monitor-disabled@example.com"] = _pools.Users.Standby["monitor-disabled@example.com"] with { Enabled = false };
        var resumed = await Runner().ResumeAsync(result.Run.RunId, new RunOptions(), CancellationToken.None);
        Assert.True(resumed.Succeeded, resumed.Failure);
        Assert.All(resumed.Journeys, j => Assert.True(j.Passed, j.Detail));
    }

    [Fact]
    public async Task Preview_PlanWithJourneys_ListsEachJourneyAndWhatItChecks()
    {
        var preview = await new FailoverOperations(_env.Plan, TimeProvider.System, NullLogger.Instance, _ => _env.Ports(journeys: _pools, tokens: new HttpTokenEndpoint(_http)))
            .PreviewAsync(Core.Configuration.PoolRole.Standby, CancellationToken.None);

        Assert.Equal(
            [JourneyRunner.PasswordSignIn, JourneyRunner.M2mToken, JourneyRunner.RelayToken, JourneyRunner.DisabledUserRefused, JourneyRunner.GroupClaims, JourneyRunner.PrimarySubClaim, JourneyRunner.HostedUiConfig],
            preview.Journeys.Select(j => j.Name));
        Assert.Contains("7 journey(s)", preview.Steps.Single(s => s.Name == VerifyStep.StepName).Does, StringComparison.Ordinal);
    }

    private FailoverRunner Runner() => new(_env.Plan, _env.Ports(journeys: _pools, tokens: new HttpTokenEndpoint(_http)), TimeProvider.System, NullLogger.Instance);

    private Task<RunResult> RunAsync() =>
        Runner().StartAsync(RunKind.Drill, new RunOptions { Force = new HashSet<string> { PreflightChecks.Health } }, CancellationToken.None);
}
