using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.Sandbox.Proxy;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// <c>idrep clients</c> shows what the last configuration apply could not write for a client, kept in the mirror, in
/// text and JSON, until an apply writes it. On two fresh pools of the sandbox's emulators.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ClientsRefusalsCommandTests(SandboxFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Clients_AfterARepairTheStandbyRefused_ShowsTheRefusalWithReasonAndFixUntilACleanRepair()
    {
        // Arrange: a client only in the primary, and a standby that fails every CreateUserPoolClient.
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var sourcePool = await NewPoolAsync(primary);
        var targetPool = await NewPoolAsync(standby);
        await primary.CreateUserPoolClientRawAsync(new JsonObject { ["UserPoolId"] = sourcePool, ["ClientName"] = "batch" }, None);
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
            ["IDREP_Drift__CompareConfiguration"] = "true",
        };
        var faults = sandbox.FaultsOf(sandbox.Standby);
        faults.Configure(new FaultOptions { ServerError = 1.0, Operations = new HashSet<string>(["CreateUserPoolClient"], StringComparer.Ordinal) });
        (int Exit, string Output) refusedRepair;
        try
        {
            refusedRepair = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(180), environment, "drift", "--config", sandbox.ConfigFile, "--repair", "--yes");
        }
        finally
        {
            faults.Configure(null);
        }

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "--config", sandbox.ConfigFile, "--json");
        var (textExit, text) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "--config", sandbox.ConfigFile);
        var (repairExit, repairOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(180), environment, "drift", "--config", sandbox.ConfigFile, "--repair", "--yes");
        var (afterExit, after) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "--config", sandbox.ConfigFile, "--json");

        // Assert
        Assert.Contains("1 refused", refusedRepair.Output, StringComparison.Ordinal);
        Assert.True(exit == 1, $"exit {exit}: {output}");
        var batch = Clients(output)["batch"]!;
        var refusal = Assert.Single(batch["refused"]!.AsArray())!;
        Assert.Equal(("client batch", "CreateUserPoolClient", "InternalErrorException"), ((string?)refusal["subject"], (string?)refusal["operation"], (string?)refusal["code"]));
        Assert.Contains("transient", (string?)refusal["fix"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)refusal["reason"]));
        Assert.True(textExit == 1, $"exit {textExit}: {text}");
        Assert.Contains("refused by the last apply: CreateUserPoolClient client batch (InternalErrorException:", text, StringComparison.Ordinal);
        Assert.True(repairExit == 0, $"exit {repairExit}: {repairOutput}");
        Assert.True(afterExit == 0, $"exit {afterExit}: {after}");
        Assert.Empty(Clients(after)["batch"]!["refused"]!.AsArray());
    }

    private static Dictionary<string, JsonNode?> Clients(string output) =>
        JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!["clients"]!.AsArray().ToDictionary(c => (string)c!["name"]!);

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("refusals-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
}
