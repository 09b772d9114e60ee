using System.Text.Json.Nodes;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Replicator.Native;
using IdentityReplicator.Sandbox.Failover;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace IdentityReplicator.Integration.Tests.Native;

/// <summary>
/// <c>idrep failover drill</c> with the sandbox's native plan (<c>cognito: { mode: native }</c>): preflight finds the
/// simulated replica ACTIVE and caught up, the mirror's steps report themselves skipped, the client configuration moves
/// to the standby Region with the same pool id, the journeys a secondary serves pass against it, and failback returns.
/// </summary>
[Collection(NativeSandboxCollection.Name)]
public sealed class NativeFailoverDrillTests(NativeSandboxFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task DrillThenFailback_NativePlan_PassesTheSecondarysJourneysAndReturns()
    {
        // Arrange: the canary preflight writes, made as a native-mode worker makes it (idempotent)
        var sandbox = fixture.Sandbox;
        var replica = sandbox.NativeReplica!;
        var client = sandbox.Client(sandbox.Primary);
        var canary = new NativeCanary(
            sandbox.UserDirectory(sandbox.Primary),
            sandbox.UserDirectory(replica),
            (attributes, ct) => client.AddCustomAttributesRawAsync(sandbox.Primary.UserPoolId, attributes, ct),
            new NativeReplicationOptions(),
            new NativeLagMonitor(TimeProvider.System, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)),
            TimeProvider.System,
            NullLogger<NativeCanary>.Instance);
        await canary.PrepareAsync(CancellationToken.None);
        var plan = sandbox.NativePlanFile!;

        // Act
        var (exit, drillOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "drill", "--plan", plan, "--json");

        // Assert
        Assert.True(exit == 0, drillOutput);
        var drill = LastJson(drillOutput);
        Assert.True((bool)drill["succeeded"]!, drillOutput);
        output.WriteLine($"drill RTO {drill["rtoSeconds"]} s; native-replica check: {drill["checks"]!.AsArray().Single(c => (string?)c!["name"] == "native-replica")!["detail"]}");
        var checks = drill["checks"]!.AsArray();
        Assert.Contains(checks, c => (string?)c!["name"] == "native-replica" && (bool)c["passed"]! && ((string?)c["detail"])!.Contains("ACTIVE and caught up", StringComparison.Ordinal));
        Assert.Contains(checks, c => (string?)c!["name"] == "replication-lag" && ((string?)c["detail"])!.StartsWith("skipped in native mode", StringComparison.Ordinal));
        var steps = drill["steps"]!.AsArray();
        Assert.All(steps.Where(s => (string?)s!["name"] is "fence" or "drain" or "reverse-replication"), s => Assert.StartsWith("skipped in native mode", (string?)s!["detail"], StringComparison.Ordinal));
        Assert.Contains(steps, s => (string?)s!["name"] == "native-replica" && (string?)s["state"] == "Succeeded");
        AssertJourneysPassed(drill, drillOutput);
        AssertClientConfig(replica);

        var (backExit, backOutput) = await IdrepProcess.RunAsync(CommandTimeout, "failover", "failback", "--plan", plan, "--json");

        Assert.True(backExit == 0, backOutput);
        Assert.True((bool)LastJson(backOutput)["succeeded"]!, backOutput);
        output.WriteLine($"failback RTO {LastJson(backOutput)["rtoSeconds"]} s");
        AssertJourneysPassed(LastJson(backOutput), backOutput);
        AssertClientConfig(sandbox.Primary);
    }

    /// <summary>The journeys a secondary serves ran and passed; none that writes a user (a secondary refuses those).</summary>
    private static void AssertJourneysPassed(JsonObject run, string output)
    {
        var journeys = run["journeys"]!.AsArray();
        var names = journeys.Select(j => (string?)j!["name"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "password-sign-in", "disabled-user-refused", "group-claims" }, names);
        Assert.All(journeys, j => Assert.True((bool)j!["passed"]!, $"{j["name"]}: {j["detail"]}\n{output}"));
    }

    /// <summary>Every client-config parameter holds the active side's value (the same pool id; the Region moves) in both Regions, and the record points there.</summary>
    private void AssertClientConfig(Sandbox.SandboxPool active)
    {
        var failover = fixture.Sandbox.Failover;
        Assert.Equal([FailoverSandbox.TargetFor(active.Region)], failover.Route53.Get(failover.HostedZoneId, FailoverSandbox.RecordName, "CNAME")!.ResourceRecords);
        foreach (var region in new[] { fixture.Sandbox.Primary.Region, fixture.Sandbox.Standby.Region })
        {
            foreach (var (name, value) in FailoverSandbox.Parameters)
            {
                Assert.Equal(value(active), failover.Ssm.Get(region, name));
            }
        }
    }

    private static JsonObject LastJson(string output) =>
        JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{')))!.AsObject();
}
