using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Failover;

/// <summary><c>idrep failover plan</c> says who can sign in after the failover before anything runs (issue 13).</summary>
[Collection(SandboxCollection.Name)]
public sealed class FailoverPlanRecoverabilityTests(SandboxFixture fixture)
{
    [Fact]
    public async Task FailoverPlan_SandboxPlan_CountsEveryPrimaryUserOnceAndReadsTheStandbysProviders()
    {
        // Arrange: the oracle is the primary pool's own listing.
        var sandbox = fixture.Sandbox;
        var users = await SandboxPools.ListUsersAsync(sandbox, sandbox.Primary);

        // Act
        var (_, json) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "failover", "plan", "--plan", sandbox.PlanFile, "-o", "json");
        var (_, text) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "failover", "plan", "--plan", sandbox.PlanFile);

        // Assert
        var r = JsonNode.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..])!["recoverability"];
        Assert.True(r?["signInAtOnce"] is not null, $"no recoverability counts in: {json}");
        var counted = new[] { "signInAtOnce", "forgotPassword", "reEnrolTotp", "needsAdministrator", "notReplicated", "disabled" }.Sum(k => (int)r![k]!);
        Assert.Equal(users.Count, counted);
        Assert.True((bool)r!["providersChecked"]!);
        Assert.True((bool)r["totpChecked"]!);
        Assert.Contains("Recoverability after the failover to " + sandbox.Standby.UserPoolId, text, StringComparison.Ordinal);
        Assert.Contains("forgot password (verified email or phone)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@", r.ToJsonString(), StringComparison.Ordinal);
    }
}
