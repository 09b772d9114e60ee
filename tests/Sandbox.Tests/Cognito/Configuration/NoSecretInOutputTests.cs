using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityReplicator.Sandbox.Tests.Cognito.Configuration;

/// <summary>
/// Client and identity provider secrets stay where Cognito keeps them: none appears in the sandbox's description, its
/// config and plan files, its CloudTrail records, the logs of the sandbox and the Replicator it runs, or any file in
/// the data folder other than the fronts' own configuration store (Cognito's database, which holds them).
/// </summary>
public sealed class NoSecretInOutputTests
{
    [Fact]
    public async Task ConfigurationCalls_WithSecrets_LeaveNoSecretValueInAnyOutput()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), loggers, TimeProvider.System, CancellationToken.None);
        var pool = sandbox.Primary;
        var chosen = "chosen" + Guid.NewGuid().ToString("N");
        var rotated = "rotated" + Guid.NewGuid().ToString("N");
        var idpSecret = "idp" + Guid.NewGuid().ToString("N");
        var before = sandbox.EventBus.Events.Count;

        var custom = await sandbox.NewClientAsync(pool, new JsonObject { ["ClientSecret"] = chosen });
        await sandbox.CallAsync(pool, "AddUserPoolClientSecret", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = custom, ["ClientSecret"] = rotated });
        var generated = await sandbox.CallAsync(pool, "CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientName"] = "generated", ["GenerateSecret"] = true });
        var generatedId = generated["UserPoolClient"]!["ClientId"]!.GetValue<string>();
        var added = await sandbox.CallAsync(pool, "AddUserPoolClientSecret", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = generatedId });
        await sandbox.CallAsync(pool, "UpdateUserPoolClient", new JsonObject { ["UserPoolId"] = pool.UserPoolId, ["ClientId"] = generatedId, ["PublishSecretsInAWSSecretsManager"] = true });
        var arn = (await sandbox.DescribeClientAsync(pool, generatedId))["ClientSecretArn"]!.GetValue<string>();
        var managed = await sandbox.SecretsManagerAsync(pool.Region, "GetSecretValue", new JsonObject { ["SecretId"] = arn });
        await sandbox.CallAsync(pool, "CreateIdentityProvider", new JsonObject
        {
            ["UserPoolId"] = pool.UserPoolId, ["ProviderName"] = "Corp", ["ProviderType"] = "OIDC",
            ["ProviderDetails"] = new JsonObject { ["client_id"] = "corp", ["client_secret"] = idpSecret, ["authorize_scopes"] = "openid", ["oidc_issuer"] = "https://issuer.example.com" },
        });
        foreach (var envelope in sandbox.EventBus.Events.Skip(before))
        {
            // Waits until the Replicator has handled each record (a second delivery is harmless: it is idempotent).
            await sandbox.EventBus.RedeliverAsync(envelope, CancellationToken.None);
        }

        string[] secrets =
        [
            chosen, rotated, idpSecret,
            generated["UserPoolClient"]!["ClientSecret"]!.GetValue<string>(),
            added["ClientSecretDescriptor"]!["ClientSecretValue"]!.GetValue<string>(),
            JsonNode.Parse(managed["SecretString"]!.GetValue<string>())!["clientSecretValue"]!.GetValue<string>(),
        ];
        var outputs = new Dictionary<string, string>
        {
            ["description"] = sandbox.DescribeAsJson(),
            ["CloudTrail records"] = string.Join('\n', sandbox.EventBus.Events.Select(e => e.ToJsonString())),
            ["logs"] = string.Join('\n', logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}")),
        };
        foreach (var file in Directory.EnumerateFiles(sandbox.DataDirectory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "cognito-configuration.json"))
        {
            outputs[Path.GetRelativePath(sandbox.DataDirectory, file)] = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
        }

        Assert.Contains(outputs.Keys, k => k.EndsWith("idrep.json", StringComparison.Ordinal));
        Assert.Contains("CreateUserPoolClient", outputs["CloudTrail records"], StringComparison.Ordinal);
        foreach (var (output, text) in outputs)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret value ({secret[..4]}…) appears in {output}");
            }
        }
    }
}
