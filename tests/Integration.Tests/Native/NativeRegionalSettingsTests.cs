using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Integration.Tests.Native;

/// <summary>
/// The native replica's Regional settings on the sandbox's simulated replica: drift's native header carries the canary
/// and the Regional comparison — in sync for a clean replica, naming a wrong trigger set at the replica's endpoint — and
/// <c>idrep replica-settings --apply</c> puts the replica back in step.
/// </summary>
[Collection(NativeSandboxCollection.Name)]
public sealed class NativeRegionalSettingsTests(NativeSandboxFixture fixture)
{
    [Fact]
    public async Task Drift_ReplicaWithAWrongTrigger_NamesItUntilReplicaSettingsApplyFixesIt()
    {
        // Arrange: a clean replica reports in sync, with the canary's figures in the header
        var (cleanExit, clean) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(180), "drift", "--config", fixture.NativeConfigFile, "-o", "json");
        Assert.True(cleanExit == 0, clean);
        var cleanNative = Report(clean)["native"]!;
        Assert.True(cleanNative["canary"]!["samples"]!.GetValue<long>() >= 1, clean);
        Assert.False(cleanNative["canary"]!["stale"]!.GetValue<bool>(), clean);
        Assert.DoesNotContain(cleanNative["regionalSettings"]!.AsArray(), f => (string?)f!["kind"] == "differs");
        var replica = fixture.Sandbox.NativeReplica!;
        var client = fixture.Sandbox.Client(replica);
        var wrong = $"arn:aws:lambda:{replica.Region}:111122223333:function:not-the-primarys";
        var request = ConfigurationRequests.UpdateUserPool((await client.DescribeUserPoolRawAsync(replica.UserPoolId)).UserPool!, replica.UserPoolId);
        request["LambdaConfig"] = new JsonObject { ["PreSignUp"] = wrong };
        await client.UpdateUserPoolRawAsync(request);

        // Act
        var (driftExit, drift) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(180), "drift", "--config", fixture.NativeConfigFile, "-o", "md");
        var (dryExit, dry) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "replica-settings", "--config", fixture.NativeConfigFile);
        var (applyExit, applied) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), "replica-settings", "--config", fixture.NativeConfigFile, "--apply", "--yes");
        var (afterExit, after) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(180), "drift", "--config", fixture.NativeConfigFile, "-o", "json");

        // Assert
        Assert.True(driftExit == 1, drift);
        Assert.Contains("NativeReplicationLag", drift, StringComparison.Ordinal);
        Assert.Contains("LambdaConfig/PreSignUp", drift, StringComparison.Ordinal);
        Assert.Contains("not-the-primarys", drift, StringComparison.Ordinal);
        Assert.True(dryExit == 1, dry);
        Assert.Contains("Dry run", dry, StringComparison.Ordinal);
        Assert.True(applyExit == 0, applied);
        Assert.True(afterExit == 0, after);
        Assert.DoesNotContain(Report(after)["native"]!["regionalSettings"]!.AsArray(), f => (string?)f!["kind"] == "differs");
        Assert.Null((await client.DescribeUserPoolRawAsync(replica.UserPoolId)).UserPool!["LambdaConfig"]?["PreSignUp"]);
    }

    private static JsonObject Report(string output) => JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!.AsObject();
}
