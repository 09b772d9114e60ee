using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Tests.Execution;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace IdentityReplicator.Failover.Tests.Preflight;

/// <summary>The standby-drift check's configuration part: a warning by default, a failed check when the plan says block, nothing when off.</summary>
public sealed class ConfigurationPreflightTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RunAsync_StandbyClientDiffersByDefault_PassesWithAWarningNamingTheSetting()
    {
        // Arrange
        var env = new FakeEnvironment();

        // Act
        var drift = await DriftCheckAsync(env, Pools("https://app.example.com/cb", "https://changed.example.com/cb"));

        // Assert
        Assert.True(drift.Passed, drift.Detail);
        Assert.Contains("configuration: 1 difference(s) in us-west-2_Standby1 (client web/CallbackURLs) (warning only", drift.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StandbyClientDiffersAndPlanSaysBlock_FailsNamingTheSettingAndTheFix()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight: { driftSample: 0, configurationDrift: block }", StringComparison.Ordinal));

        // Act
        var drift = await DriftCheckAsync(env, Pools("https://app.example.com/cb", "https://changed.example.com/cb"));

        // Assert
        Assert.False(drift.Passed, drift.Detail);
        Assert.Contains("client web/CallbackURLs", drift.Detail, StringComparison.Ordinal);
        Assert.Contains("run 'idrep drift --repair'", drift.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InStepAndPlanSaysBlock_Passes()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight: { driftSample: 0, configurationDrift: block }", StringComparison.Ordinal));

        // Act
        var drift = await DriftCheckAsync(env, Pools("https://app.example.com/cb", "https://app.example.com/cb"));

        // Assert
        Assert.True(drift.Passed, drift.Detail);
        Assert.Contains("configuration in step in us-west-2_Standby1", drift.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConfigurationUnreadableAndPlanSaysBlock_FailsWithTheCode()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight: { driftSample: 0, configurationDrift: block }", StringComparison.Ordinal));
        var pools = Pools("https://app.example.com/cb", "https://app.example.com/cb");
        pools.Standby.ReadAsync(Arg.Any<SecretFingerprinter>(), Arg.Any<CancellationToken>()).ThrowsAsync(CognitoErrors.Create("AccessDeniedException", "denied"));

        // Act
        var drift = await DriftCheckAsync(env, pools);

        // Assert
        Assert.False(drift.Passed, drift.Detail);
        Assert.Contains("configuration not compared: it could not be read (AccessDeniedException", drift.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlanSaysOff_DoesNotReadConfiguration()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight: { driftSample: 0, configurationDrift: off }", StringComparison.Ordinal));
        var pools = Pools("https://app.example.com/cb", "https://changed.example.com/cb");

        // Act
        var drift = await DriftCheckAsync(env, pools);

        // Assert
        Assert.True(drift.Passed, drift.Detail);
        Assert.DoesNotContain("configuration", drift.Detail, StringComparison.Ordinal);
        await pools.Standby.DidNotReceive().ReadAsync(Arg.Any<SecretFingerprinter>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Parse_ConfigurationDriftNotOneOfTheModes_IsRefusedNamingTheFieldAndTheModes()
    {
        // Act
        var error = Assert.Throws<PlanException>(() => PlanReader.Parse(FakeEnvironment.PlanText.Replace("preflight: { driftSample: 0 }", "preflight: { driftSample: 0, configurationDrift: strict }", StringComparison.Ordinal), "/plans/test.yaml"));

        // Assert
        Assert.Contains(error.Problems, p => p.Contains("preflight.configurationDrift is 'strict'; it must be 'warn'", StringComparison.Ordinal));
    }

    private static async Task<CheckResult> DriftCheckAsync(FakeEnvironment env, PerPool<IPoolConfigurationDirectory> pools)
    {
        var checks = await new PreflightChecks(env.Plan, env.Ports(configuration: pools), TimeProvider.System).RunAsync(PoolRole.Primary, PoolRole.Standby, None);
        return Assert.Single(checks, c => c.Name == PreflightChecks.Drift);
    }

    private static PerPool<IPoolConfigurationDirectory> Pools(string primaryCallback, string standbyCallback) =>
        new(Pool("us-east-1_Primary1", "us-east-1", primaryCallback), Pool("us-west-2_Standby1", "us-west-2", standbyCallback));

    private static IPoolConfigurationDirectory Pool(string id, string region, string callback)
    {
        var pool = Substitute.For<IPoolConfigurationDirectory>();
        pool.UserPoolId.Returns(id);
        pool.Region.Returns(region);
        pool.ReadAsync(Arg.Any<SecretFingerprinter>(), Arg.Any<CancellationToken>()).Returns(_ => PoolConfiguration.Assemble(
            region,
            new JsonObject { ["Id"] = id },
            null,
            [(new JsonObject { ["ClientName"] = "web", ["ClientId"] = id + "-web", ["CallbackURLs"] = new JsonArray(callback) }, ImmutableArray<ClientSecretState>.Empty)],
            [],
            [],
            null));
        return pool;
    }
}
