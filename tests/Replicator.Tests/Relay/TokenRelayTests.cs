using System.Net;
using System.Text;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Relay;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IdentityReplicator.Replicator.Tests.Relay;

/// <summary>The relay sends a primary client's token request to the active Region's client and returns Cognito's reply unchanged.</summary>
public sealed class TokenRelayTests : IDisposable
{
    private const string Secret = "s3cret+with/special=chars";
    private static readonly Uri PrimaryEndpoint = new("https://primary.auth.us-east-1.amazoncognito.com/oauth2/token");
    private static readonly Uri StandbyEndpoint = new("https://standby.auth.us-west-2.amazoncognito.com/oauth2/token");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly Mappings _mappings = new();
    private readonly Control _control = new();
    private readonly Upstream _upstream = new();
    private readonly FakeLogger<TokenRelay> _logger = new();
    private readonly HttpClient _http;
    private readonly TokenRelay _relay;

    public TokenRelayTests()
    {
        _http = new HttpClient(_upstream);
        var pools = new ReplicationOptions
        {
            Primary = new PoolOptions { Region = "us-east-1", UserPoolId = "us-east-1_primary" },
            Standby = new PoolOptions { Region = "us-west-2", UserPoolId = "us-west-2_standby" },
        };
        var options = new RelayOptions
        {
            TokenEndpoints = new(StringComparer.Ordinal) { ["us-east-1"] = PrimaryEndpoint.ToString(), ["us-west-2"] = StandbyEndpoint.ToString() },
        };
        _relay = new TokenRelay(new RelayRouter(_mappings, _control, pools, options, _time), _http, _logger, _time);
        _mappings.Items.Add(new ClientMapping("m2m", "us-east-1_primary", "primaryclient", "us-west-2_standby", "standbyclient", _time.GetUtcNow()));
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ForwardAsync_PrimaryActive_SendsTheRequestUnchangedAndReturnsTheReplyUnchanged()
    {
        var request = Basic("primaryclient", "grant_type=client_credentials&scope=api%2Fread");

        var reply = await _relay.ForwardAsync(request, CancellationToken.None);

        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal(PrimaryEndpoint, sent.Uri);
        Assert.Equal(request.Authorization, sent.Authorization);
        Assert.Equal("grant_type=client_credentials&scope=api%2Fread", sent.Body);
        Assert.Equal("application/x-www-form-urlencoded", sent.ContentType);
        Assert.Equal(200, reply.Status);
        Assert.Equal(Upstream.TokenBody, Encoding.UTF8.GetString(reply.Body));
        Assert.Contains(reply.Headers, h => h.Key == "Content-Type" && h.Value == "application/json; charset=utf-8");
        Assert.Contains(reply.Headers, h => h.Key == "Cache-Control" && h.Value == "no-cache, no-store, max-age=0, must-revalidate");
        Assert.DoesNotContain(reply.Headers, h => h.Key == "Set-Cookie");
    }

    [Fact]
    public async Task ForwardAsync_StandbyActiveBasicCredentials_SendsTheStandbysClientIdWithTheSameSecret()
    {
        _control.Reverse();

        var reply = await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);

        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal(StandbyEndpoint, sent.Uri);
        Assert.Equal(BasicHeader("standbyclient", Secret), sent.Authorization);
        Assert.Equal("grant_type=client_credentials", sent.Body);
        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task ForwardAsync_StandbyActiveFormCredentials_ReplacesOnlyTheClientIdInTheForm()
    {
        _control.Reverse();
        var form = $"grant_type=client_credentials&client_id=primaryclient&client_secret={Uri.EscapeDataString(Secret)}&scope=a+b";

        await _relay.ForwardAsync(new RelayRequest("application/x-www-form-urlencoded", null, Encoding.UTF8.GetBytes(form)), CancellationToken.None);

        var sent = Assert.Single(_upstream.Requests);
        Assert.Null(sent.Authorization);
        Assert.Equal($"grant_type=client_credentials&client_id=standbyclient&client_secret={Uri.EscapeDataString(Secret)}&scope=a+b", sent.Body);
    }

    [Fact]
    public async Task ForwardAsync_StandbyActiveAndOnlyTheReversedMappingKnown_UsesIt()
    {
        _control.Reverse();
        _mappings.Items.Clear();
        _mappings.Items.Add(new ClientMapping("m2m", "us-west-2_standby", "standbyclient", "us-east-1_primary", "primaryclient", _time.GetUtcNow()));

        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);

        Assert.Equal(BasicHeader("standbyclient", Secret), Assert.Single(_upstream.Requests).Authorization);
    }

    [Fact]
    public async Task ForwardAsync_StandbyActiveUnknownClient_AnswersCognitosInvalidClientWithoutForwarding()
    {
        _control.Reverse();

        var reply = await _relay.ForwardAsync(Basic("stranger", "grant_type=client_credentials"), CancellationToken.None);

        Assert.Empty(_upstream.Requests);
        Assert.Equal(400, reply.Status);
        Assert.Equal("""{"error":"invalid_client"}""", Encoding.UTF8.GetString(reply.Body));
    }

    [Fact]
    public async Task ForwardAsync_FailoverThenFailback_RoutesFollowTheControlAfterItsCacheWindow()
    {
        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);
        _control.Reverse();
        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);
        _control.Restore();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);

        Assert.Equal([PrimaryEndpoint, PrimaryEndpoint, StandbyEndpoint, PrimaryEndpoint], _upstream.Requests.Select(r => r.Uri));
    }

    [Fact]
    public async Task ForwardAsync_ErrorReply_IsReturnedWithItsStatusAndBody()
    {
        _upstream.Reply = (HttpStatusCode.BadRequest, """{"error":"invalid_scope"}""");

        var reply = await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials&scope=x"), CancellationToken.None);

        Assert.Equal(400, reply.Status);
        Assert.Equal("""{"error":"invalid_scope"}""", Encoding.UTF8.GetString(reply.Body));
    }

    [Fact]
    public async Task ForwardAsync_AnyRoute_LogsNeitherSecretNorTokenNorClientId()
    {
        _control.Reverse();
        await _relay.ForwardAsync(Basic("primaryclient", "grant_type=client_credentials"), CancellationToken.None);
        await _relay.ForwardAsync(Basic("stranger", "grant_type=client_credentials"), CancellationToken.None);

        var logged = string.Join('\n', _logger.Collector.GetSnapshot().Select(r => r.Message + " " + string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])));
        Assert.NotEmpty(logged);
        Assert.DoesNotContain("s3cret", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("primaryclient", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("stranger", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_MissingOrPlainHttpEndpoint_NameTheKeyAndTheFix()
    {
        var pools = new ReplicationOptions
        {
            Primary = new PoolOptions { Region = "us-east-1", UserPoolId = "us-east-1_primary" },
            Standby = new PoolOptions { Region = "us-west-2", UserPoolId = "us-west-2_standby" },
        };
        var options = new RelayOptions { TokenEndpoints = new(StringComparer.Ordinal) { ["us-east-1"] = "http://example.test/oauth2/token" } };

        var problems = options.Problems(pools).ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Relay:TokenEndpoints:us-east-1 is 'http://example.test/oauth2/token'; it must be an absolute https URL", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Relay:TokenEndpoints:us-west-2 is missing; set it to the token endpoint of the standby pool's domain", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsyncThenWriteToAsync_RequestOnAStream_RelaysItsBytesAndWritesStatusThenHeadersThenBody()
    {
        var request = Basic("primaryclient", "grant_type=client_credentials&scope=api%2Fread");
        using var requestBody = new MemoryStream(request.Body.ToArray());
        using var responseBody = new MemoryStream();
        var written = new List<string>();

        var reply = await _relay.ServeAsync(request.ContentType, request.Authorization, requestBody, CancellationToken.None);
        await reply.WriteToAsync(status => written.Add($"status {status}"), (name, value) => written.Add($"{name}: {value}"), responseBody, CancellationToken.None);

        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal("grant_type=client_credentials&scope=api%2Fread", sent.Body);
        Assert.Equal(request.Authorization, sent.Authorization);
        Assert.Equal("application/x-www-form-urlencoded", sent.ContentType);
        Assert.Equal(["status 200", .. reply.Headers.Select(h => $"{h.Key}: {h.Value}")], written);
        Assert.Contains("Content-Type: application/json; charset=utf-8", written);
        Assert.Equal(Upstream.TokenBody, Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    private static RelayRequest Basic(string clientId, string form) =>
        new("application/x-www-form-urlencoded", BasicHeader(clientId, Secret), Encoding.UTF8.GetBytes(form));

    private static string BasicHeader(string clientId, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}"));

    private sealed class Mappings : IClientMappingStore
    {
        public List<ClientMapping> Items { get; } = [];

        public Task PutAsync(ClientMapping mapping, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ClientMapping>> ListAsync(string targetPoolId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClientMapping>>([.. Items.Where(m => m.TargetPoolId == targetPoolId)]);

        public Task DeleteAsync(string targetPoolId, string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class Control : IReplicationControlStore
    {
        private ReplicationControl? _current;

        public void Reverse() => _current = new ReplicationControl
        {
            Epoch = (_current?.Epoch ?? 0) + 1,
            SourceRegion = "us-west-2",
            SourcePoolId = "us-west-2_standby",
            TargetRegion = "us-east-1",
            TargetPoolId = "us-east-1_primary",
        };

        public void Restore() => _current = new ReplicationControl
        {
            Epoch = (_current?.Epoch ?? 0) + 1,
            SourceRegion = "us-east-1",
            SourcePoolId = "us-east-1_primary",
            TargetRegion = "us-west-2",
            TargetPoolId = "us-west-2_standby",
        };

        public Task<ReplicationControl?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_current);

        public Task<bool> TryAdvanceAsync(ReplicationControl next, long expectedEpoch, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed record Sent(Uri Uri, string? Authorization, string? ContentType, string Body);

    private sealed class Upstream : HttpMessageHandler
    {
        public const string TokenBody = """{"access_token":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln","expires_in":3600,"token_type":"Bearer"}""";

        public List<Sent> Requests { get; } = [];

        public (HttpStatusCode Status, string Body) Reply { get; set; } = (HttpStatusCode.OK, TokenBody);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new Sent(
                request.RequestUri!,
                request.Headers.TryGetValues("Authorization", out var auth) ? auth.Single() : null,
                request.Content?.Headers.ContentType?.ToString(),
                request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken)));
            var response = new HttpResponseMessage(Reply.Status) { Content = new StringContent(Reply.Body, Encoding.UTF8, "application/json") };
            response.Headers.TryAddWithoutValidation("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
            response.Headers.TryAddWithoutValidation("Set-Cookie", "XSRF-TOKEN=abc");
            return response;
        }
    }
}
