using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Failover.Preflight;

namespace IdentityReplicator.Failover.Tests.Native;

/// <summary>Preflight in native mode: the replica must be ACTIVE and caught up (one canary round trip); replicator-only checks say they were skipped.</summary>
public sealed class NativePreflightTests
{
    [Fact]
    public async Task RunAsync_ReplicaActiveAndCanaryArrives_PassesWithTheMeasuredLag()
    {
        var env = new NativeEnvironment(replicaCopies: true);

        var check = await NativeCheckAsync(env, PoolRole.Standby);

        Assert.True(check.Passed, check.Detail);
        Assert.Contains("ACTIVE and caught up: a canary written in us-east-1 arrived after", check.Detail, StringComparison.Ordinal);
        Assert.NotEqual("0", env.Primary.Users.Single(u => u.Username == "idrep-canary").Attributes["custom:idrep_canary"]);
        Assert.Contains(PoolRole.Standby, env.Replicas.ListedAt);
    }

    [Fact]
    public async Task RunAsync_CanaryNeverArrives_FailsNamingTheAllowedLag()
    {
        var env = new NativeEnvironment(replicaCopies: false);

        var check = await NativeCheckAsync(env, PoolRole.Standby);

        Assert.False(check.Passed);
        Assert.Contains("had not arrived after", check.Detail, StringComparison.Ordinal);
        Assert.Contains("(preflight.maxReplicationLag 0.3 s)", check.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReplicaStatus.Inactive, "is INACTIVE, not ACTIVE; review its Regional settings and activate it")]
    [InlineData(ReplicaStatus.Creating, "is CREATING, not ACTIVE")]
    [InlineData(null, "ListUserPoolReplicas in us-west-2 lists no replica of us-east-1_Native1 in us-west-2")]
    public async Task RunAsync_ReplicaNotActive_FailsAndSaysWhatToDo(string? status, string expected)
    {
        var env = new NativeEnvironment();
        env.Replicas.Set("us-west-2", status);

        var check = await NativeCheckAsync(env, PoolRole.Standby);

        Assert.False(check.Passed);
        Assert.Contains(expected, check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCanaryUser_SaysToRunTheWorkerOnce()
    {
        var env = new NativeEnvironment();
        await env.Primary.DeleteUserAsync("idrep-canary", CancellationToken.None);

        var check = await NativeCheckAsync(env, PoolRole.Standby);

        Assert.False(check.Passed);
        Assert.Contains("run 'idrep worker' with Replication:Mode native once", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Failback_ChecksThePrimaryRegionIsActiveWithoutACanary()
    {
        var env = new NativeEnvironment(replicaCopies: false);

        var check = await NativeCheckAsync(env, PoolRole.Primary);

        Assert.True(check.Passed, check.Detail);
        Assert.Contains("failing back to the primary Region", check.Detail, StringComparison.Ordinal);
        Assert.Equal("0", env.Primary.Users.Single(u => u.Username == "idrep-canary").Attributes["custom:idrep_canary"]);
    }

    [Fact]
    public async Task RunAsync_NativeMode_SkipsTheMirrorLagAndSaysSo()
    {
        var env = new NativeEnvironment();
        var lag = new NeverMeasured();

        var checks = await new PreflightChecks(env.Plan, env.Ports(lag), TimeProvider.System).RunAsync(PoolRole.Primary, PoolRole.Standby, CancellationToken.None);

        var replication = Assert.Single(checks, c => c.Name == PreflightChecks.ReplicationLag);
        Assert.True(replication.Passed);
        Assert.StartsWith("skipped in native mode:", replication.Detail, StringComparison.Ordinal);
        Assert.Equal(0, lag.Calls);
        Assert.Single(checks, c => c.Name == PreflightChecks.NativeReplica);
    }

    [Fact]
    public async Task RunAsync_CanaryInFlightToTheReplica_DoesNotCountAsDrift()
    {
        var env = new NativeEnvironment(replicaCopies: false, planText: NativeFakes.PlanText.Replace("driftSample: 0", "driftSample: 10", StringComparison.Ordinal));
        await env.Primary.UpdateAttributesAsync("idrep-canary", new Dictionary<string, string>(StringComparer.Ordinal) { ["custom:idrep_canary"] = "5" }, CancellationToken.None);

        var checks = await new PreflightChecks(env.Plan, env.Ports(), TimeProvider.System).RunAsync(PoolRole.Primary, PoolRole.Standby, CancellationToken.None);

        var drift = Assert.Single(checks, c => c.Name == PreflightChecks.Drift);
        Assert.True(drift.Passed, drift.Detail);
    }

    [Fact]
    public async Task RunAsync_ReplicatorMode_HasNoNativeReplicaCheck()
    {
        var env = new Execution.FakeEnvironment();

        var checks = await new PreflightChecks(env.Plan, env.Ports(), TimeProvider.System).RunAsync(PoolRole.Primary, PoolRole.Standby, CancellationToken.None);

        Assert.DoesNotContain(checks, c => c.Name == PreflightChecks.NativeReplica);
    }

    private static async Task<CheckResult> NativeCheckAsync(NativeEnvironment env, PoolRole to) =>
        (await new PreflightChecks(env.Plan, env.Ports(), TimeProvider.System).RunAsync(to.Other(), to, CancellationToken.None)).Single(c => c.Name == PreflightChecks.NativeReplica);

    private sealed class NeverMeasured : IReplicationLag
    {
        public int Calls { get; private set; }

        public Task<LagReport> MeasureAsync(ReplicationControl control, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new LagReport(0, 0, null, null, false));
        }
    }
}
