using IdentityReplicator.Core.CloudWatch;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.SecretsManager;
using IdentityReplicator.Failover.Execution;
using IdentityReplicator.Failover.Plans;
using IdentityReplicator.Failover.Preflight;
using IdentityReplicator.Failover.Tests.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Failover.Tests.Preflight;

/// <summary>Preflight's replicated-store checks: S3 replication lag, secret replicas, KMS multi-Region replicas; warn or block.</summary>
public sealed class ReplicatedStoreChecksTests
{
    private const string Section = """
        replicatedStores:
          mode: warn
          maxS3Lag: 5m
          s3:
            - buckets: { primary: assets-east, standby: assets-west }
              ruleIds: { primary: to-west, standby: to-east }
          secrets: [app/db]
          kmsKeys: [mrk-1]
        """;

    [Fact]
    public void Parse_Section_ReadsEveryStore()
    {
        // Act
        var stores = Plan("warn").ReplicatedStores;

        // Assert
        Assert.Equal((ReplicatedStoreMode.Warn, TimeSpan.FromMinutes(5)), (stores.Mode, stores.MaxS3Lag));
        Assert.Equal(("assets-east", "to-west"), (Assert.Single(stores.S3).Buckets.Primary, stores.S3[0].RuleIds.Primary));
        Assert.Equal<string>(["app/db"], stores.Secrets);
        Assert.Equal<string>(["mrk-1"], stores.KmsKeys);
    }

    [Fact]
    public async Task Preflight_OnlyS3Named_SecretAndKeyChecksPassWithNothingToCheck()
    {
        // Arrange: the sandbox's shape — buckets, no secrets or keys.
        var plan = PlanReader.Parse(FakeEnvironment.PlanText.Replace("signIn:", "replicatedStores:\n  s3:\n    - buckets: { primary: a, standby: b }\n      ruleIds: { primary: r1, standby: r2 }\nsignIn:", StringComparison.Ordinal));
        var stores = new FakeStores();

        // Act
        var secrets = await ReplicatedStoreChecks.SecretsAsync(plan, stores, PoolRole.Primary, PoolRole.Standby, CancellationToken.None);
        var keys = await ReplicatedStoreChecks.KmsAsync(plan, stores, PoolRole.Primary, PoolRole.Standby, CancellationToken.None);

        // Assert
        Assert.Equal((true, "no secrets to check"), (secrets.Passed, secrets.Detail));
        Assert.Equal((true, "no KMS keys to check"), (keys.Passed, keys.Detail));
        Assert.Empty(plan.ReplicatedStores.Secrets);
    }

    [Fact]
    public void Parse_UnknownMode_NamesTheFieldAndTheChoices()
    {
        // Act
        var error = Assert.Throws<PlanException>(() => Plan("stop"));

        // Assert
        Assert.Contains(error.Problems, p => p.Contains("replicatedStores.mode is 'stop'; it must be warn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preflight_AllReplicated_PassesWithEachStoresState()
    {
        // Arrange
        var stores = new FakeStores();

        // Act
        var checks = await PreflightAsync("block", stores);

        // Assert
        Assert.Contains("assets-east → assets-west (rule to-west): latency 12 s, 3 operations pending", Check(checks, PreflightChecks.S3Replication).Detail, StringComparison.Ordinal);
        Assert.Equal("app/db: replica in us-west-2 InSync", Check(checks, PreflightChecks.SecretReplicas).Detail);
        Assert.Equal("mrk-1: present in us-west-2", Check(checks, PreflightChecks.KmsReplicas).Detail);
        Assert.All(checks.Where(c => c.Name is PreflightChecks.S3Replication or PreflightChecks.SecretReplicas or PreflightChecks.KmsReplicas), c => Assert.True(c.Passed, c.Detail));
    }

    [Fact]
    public async Task Preflight_ProblemsInWarnMode_PassWithAWarningNamingThem()
    {
        // Arrange
        var stores = new FakeStores { Lag = new S3ReplicationLag(null, null), SecretStatus = "Failed", KeyReplicas = [] };

        // Act
        var checks = await PreflightAsync("warn", stores);

        // Assert
        var s3 = Check(checks, PreflightChecks.S3Replication);
        Assert.True(s3.Passed);
        Assert.Contains("warning (replicatedStores.mode: warn)", s3.Detail, StringComparison.Ordinal);
        Assert.Contains("the lag cannot be known", s3.Detail, StringComparison.Ordinal);
        Assert.True(Check(checks, PreflightChecks.SecretReplicas).Passed);
        Assert.Contains("replica in us-west-2 Failed", Check(checks, PreflightChecks.SecretReplicas).Detail, StringComparison.Ordinal);
        Assert.Contains("no replica in us-west-2", Check(checks, PreflightChecks.KmsReplicas).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProblemsInBlockMode_StopTheRunBeforeAnythingChanges()
    {
        // Arrange
        var env = new FakeEnvironment(FakeEnvironment.PlanText.Replace("signIn:", Section.Replace("mode: warn", "mode: block", StringComparison.Ordinal) + "\nsignIn:", StringComparison.Ordinal));
        var stores = new FakeStores { Lag = new S3ReplicationLag(900, 40) };
        var ports = env.Ports();
        var runner = new FailoverRunner(env.Plan, new FailoverPorts
        {
            Control = ports.Control, Journal = ports.Journal, Dns = ports.Dns, Database = ports.Database, ClientConfig = ports.ClientConfig,
            Pools = ports.Pools, Lag = ports.Lag, SignIn = ports.SignIn, Http = ports.Http, Capacity = ports.Capacity, ReplicatedStores = stores,
        }, TimeProvider.System, NullLogger.Instance);

        // Act
        var result = await runner.StartAsync(RunKind.Drill, new RunOptions(), CancellationToken.None);

        // Assert
        Assert.True(result.BlockedByPreflight);
        Assert.Contains("s3-replication: assets-east → assets-west (rule to-west): latency 900 s (over replicatedStores.maxS3Lag 300 s)", result.Failure, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), env.SideEffects);
        Assert.Equal(0, env.Capacity.ScaleCalls);
    }

    private static FailoverPlan Plan(string mode) =>
        PlanReader.Parse(FakeEnvironment.PlanText.Replace("signIn:", Section.Replace("mode: warn", $"mode: {mode}", StringComparison.Ordinal) + "\nsignIn:", StringComparison.Ordinal));

    private static async Task<IReadOnlyList<CheckResult>> PreflightAsync(string mode, FakeStores stores)
    {
        var plan = Plan(mode);
        return
        [
            await ReplicatedStoreChecks.S3Async(plan, stores, PoolRole.Primary, PoolRole.Standby, CancellationToken.None),
            await ReplicatedStoreChecks.SecretsAsync(plan, stores, PoolRole.Primary, PoolRole.Standby, CancellationToken.None),
            await ReplicatedStoreChecks.KmsAsync(plan, stores, PoolRole.Primary, PoolRole.Standby, CancellationToken.None),
        ];
    }

    private static CheckResult Check(IReadOnlyList<CheckResult> checks, string name) => checks.Single(c => c.Name == name);

    /// <summary>What AWS's replication reports, as a test sets it; records where each read went.</summary>
    private sealed class FakeStores : IReplicatedStores
    {
        public S3ReplicationLag Lag { get; init; } = new(12, 3);

        public string SecretStatus { get; init; } = "InSync";

        public IReadOnlyList<string> KeyReplicas { get; init; } = ["us-west-2"];

        public Task<S3ReplicationLag> S3LagAsync(string region, string sourceBucket, string destinationBucket, string ruleId, CancellationToken cancellationToken)
        {
            Assert.Equal("us-east-1", region);
            return Task.FromResult(Lag);
        }

        public Task<DescribeSecretResponse?> DescribeSecretAsync(string region, string secretId, CancellationToken cancellationToken) =>
            Task.FromResult<DescribeSecretResponse?>(new DescribeSecretResponse { Name = secretId, PrimaryRegion = region, ReplicationStatus = [new ReplicationStatusType { Region = "us-west-2", Status = SecretStatus }] });

        public Task<KmsKeyRegions?> DescribeKeyAsync(string region, string keyId, CancellationToken cancellationToken) =>
            Task.FromResult<KmsKeyRegions?>(new KmsKeyRegions(true, region, KeyReplicas));
    }
}
