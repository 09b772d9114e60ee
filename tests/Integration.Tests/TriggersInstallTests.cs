using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests;

/// <summary>`idrep triggers install`: a careful read-modify-write that changes the triggers and nothing else.</summary>
[Collection(SandboxCollection.Name)]
public sealed class TriggersInstallTests(SandboxFixture fixture)
{
    private const string Function = "arn:aws:lambda:us-west-2:123456789012:function:idrep-replicator";

    [Fact]
    public async Task Install_DryRun_PrintsTheExactChangeAndChangesNothing()
    {
        var before = await DescribeAsync();

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "triggers", "install", "--config", fixture.Sandbox.ConfigFile, "--pool", "standby", "--function-arn", Function, "--dry-run", "--json");

        Assert.Equal(0, exit);
        var report = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.False(report["applied"]!.GetValue<bool>());
        Assert.Equal(
            ["PostAuthentication", "PostConfirmation", "PreSignUp", "PreTokenGeneration"],
            report["changes"]!.AsArray().Select(c => c!["trigger"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.All(report["changes"]!.AsArray(), c => Assert.Equal(Function, c!["to"]!.GetValue<string>()));
        Assert.Equal(before.ToJsonString(), (await DescribeAsync()).ToJsonString());
    }

    [Fact]
    public async Task Install_Apply_ChangesOnlyTheTriggers()
    {
        var client = fixture.Sandbox.Client(fixture.Sandbox.Standby);
        await client.UpdateUserPoolRawAsync(new JsonObject
        {
            // Settings the install must carry through untouched.
            ["UserPoolId"] = fixture.Sandbox.Standby.UserPoolId,
            ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["EmailVerificationSubject"] = "Your code",
            ["MfaConfiguration"] = "OFF",
            ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12, ["RequireSymbols"] = true } },
            ["UserPoolTags"] = new JsonObject { ["team"] = "identity" },
            ["LambdaConfig"] = new JsonObject { ["CustomMessage"] = "arn:aws:lambda:us-west-2:123456789012:function:messages" },
        });
        var before = await DescribeAsync();

        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(60), "triggers", "install", "--config", fixture.Sandbox.ConfigFile, "--pool", "standby", "--function-arn", Function, "--apply");

        Assert.True(exit == 0, output);
        var after = await DescribeAsync();
        var lambda = after["LambdaConfig"]!.AsObject();
        Assert.Equal(Function, lambda["PreTokenGeneration"]!.GetValue<string>());
        Assert.Equal(Function, lambda["PreSignUp"]!.GetValue<string>());
        Assert.Equal("arn:aws:lambda:us-west-2:123456789012:function:messages", lambda["CustomMessage"]!.GetValue<string>());
        foreach (var (name, value) in before)
        {
            if (name is not ("LambdaConfig" or "LastModifiedDate"))
            {
                Assert.True(JsonNode.DeepEquals(value, after[name]), $"{name} changed: {value?.ToJsonString()} → {after[name]?.ToJsonString()}");
            }
        }

        Assert.Equal(before.Select(p => p.Key).Order(), after.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Install_SlotHeldByAnotherFunction_IsLeftAloneAndReported()
    {
        var installer = new UserPoolTriggers(fixture.Sandbox.Client(fixture.Sandbox.Primary));
        await fixture.Sandbox.Client(fixture.Sandbox.Primary).UpdateUserPoolRawAsync(new JsonObject
        {
            ["UserPoolId"] = fixture.Sandbox.Primary.UserPoolId,
            ["LambdaConfig"] = new JsonObject { ["PreSignUp"] = "arn:aws:lambda:us-east-1:123456789012:function:their-own" },
        });

        var plan = await installer.PlanAsync(fixture.Sandbox.Primary.UserPoolId, new Dictionary<string, string> { ["PreSignUp"] = Function }, replace: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<TriggerConflictException>(() =>
            installer.InstallAsync(fixture.Sandbox.Primary.UserPoolId, new Dictionary<string, string> { ["PreSignUp"] = Function }, replace: false, CancellationToken.None));

        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal("PreSignUp", conflict.Trigger);
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
    }

    private async Task<JsonObject> DescribeAsync() =>
        (await fixture.Sandbox.Client(fixture.Sandbox.Standby).DescribeUserPoolRawAsync(fixture.Sandbox.Standby.UserPoolId)).UserPool!;
}
