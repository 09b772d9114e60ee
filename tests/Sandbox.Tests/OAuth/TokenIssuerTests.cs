using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using IdentityReplicator.Sandbox.Cognito.Configuration;
using IdentityReplicator.Sandbox.OAuth;
using IdentityReplicator.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Sandbox.Tests.OAuth;

/// <summary>The sandbox's token endpoint answers client_credentials requests as Cognito's documented token endpoint does.</summary>
public sealed class TokenIssuerTests : IDisposable
{
    private const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool";
    private const string Server = "https://api.example.test";
    private static readonly string[] PoolScopes = [$"{Server}/read", $"{Server}/write", $"{Server}/admin"];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly SigningKey _key = SigningKey.LoadOrCreate(null);
    private readonly Clients _clients = new();

    public TokenIssuerTests()
    {
        _clients.Add(Machine());
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public void Issue_ClientCredentialsByBasic_ReturnsSignedAccessTokenWithCognitosClaims()
    {
        var reply = Issue(Basic("m2m", "secret-one"), ("grant_type", "client_credentials"));

        Assert.Equal(200, reply.Status);
        var body = JsonNode.Parse(reply.Body)!;
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(3600, (long)body["expires_in"]!);
        var claims = JwtAssert.ValidRs256((string)body["access_token"]!, _key.Jwks());
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal("m2m", (string?)claims["sub"]);
        Assert.Equal("m2m", (string?)claims["client_id"]);
        Assert.Equal("access", (string?)claims["token_use"]);
        Assert.Equal(Issuer, (string?)claims["iss"]);
        Assert.Equal($"{Server}/read {Server}/write", (string?)claims["scope"]);
        Assert.Equal(now, (long)claims["iat"]!);
        Assert.Equal(now, (long)claims["auth_time"]!);
        Assert.Equal(now + 3600, (long)claims["exp"]!);
        Assert.Equal(2, (int)claims["version"]!);
        Assert.True(Guid.TryParse((string?)claims["jti"], out _));
    }

    [Fact]
    public void Issue_SecondActiveSecretInFormBody_IsAccepted()
    {
        var reply = Issue(null, ("grant_type", "client_credentials"), ("client_id", "m2m"), ("client_secret", "secret-two"), ("scope", $"{Server}/write"));

        Assert.Equal(200, reply.Status);
        var claims = JwtAssert.ValidRs256((string)JsonNode.Parse(reply.Body)!["access_token"]!, _key.Jwks());
        Assert.Equal($"{Server}/write", (string?)claims["scope"]);
    }

    [Theory]
    [InlineData("m2m", "wrong-secret")]
    [InlineData("nobody", "secret-one")]
    [InlineData("public", "anything")]
    public void Issue_UnknownClientWrongSecretOrPublicClient_IsInvalidClient(string clientId, string secret) =>
        AssertError("invalid_client", Issue(Basic(clientId, secret), ("grant_type", "client_credentials")));

    [Fact]
    public void Issue_NoCredentials_IsInvalidClient() =>
        AssertError("invalid_client", Issue(null, ("grant_type", "client_credentials")));

    [Fact]
    public void Issue_NotFormEncoded_IsInvalidRequest() =>
        AssertError("invalid_request", NewIssuer().Issue(new TokenRequest("application/json", Basic("m2m", "secret-one"), Form(("grant_type", "client_credentials")))));

    [Fact]
    public void Issue_NoGrantType_IsInvalidRequest() =>
        AssertError("invalid_request", Issue(Basic("m2m", "secret-one")));

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("password")]
    public void Issue_OtherGrant_IsUnsupportedGrantType(string grant) =>
        AssertError("unsupported_grant_type", Issue(Basic("m2m", "secret-one"), ("grant_type", grant)));

    [Fact]
    public void Issue_ClientWithoutClientCredentialsFlow_IsUnauthorizedClient()
    {
        _clients.Add(Machine() with { ClientId = "code-only", AllowedFlows = ["code"] });

        AssertError("unauthorized_client", Issue(Basic("code-only", "secret-one"), ("grant_type", "client_credentials")));
    }

    [Fact]
    public void Issue_ClientWithOAuthFlowsDisabled_IsInvalidGrant()
    {
        _clients.Add(Machine() with { ClientId = "disabled", FlowsEnabled = false });

        AssertError("invalid_grant", Issue(Basic("disabled", "secret-one"), ("grant_type", "client_credentials")));
    }

    [Theory]
    [InlineData(Server + "/admin")]
    [InlineData("https://other.test/read")]
    [InlineData("openid")]
    public void Issue_ScopeTheClientIsNotAllowed_IsInvalidScope(string scope) =>
        AssertError("invalid_scope", Issue(Basic("m2m", "secret-one"), ("grant_type", "client_credentials"), ("scope", scope)));

    [Fact]
    public void Issue_AnySubsetOfAllowedScopes_GrantsExactlyThatSubset_AndAnyOutsiderIsRefused()
    {
        var allowed = Machine().AllowedScopes;
        var candidates = PoolScopes.Concat(["https://other.test/x", "email"]).ToArray();
        Gen.Bool.Array[candidates.Length].Where(picks => picks.Any(p => p)).Sample(picks =>
        {
            var asked = candidates.Where((_, i) => picks[i]).ToList();
            var reply = Issue(Basic("m2m", "secret-one"), ("grant_type", "client_credentials"), ("scope", string.Join(' ', asked)));
            if (asked.All(allowed.Contains))
            {
                var claims = JwtAssert.ValidRs256((string)JsonNode.Parse(reply.Body)!["access_token"]!, _key.Jwks());
                Assert.Equal(asked, ((string)claims["scope"]!).Split(' '));
            }
            else
            {
                AssertError("invalid_scope", reply);
            }
        });
    }

    [Fact]
    public void Issue_ValidityInMinutes_SetsExpiresInAndExp()
    {
        _clients.Add(Machine() with { ClientId = "short", AccessTokenValidity = TimeSpan.FromMinutes(5) });

        var reply = Issue(Basic("short", "secret-one"), ("grant_type", "client_credentials"));

        Assert.Equal(300, (long)JsonNode.Parse(reply.Body)!["expires_in"]!);
    }

    [Fact]
    public void LoadOrCreate_SameFolder_KeepsTheKey()
    {
        var folder = Path.Combine(Path.GetTempPath(), "idrep-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var first = SigningKey.LoadOrCreate(folder);
            using var again = SigningKey.LoadOrCreate(folder);
            using var other = SigningKey.LoadOrCreate(null);

            Assert.Equal(first.KeyId, again.KeyId);
            Assert.NotEqual(first.KeyId, other.KeyId);
            JwtAssert.ValidRs256(first.Sign(new JsonObject { ["a"] = 1 }), again.Jwks());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static OAuthClientFacts Machine() => new(
        "m2m",
        ["secret-one", "secret-two"],
        ["client_credentials"],
        FlowsEnabled: true,
        [$"{Server}/read", $"{Server}/write"],
        TimeSpan.FromHours(1));

    private static void AssertError(string error, TokenReply reply)
    {
        Assert.Equal(400, reply.Status);
        Assert.Equal($$"""{"error":"{{error}}"}""", reply.Body);
    }

    private static string Basic(string id, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}"));

    private static Dictionary<string, IReadOnlyList<string>> Form(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => (IReadOnlyList<string>)[f.Value], StringComparer.Ordinal);

    private TokenIssuer NewIssuer() => new(Issuer, _key, _clients, _time);

    private TokenReply Issue(string? authorization, params (string Name, string Value)[] fields) =>
        NewIssuer().Issue(new TokenRequest("application/x-www-form-urlencoded", authorization, Form(fields)));

    private sealed class Clients : IOAuthClients
    {
        private readonly Dictionary<string, OAuthClientFacts> _clients = new(StringComparer.Ordinal)
        {
            ["public"] = new("public", [], ["client_credentials"], true, [$"{Server}/read"], TimeSpan.FromHours(1)),
        };

        public void Add(OAuthClientFacts client) => _clients[client.ClientId] = client;

        public OAuthClientFacts? Find(string clientId) => _clients.GetValueOrDefault(clientId);

        public IReadOnlySet<string> Scopes() => PoolScopes.ToHashSet(StringComparer.Ordinal);
    }
}
