using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Integration.Tests.Relay;

/// <summary><c>idrep relay</c>: serves the relay on the sandbox's config file, and refuses settings that name no token endpoint.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RelayCommandTests(SandboxFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Relay_SandboxConfigFile_PrintsItsEndpointAndRelaysATokenRequest()
    {
        var sandbox = fixture.Sandbox;
        var caller = await SandboxMachineClient.ReadAsync(sandbox, sandbox.Primary);
        using var relay = IdrepProcess.Start("relay", "--config", sandbox.ConfigFile, "--port", "0");
        try
        {
            var line = await Eventually.ReturnsAsync(
                () => Task.FromResult(relay.StandardOutput),
                output => output.Contains("relayEndpoint", StringComparison.Ordinal),
                Timeout,
                "idrep relay to print its endpoint");
            var endpoint = new Uri((string)JsonNode.Parse(line.Trim().Split('\n')[0])!["relayEndpoint"]!);
            using var http = new HttpClient();

            using var response = await http.SendAsync(caller.TokenRequest(endpoint));

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var jwks = (JsonObject)JsonNode.Parse(await http.GetStringAsync(sandbox.Primary.JwksUri))!;
            var claims = JwtAssert.ValidRs256((string)JsonNode.Parse(body)!["access_token"]!, jwks);
            Assert.Equal(caller.ClientId, (string?)claims["client_id"]);
            Assert.DoesNotContain(caller.Secret, relay.Output, StringComparison.Ordinal);
        }
        finally
        {
            await relay.InterruptAsync();
        }
    }

    [Fact]
    public async Task Relay_NoTokenEndpointForTheStandby_ExitsTwoNamingTheKeyAndTheFix()
    {
        var file = Path.Combine(Path.GetTempPath(), $"idrep-relay-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "Aws": { "AccessKeyId": "sandbox", "SecretAccessKey": "sandbox" },
              "Replication": {
                "Primary": { "Region": "us-east-1", "UserPoolId": "us-east-1_Primary1" },
                "Standby": { "Region": "us-west-2", "UserPoolId": "us-west-2_Standby1" }
              },
              "Mirror": { "TableName": "identity-replicator-mirror" },
              "Relay": { "TokenEndpoints": { "us-east-1": "https://primary.auth.us-east-1.amazoncognito.com/oauth2/token" } }
            }
            """);
        try
        {
            var (exitCode, output) = await IdrepProcess.RunAsync(Timeout, "relay", "--config", file, "--port", "0");

            Assert.Equal(2, exitCode);
            Assert.Contains("Relay:TokenEndpoints:us-west-2 is missing; set it to the token endpoint of the standby pool's domain", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
