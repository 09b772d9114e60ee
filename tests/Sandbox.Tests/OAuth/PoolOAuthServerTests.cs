using System.Net;
using System.Text.Json.Nodes;
using IdentityReplicator.TestSupport;

namespace IdentityReplicator.Sandbox.Tests.OAuth;

/// <summary>Each sandbox pool serves Cognito's token endpoint and JWKS on 127.0.0.1, named in the sandbox's JSON line.</summary>
[Collection(SandboxCollection.Name)]
public sealed class PoolOAuthServerTests(SandboxFixture fixture)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SandboxEnvironment _sandbox = fixture.Sandbox;

    [Fact]
    public void DescribeAsJson_EachPool_NamesTokenEndpointJwksUriAndIssuer()
    {
        var description = JsonNode.Parse(_sandbox.DescribeAsJson())!;

        foreach (var (name, pool) in new[] { ("primary", _sandbox.Primary), ("standby", _sandbox.Standby) })
        {
            var described = description[name]!;
            Assert.Equal(pool.TokenEndpoint.ToString(), (string?)described["tokenEndpoint"]);
            Assert.EndsWith("/oauth2/token", (string)described["tokenEndpoint"]!, StringComparison.Ordinal);
            Assert.EndsWith("/.well-known/jwks.json", (string)described["jwksUri"]!, StringComparison.Ordinal);
            Assert.Equal($"https://cognito-idp.{pool.Region}.amazonaws.com/{pool.UserPoolId}", (string?)described["issuer"]);
            Assert.Equal("127.0.0.1", pool.TokenEndpoint.Host);
        }
    }

    [Fact]
    public async Task TokenEndpoint_MachineClientOfEachPool_IssuesTokenVerifiedByThatPoolsJwks()
    {
        foreach (var pool in new[] { _sandbox.Primary, _sandbox.Standby })
        {
            var client = await SandboxMachineClient.ReadAsync(_sandbox, pool);

            using var response = await Http.SendAsync(client.TokenRequest(pool.TokenEndpoint));

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var jwks = (JsonObject)JsonNode.Parse(await Http.GetStringAsync(pool.JwksUri))!;
            var claims = JwtAssert.ValidRs256((string)JsonNode.Parse(body)!["access_token"]!, jwks);
            Assert.Equal(pool.Issuer, (string?)claims["iss"]);
            Assert.Equal(client.ClientId, (string?)claims["client_id"]);
            Assert.Contains("https://api.sandbox.idrep.test/read", (string)claims["scope"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TokenEndpoint_WrongSecret_AnswersCognitosInvalidClient()
    {
        var client = await SandboxMachineClient.ReadAsync(_sandbox, _sandbox.Primary) with { Secret = "not-the-secret" };

        using var response = await Http.SendAsync(client.TokenRequest(_sandbox.Primary.TokenEndpoint));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TokenEndpoint_AppClientWithoutSecret_AnswersInvalidClient()
    {
        var client = new SandboxMachineClient(_sandbox.Primary.AppClientId, "anything");

        using var response = await Http.SendAsync(client.TokenRequest(_sandbox.Primary.TokenEndpoint));

        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }
}
