using System.Text.Json.Nodes;
using IdentityReplicator.Core.Cognito;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Configuration;

/// <summary>
/// <c>idrep clients rotate-secret</c> end to end against the sandbox (which serves Add/Delete/ListUserPoolClientSecrets),
/// on two fresh pools so the sandbox's own clients are left alone.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RotateSecretCommandTests(SandboxFixture fixture)
{
    private const string OldSecret = "OldSecretOfTheM2mClient0123456789";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RotateSecret_DryRunThenApply_DryRunChangesNothingAndApplyPutsOneNewValueInBothPoolsWithoutPrintingIt()
    {
        // Arrange: the same confidential client, with the same secret, in both pools.
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var (sourcePool, targetPool) = (await NewPoolAsync(primary), await NewPoolAsync(standby));
        var primaryClient = (string)(await primary.CreateUserPoolClientRawAsync(M2m(sourcePool), None))["ClientId"]!;
        var standbyClient = (string)(await standby.CreateUserPoolClientRawAsync(M2m(targetPool), None))["ClientId"]!;
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
        };
        var secretFile = Path.Combine(sandbox.DataDirectory, "rotated-" + Guid.NewGuid().ToString("N")[..8]);

        // Act
        var (dryExit, dryOutput) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "rotate-secret", "--client", "m2m", "--config", sandbox.ConfigFile);
        var afterDryRun = (await primary.ListUserPoolClientSecretsAsync(sourcePool, primaryClient, None)).Count + (await standby.ListUserPoolClientSecretsAsync(targetPool, standbyClient, None)).Count;
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "rotate-secret", "--client", "m2m", "--config", sandbox.ConfigFile, "--apply", "--secret-file", secretFile);

        // Assert
        Assert.True(dryExit == 0, $"exit {dryExit}: {dryOutput}");
        Assert.Contains("dry run", dryOutput, StringComparison.Ordinal);
        Assert.Equal(2, afterDryRun);
        Assert.True(exit == 0, $"exit {exit}: {output}");
        var secret = await File.ReadAllTextAsync(secretFile);
        Assert.Matches(@"^[A-Za-z0-9]{64}$", secret);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        var primarySecrets = await primary.ListUserPoolClientSecretsAsync(sourcePool, primaryClient, None);
        var standbySecrets = await standby.ListUserPoolClientSecretsAsync(targetPool, standbyClient, None);
        Assert.Equal(2, primarySecrets.Count);
        Assert.Equal(2, standbySecrets.Count);
        Assert.Contains($"added as secret {primarySecrets.OrderBy(s => s.ClientSecretCreateDate).Last().ClientSecretId}", output, StringComparison.Ordinal);
        Assert.Contains($"added as secret {standbySecrets.OrderBy(s => s.ClientSecretCreateDate).Last().ClientSecretId}", output, StringComparison.Ordinal);

        // Cognito never returns a custom secret: the sandbox's store (which holds secrets, as cognito-local's does) is the witness.
        Assert.Equal([OldSecret, secret], StoredSecrets(sandbox.DataDirectory, sourcePool, primaryClient));
        Assert.Equal([OldSecret, secret], StoredSecrets(sandbox.DataDirectory, targetPool, standbyClient));
    }

    [Fact]
    public async Task RotateSecret_StandbyClientHoldsTwoSecrets_IsRefusedNamingTheOldSecretAndDeletesNothing()
    {
        // Arrange
        var sandbox = fixture.Sandbox;
        var (primary, standby) = (sandbox.Client(sandbox.Primary), sandbox.Client(sandbox.Standby));
        var (sourcePool, targetPool) = (await NewPoolAsync(primary), await NewPoolAsync(standby));
        await primary.CreateUserPoolClientRawAsync(M2m(sourcePool), None);
        var standbyClient = (string)(await standby.CreateUserPoolClientRawAsync(M2m(targetPool), None))["ClientId"]!;
        await standby.AddUserPoolClientSecretAsync(targetPool, standbyClient, null, None);
        var oldest = (await standby.ListUserPoolClientSecretsAsync(targetPool, standbyClient, None)).OrderBy(s => s.ClientSecretCreateDate).First().ClientSecretId;
        var environment = new Dictionary<string, string>
        {
            ["IDREP_Replication__Primary__UserPoolId"] = sourcePool,
            ["IDREP_Replication__Standby__UserPoolId"] = targetPool,
        };
        var secretFile = Path.Combine(sandbox.DataDirectory, "rotated-" + Guid.NewGuid().ToString("N")[..8]);

        // Act
        var (exit, output) = await IdrepProcess.RunAsync(TimeSpan.FromSeconds(120), environment, "clients", "rotate-secret", "--client", "m2m", "--config", sandbox.ConfigFile, "--apply", "--secret-file", secretFile);

        // Assert
        Assert.True(exit == 1, $"exit {exit}: {output}");
        Assert.Contains($"delete the older one, {oldest}", output, StringComparison.Ordinal);
        Assert.False(File.Exists(secretFile));
        Assert.Equal(2, (await standby.ListUserPoolClientSecretsAsync(targetPool, standbyClient, None)).Count);
    }

    private static List<string?> StoredSecrets(string dataDirectory, string poolId, string clientId) =>
        [.. Directory.GetFiles(dataDirectory, "cognito-configuration.json", SearchOption.AllDirectories)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["pools"]?[poolId]?["clientSecrets"]?[clientId]?["Secrets"] as JsonArray)
            .OfType<JsonArray>()
            .SelectMany(a => a.Select(s => (string?)s!["Value"]))];

    private static JsonObject M2m(string poolId) => new()
    {
        ["UserPoolId"] = poolId,
        ["ClientName"] = "m2m",
        ["ClientSecret"] = OldSecret,
    };

    private static async Task<string> NewPoolAsync(CognitoIdentityProviderClient client) =>
        (await client.CreateUserPoolAsync(new CreateUserPoolRequest("rotate-" + Guid.NewGuid().ToString("N")[..8]), None)).UserPool!.Id!;
}
