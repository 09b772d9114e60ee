using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Core.Compare;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.Pools;
using IdentityReplicator.Failover.Journal;
using IdentityReplicator.Sandbox;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>One sandbox with short promotion and DNS delays, and a worker, for the failover drills.</summary>
public sealed class FailoverSandboxFixture : IAsyncLifetime
{
    private RunningWorker? _worker;

    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await TestSandbox.StartAsync(new SandboxOptions { PromotionDelay = TimeSpan.FromMilliseconds(300), DnsPropagationDelay = TimeSpan.FromMilliseconds(200), JourneyUsers = true });
        _worker = await Sandbox.StartWorkerAsync(new Dictionary<string, string?> { ["Reconciler:IdlePollInterval"] = "00:00:00.200" });
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>idrep failover</c> as an operator runs it, on the sandbox: a drill moves DNS, client config, the database writer
/// and the direction of replication to the standby; a user signing up there reaches the primary; failback returns
/// everything with zero drift; and a drill killed with SIGKILL resumes without repeating a side effect.
/// </summary>
public sealed class FailoverDrillTests(FailoverSandboxFixture fixture) : IClassFixture<FailoverSandboxFixture>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private readonly SandboxEnvironment _sandbox = fixture.Sandbox;

    [Fact]
    public async Task DrillThenFailback_InTheSandbox_MovesEverythingAndBackWithZeroDrift()
    {
        AssertPrimaryActive();
        var primary = _sandbox.UserDirectory(_sandbox.Primary);
        var standby = _sandbox.UserDirectory(_sandbox.Standby);
        var before = $"drill-before-{Guid.NewGuid():N}"[..20] + "@example.com";
        await SignUpAsync(_sandbox.Primary, before);
        await Eventually.TrueAsync(async () => await standby.FindUserAsync(before, CancellationToken.None) is not null, TimeSpan.FromSeconds(30), "the user to reach the standby");

        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "drill", "--plan", _sandbox.PlanFile, "--json");

        Assert.True(exit == 0, output);
        var drill = LastJson(output);
        Assert.True((bool)drill["succeeded"]!, output);
        var steps = drill["steps"]!.AsArray();
        Assert.Equal(9, steps.Count);
        Assert.All(steps, s => Assert.Equal("Succeeded", (string?)s!["state"]));
        AssertCapacityRaisedBeforeDns(steps);
        AssertReplicatedStoresChecked(drill["checks"]!.AsArray());
        Assert.Equal((FailoverSandbox.ActiveSize, FailoverSandbox.ActiveSize, FailoverSandbox.ActiveSize), _sandbox.Failover.Beanstalk.Size(_sandbox.Standby.Region, FailoverSandbox.StandbyEnvironment));
        Assert.All(steps, s => Assert.True((double)s!["seconds"]! >= 0));
        Assert.True((double)drill["rtoSeconds"]! > 0);
        Assert.NotNull(drill["rpoEstimateSeconds"]);
        Assert.True(File.Exists((string?)drill["reports"]!["html"]));
        AssertJourneysPassed(drill, output);
        AssertActive(_sandbox.Standby, FailoverSandbox.StandbyCluster);

        var after = $"drill-after-{Guid.NewGuid():N}"[..20] + "@example.com";
        await SignUpAsync(_sandbox.Standby, after);
        await Eventually.TrueAsync(async () => await primary.FindUserAsync(after, CancellationToken.None) is not null, TimeSpan.FromSeconds(30), "a user who signed up in the standby, now the source, to reach the primary");

        var (backExit, backOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "failback", "--plan", _sandbox.PlanFile, "--json");

        Assert.True(backExit == 0, backOutput);
        Assert.True((bool)LastJson(backOutput)["succeeded"]!, backOutput);
        AssertJourneysPassed(LastJson(backOutput), backOutput);
        AssertPrimaryActive();
        Assert.Equal(FailoverSandbox.WarmSize, _sandbox.Failover.Beanstalk.Size(_sandbox.Standby.Region, FailoverSandbox.StandbyEnvironment).Min);
        Assert.Equal((FailoverSandbox.ActiveSize, FailoverSandbox.ActiveSize, FailoverSandbox.ActiveSize), _sandbox.Failover.Beanstalk.Size(_sandbox.Primary.Region, FailoverSandbox.PrimaryEnvironment));
        var differences = await Eventually.ReturnsAsync(() => DriftAsync(primary, standby), d => d.Count == 0, TimeSpan.FromSeconds(30), "zero drift after failback");
        Assert.Empty(differences);

        var last = $"drill-last-{Guid.NewGuid():N}"[..20] + "@example.com";
        await SignUpAsync(_sandbox.Primary, last);
        await Eventually.TrueAsync(async () => await standby.FindUserAsync(last, CancellationToken.None) is not null, TimeSpan.FromSeconds(30), "replication to run primary → standby again");
    }

    /// <summary>Every journey of the sandbox plan ran against the new primary and passed (the token ones included: the sandbox serves OAuth2).</summary>
    private static void AssertJourneysPassed(JsonObject run, string output)
    {
        var journeys = run["journeys"]!.AsArray();
        var names = journeys.Select(j => (string?)j!["name"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "password-sign-in", "m2m-token", "relay-token", "disabled-user-refused", "group-claims", "primary-sub-claim", "hosted-ui-config" }, names);
        Assert.All(journeys, j => Assert.True((bool)j!["passed"]!, $"{j["name"]}: {j["detail"]}\n{output}"));
        Assert.All(journeys, j => Assert.True((double)j!["seconds"]! >= 0));
    }

    /// <summary>Preflight read all three replicated stores of the sandbox plan, and each was replicated to the standby.</summary>
    private void AssertReplicatedStoresChecked(JsonArray checks)
    {
        string Detail(string name)
        {
            var check = checks.Single(c => (string?)c!["name"] == name)!;
            Assert.True((bool)check["passed"]!, (string?)check["detail"]);
            return (string?)check["detail"] ?? string.Empty;
        }

        Assert.Contains($"{FailoverSandbox.PrimaryBucket} → {FailoverSandbox.StandbyBucket} (rule to-standby): latency", Detail("s3-replication"), StringComparison.Ordinal);
        Assert.Equal($"{FailoverSandbox.ApplicationSecret}: replica in {_sandbox.Standby.Region} InSync", Detail("secret-replicas"));
        Assert.Equal($"{FailoverSandbox.KmsAlias}: present in {_sandbox.Standby.Region}", Detail("kms-replicas"));
    }

    private static JsonObject Check(string output, string name) =>
        LastJson(output)["checks"]!.AsArray().Single(c => (string?)c!["name"] == name)!.AsObject();

    /// <summary>The capacity step raised the standby's tier from 1 to 4, timed, and ended before the DNS step began.</summary>
    private static void AssertCapacityRaisedBeforeDns(JsonArray steps)
    {
        var capacity = steps.Single(s => (string?)s!["name"] == "capacity")!;
        var dns = steps.Single(s => (string?)s!["name"] == "dns")!;
        Assert.Contains($"{FailoverSandbox.StandbyEnvironment} {FailoverSandbox.WarmSize} → {FailoverSandbox.ActiveSize}", (string?)capacity["detail"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse((string)capacity["endedAt"]!, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.Parse((string)dns["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture), "DNS moved before the capacity was healthy");
    }

    [Fact]
    public async Task Drill_KilledAfterTheDnsStepAndResumed_FinishesWithoutRepeatingASideEffect()
    {
        AssertPrimaryActive();
        var failover = _sandbox.Failover;
        var (route53, promotions, ssm) = (failover.Route53.EffectiveChanges, failover.Rds.Promotions, failover.Ssm.EffectiveWrites);
        var journal = new DynamoDbExecutionJournal(_sandbox.Dynamo, _sandbox.TableName);
        var known = (await journal.ListRunsAsync(50, CancellationToken.None)).Select(r => r.RunId).ToHashSet();

        // The standby's application is down, so verification keeps retrying: the run is killed while it waits.
        failover.UnhealthyRegions.Add(_sandbox.Standby.Region);
        string runId;
        using (var drill = IdrepProcess.Start("failover", "drill", "--plan", _sandbox.PlanFile, "--json", "--force", "health"))
        {
            runId = await Eventually.ReturnsAsync(
                async () =>
                {
                    var run = (await journal.ListRunsAsync(5, CancellationToken.None)).FirstOrDefault(r => !known.Contains(r.RunId));
                    var dns = run is null ? null : (await journal.GetStepsAsync(run.RunId, CancellationToken.None)).FirstOrDefault(s => s.Name == "dns");
                    return dns?.State == StepState.Succeeded ? run!.RunId : null;
                },
                id => id is not null,
                TimeSpan.FromSeconds(90),
                "the drill to complete its dns step") ?? string.Empty;
            Assert.False(drill.HasExited, drill.Output);
            drill.Kill();
        }

        failover.UnhealthyRegions.Clear();
        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "resume", "--plan", _sandbox.PlanFile, "--run", runId, "--json");

        Assert.True(exit == 0, output);
        var resumed = LastJson(output);
        Assert.Equal(2, (int)resumed["attempts"]!);
        Assert.Equal((1, 1, 8), (failover.Route53.EffectiveChanges - route53, failover.Rds.Promotions - promotions, failover.Ssm.EffectiveWrites - ssm));
        var steps = await journal.GetStepsAsync(runId, CancellationToken.None);
        Assert.All(steps.Where(s => s.Name != "verify"), s => Assert.Equal(1, s.Attempts));
        AssertActive(_sandbox.Standby, FailoverSandbox.StandbyCluster);

        var (backExit, backOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "failback", "--plan", _sandbox.PlanFile, "--json");
        Assert.True(backExit == 0, backOutput);
        AssertPrimaryActive();
    }

    [Fact]
    public async Task Plan_SecretReplicaFailedAndKeyReplicaGone_WarnsByDefaultAndBlocksWhenThePlanSaysSo()
    {
        // Arrange: the secret's standby replica failed and the KMS key lost its standby replica; a copy of the plan blocks on them.
        var blocking = Path.Combine(_sandbox.DataDirectory, "blocking-plan.yaml");
        await File.WriteAllTextAsync(blocking, (await File.ReadAllTextAsync(_sandbox.PlanFile)).Replace("  mode: warn", "  mode: block", StringComparison.Ordinal));
        _sandbox.SecretsManager.Replicated(FailoverSandbox.ApplicationSecret).SetReplica(_sandbox.Standby.Region, "Failed");
        _sandbox.Failover.Kms.RemoveReplica(_sandbox.Failover.KmsKeyId, _sandbox.Standby.Region);
        try
        {
            // Act
            var (warnExit, warnOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "plan", "--plan", _sandbox.PlanFile, "--json");
            var (blockExit, blockOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "plan", "--plan", blocking, "--json");

            // Assert
            Assert.True(warnExit == 0, warnOutput);
            var secret = Check(warnOutput, "secret-replicas");
            var key = Check(warnOutput, "kms-replicas");
            Assert.True((bool)secret["passed"]! && (bool)key["passed"]!, warnOutput);
            Assert.Equal($"warning (replicatedStores.mode: warn): {FailoverSandbox.ApplicationSecret}: replica in {_sandbox.Standby.Region} Failed", (string?)secret["detail"]);
            Assert.Equal($"warning (replicatedStores.mode: warn): {FailoverSandbox.KmsAlias}: no replica in {_sandbox.Standby.Region}; create one (KMS ReplicateKey)", (string?)key["detail"]);
            Assert.Equal(1, blockExit);
            Assert.False((bool)Check(blockOutput, "secret-replicas")["passed"]!, blockOutput);
            Assert.False((bool)Check(blockOutput, "kms-replicas")["passed"]!, blockOutput);
        }
        finally
        {
            _sandbox.SecretsManager.Replicated(FailoverSandbox.ApplicationSecret).SetReplica(_sandbox.Standby.Region, "InSync");
            _sandbox.Failover.Kms.RestoreReplica(_sandbox.Failover.KmsKeyId, _sandbox.Standby.Region);
        }
    }

    [Fact]
    public async Task Plan_RecordAndParameterThatDoNotExist_FailsNamingThem()
    {
        var plan = Path.Combine(_sandbox.DataDirectory, "broken-plan.yaml");
        await File.WriteAllTextAsync(plan, (await File.ReadAllTextAsync(_sandbox.PlanFile))
            .Replace(FailoverSandbox.RecordName, "typo.sandbox.idrep.test.", StringComparison.Ordinal)
            .Replace(FailoverSandbox.ParameterPrefix + "region", FailoverSandbox.ParameterPrefix + "regoin", StringComparison.Ordinal));

        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "plan", "--plan", plan, "--json");

        Assert.Equal(1, exit);
        var check = LastJson(output)["checks"]!.AsArray().Single(c => (string?)c!["name"] == "plan-resources")!;
        Assert.False((bool)check["passed"]!);
        Assert.Contains("dns.records[0] 'typo.sandbox.idrep.test. CNAME' does not exist", (string?)check["detail"], StringComparison.Ordinal);
        Assert.Contains($"clientConfig.parameters[2] '{FailoverSandbox.ParameterPrefix}regoin' does not exist", (string?)check["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MisspelledField_ExitsWithUsageErrorNamingIt()
    {
        var plan = Path.Combine(_sandbox.DataDirectory, "typo-plan.yaml");
        await File.WriteAllTextAsync(plan, (await File.ReadAllTextAsync(_sandbox.PlanFile)).Replace("hostedZoneId:", "hostedZoneID:", StringComparison.Ordinal));

        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "plan", "--plan", plan);

        Assert.Equal(2, exit);
        Assert.Contains("dns.hostedZoneID is not a plan field; did you mean 'hostedZoneId'?", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_WithoutConfirmation_IsRefusedAndChangesNothing()
    {
        var epoch = (await new Core.Control.DynamoDbReplicationControlStore(_sandbox.Dynamo, new MirrorOptions { TableName = _sandbox.TableName }).GetAsync(CancellationToken.None))?.Epoch;

        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "execute", "--plan", _sandbox.PlanFile, "--confirm", "production");

        Assert.Equal(2, exit);
        Assert.Contains("--confirm sandbox", output, StringComparison.Ordinal);
        Assert.Equal(epoch, (await new Core.Control.DynamoDbReplicationControlStore(_sandbox.Dynamo, new MirrorOptions { TableName = _sandbox.TableName }).GetAsync(CancellationToken.None))?.Epoch);
    }

    [Fact]
    public async Task DrillAndStatus_OutputPiped_KeepReportPathAndRunIdWhole()
    {
        // Arrange: a report folder whose path alone is longer than the 80 columns a pipe used to be given.
        AssertPrimaryActive();
        var reports = Path.Combine(_sandbox.DataDirectory, "reports-in-a-folder-whose-name-alone-is-longer-than-eighty-columns-of-a-ci-log");

        // Act: text output, read through a pipe as tee or a CI log reads it.
        var (exit, output) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "drill", "--plan", _sandbox.PlanFile, "--reports", reports);
        var (backExit, backOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "failback", "--plan", _sandbox.PlanFile, "--reports", reports, "-o", "json");
        var (statusExit, status) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "status", "--plan", _sandbox.PlanFile);

        // Assert: the path and the run id are whole on their lines, and the status table shows the id unbroken.
        Assert.True(exit == 0, output);
        Assert.True(backExit == 0 && (bool)LastJson(backOutput)["succeeded"]!, backOutput);
        Assert.Equal(0, statusExit);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var report = Assert.Single(lines, l => l.StartsWith("Report: ", StringComparison.Ordinal))["Report: ".Length..];
        Assert.True(File.Exists(report), $"'{report}' is not the report file: {output}");
        var run = System.Text.RegularExpressions.Regex.Match(output, @"(?m)^Run (\d{8}-\d{6}-[0-9a-f]{4}) \(drill");
        Assert.True(run.Success, output);
        Assert.Contains(run.Groups[1].Value, status, StringComparison.Ordinal);
        AssertPrimaryActive();
    }

    private void AssertPrimaryActive() => AssertActive(_sandbox.Primary, FailoverSandbox.PrimaryCluster);

    private void AssertActive(SandboxPool pool, string cluster)
    {
        var failover = _sandbox.Failover;
        Assert.Equal([FailoverSandbox.TargetFor(pool.Region)], failover.Route53.Get(failover.HostedZoneId, FailoverSandbox.RecordName, "CNAME")!.ResourceRecords);
        foreach (var region in new[] { _sandbox.Primary.Region, _sandbox.Standby.Region })
        {
            foreach (var (name, value) in FailoverSandbox.Parameters)
            {
                Assert.Equal(value(pool), failover.Ssm.Get(region, name));
            }
        }

        Assert.EndsWith(":cluster:" + cluster, failover.Rds.WriterOf(FailoverSandbox.GlobalClusterId), StringComparison.Ordinal);
    }

    private async Task SignUpAsync(SandboxPool pool, string email)
    {
        var client = _sandbox.Client(pool);
        await client.SignUpAsync(new SignUpRequest(pool.AppClientId, email, "Passw0rd!" + Guid.NewGuid().ToString("N")[..6]) { UserAttributes = [new AttributeType("email", email), new AttributeType("custom:tier", "pro")] });
        await client.ConfirmSignUpAsync(new ConfirmSignUpRequest(pool.AppClientId, email, _sandbox.ConfirmationCode));
    }

    private static async Task<List<string>> DriftAsync(IUserDirectory primary, IUserDirectory standby)
    {
        var standbyUsers = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        await foreach (var user in standby.ListUsersAsync(CancellationToken.None))
        {
            standbyUsers[user.Attributes["email"]] = user;
        }

        var differences = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var user in primary.ListUsersAsync(CancellationToken.None))
        {
            var email = user.Attributes["email"];
            seen.Add(email);
            standbyUsers.TryGetValue(email, out var counterpart);
            var diff = UserComparison.Compare(user, null, counterpart, null, name => !name.StartsWith("cognito:", StringComparison.Ordinal) && name is not ("sub" or "custom:primary_sub"));
            differences.AddRange(diff.Select(d => $"{email}: {d}"));
        }

        differences.AddRange(standbyUsers.Keys.Where(e => !seen.Contains(e)).Select(e => $"{e}: only in the standby"));
        return differences;
    }

    private static JsonObject LastJson(string output) =>
        JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{')))!.AsObject();
}
