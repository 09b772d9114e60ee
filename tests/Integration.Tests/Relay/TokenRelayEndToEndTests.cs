using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Core.PoolConfiguration;
using IdentityReplicator.Reconciler.Configuration;
using IdentityReplicator.Sandbox;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdentityReplicator.Integration.Tests.Relay;

/// <summary>
/// An M2M caller that holds the primary's client id and secret asks the sandbox's relay for tokens before a failover,
/// after it and after the failback, and gets a valid token from whichever pool is active, with no change on its side.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class TokenRelayEndToEndTests(SandboxFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly TimeSpan ControlWindow = TimeSpan.FromSeconds(15);
    private readonly SandboxEnvironment _sandbox = fixture.Sandbox;

    [Fact]
    public async Task Relay_PrimaryClientIdAndSecret_TokenFromThePrimaryThenFromTheStandbyAfterFailoverThenFromThePrimaryAfterFailback()
    {
        // Arrange: client replication records the CLIENTS# mapping (the M2M client is in both pools with one secret).
        await ReplicateClientsAsync();
        var caller = await SandboxMachineClient.ReadAsync(_sandbox, _sandbox.Primary);
        var standbyClient = await SandboxMachineClient.ReadAsync(_sandbox, _sandbox.Standby);
        Assert.NotEqual(caller.ClientId, standbyClient.ClientId);

        // Act + Assert: before the failover, the primary issues the token.
        var before = await TokenAsync(caller, _sandbox.Primary);
        Assert.Equal(caller.ClientId, (string?)before["client_id"]);

        try
        {
            await MoveReplicationAsync(_sandbox.Primary, _sandbox.Standby);
            var after = await Eventually.ReturnsAsync(() => TokenAsync(caller, pool: null), c => (string?)c["iss"] == _sandbox.Standby.Issuer, ControlWindow, "a token from the standby through the relay");
            Assert.Equal(standbyClient.ClientId, (string?)after["client_id"]);
            JwtAssert.ValidRs256(await RawTokenAsync(caller), await JwksAsync(_sandbox.Standby));
        }
        finally
        {
            await MoveReplicationAsync(_sandbox.Standby, _sandbox.Primary);
        }

        var back = await Eventually.ReturnsAsync(() => TokenAsync(caller, pool: null), c => (string?)c["iss"] == _sandbox.Primary.Issuer, ControlWindow, "a token from the primary after the failback");
        Assert.Equal(caller.ClientId, (string?)back["client_id"]);
    }

    [Fact]
    public async Task Relay_WrongSecret_ReturnsCognitosInvalidClientUnchanged()
    {
        var caller = await SandboxMachineClient.ReadAsync(_sandbox, _sandbox.Primary) with { Secret = "not-the-secret" };

        using var response = await Http.SendAsync(caller.TokenRequest(_sandbox.RelayEndpoint));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The claims of a token got through the relay, checked against <paramref name="pool"/>'s JWKS (or whichever pool its issuer names).</summary>
    private async Task<JsonObject> TokenAsync(SandboxMachineClient caller, SandboxPool? pool)
    {
        var token = await RawTokenAsync(caller);
        var unverified = JsonNode.Parse(Convert.FromBase64String(Pad(token.Split('.')[1])))!;
        var issuer = pool ?? ((string?)unverified["iss"] == _sandbox.Standby.Issuer ? _sandbox.Standby : _sandbox.Primary);
        var claims = JwtAssert.ValidRs256(token, await JwksAsync(issuer));
        Assert.Equal(issuer.Issuer, (string?)claims["iss"]);
        Assert.Equal("access", (string?)claims["token_use"]);
        return claims;
    }

    private async Task<string> RawTokenAsync(SandboxMachineClient caller)
    {
        using var response = await Http.SendAsync(caller.TokenRequest(_sandbox.RelayEndpoint));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }

    private static async Task<JsonObject> JwksAsync(SandboxPool pool) => (JsonObject)JsonNode.Parse(await Http.GetStringAsync(pool.JwksUri))!;

    private static string Pad(string part)
    {
        var text = part.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    /// <summary>Client replication, primary → standby, as the worker runs it: it records the CLIENTS# mapping.</summary>
    private async Task ReplicateClientsAsync()
    {
        var options = new ConfigurationReplicationOptions();
        var applier = new ConfigurationApplier(
            new CognitoPoolConfigurationDirectory(_sandbox.Client(_sandbox.Primary), _sandbox.Primary.UserPoolId, _sandbox.Primary.Region, sections: ConfigurationSections.Clients),
            new CognitoPoolConfigurationDirectory(_sandbox.Client(_sandbox.Standby), _sandbox.Standby.UserPoolId, _sandbox.Standby.Region, sections: ConfigurationSections.Clients),
            new DynamoDbClientMappingStore(_sandbox.Dynamo, new MirrorOptions { TableName = _sandbox.TableName }),
            options,
            TimeProvider.System,
            NullLogger<ConfigurationApplier>.Instance);
        var result = await applier.ApplyAsync(CancellationToken.None);
        Assert.True(result.IsClean, string.Join("; ", result.Refused));
    }

    /// <summary>What <c>idrep failover</c> does to the control item: fence the source (epoch + 1), then reverse (epoch + 1).</summary>
    private async Task MoveReplicationAsync(SandboxPool from, SandboxPool to)
    {
        var store = new DynamoDbReplicationControlStore(_sandbox.Dynamo, new MirrorOptions { TableName = _sandbox.TableName });
        var current = await store.GetAsync(CancellationToken.None) ?? new ReplicationControl
        {
            Epoch = 0,
            SourceRegion = from.Region,
            SourcePoolId = from.UserPoolId,
            TargetRegion = to.Region,
            TargetPoolId = to.UserPoolId,
        };
        var now = TimeProvider.System.GetUtcNow();
        var fenced = current with { Epoch = current.Epoch + 1, Writable = false, ChangedAt = now };
        Assert.True(await store.TryAdvanceAsync(fenced, current.Epoch, CancellationToken.None), "fence");
        var reversed = new ReplicationControl
        {
            Epoch = fenced.Epoch + 1,
            SourceRegion = to.Region,
            SourcePoolId = to.UserPoolId,
            TargetRegion = from.Region,
            TargetPoolId = from.UserPoolId,
            ChangedAt = now,
        };
        Assert.True(await store.TryAdvanceAsync(reversed, fenced.Epoch, CancellationToken.None), "reverse");
    }
}
