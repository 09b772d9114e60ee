using Amazon.DynamoDBv2;
using IdentityReplicator.Core.Configuration;
using IdentityReplicator.Core.Control;
using IdentityReplicator.Core.Mirror;
using IdentityReplicator.Replicator.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Sandbox.OAuth;

/// <summary>
/// The token relay as the sandbox runs it (<c>relayEndpoint</c>): the real <see cref="TokenRelay"/> on 127.0.0.1,
/// reading the sandbox's mirror table and forwarding to the pools' token endpoints.
/// </summary>
internal sealed class SandboxRelay : IAsyncDisposable
{
    private readonly LocalServer _server;
    private readonly HttpClient _http;

    private SandboxRelay(LocalServer server, HttpClient http)
    {
        _server = server;
        _http = http;
        TokenEndpoint = new Uri(server.Url, "oauth2/token");
    }

    public Uri TokenEndpoint { get; }

    public static async Task<SandboxRelay> StartAsync(
        IAmazonDynamoDB dynamo, string tableName, SandboxPool primary, SandboxPool standby, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var mirror = new MirrorOptions { TableName = tableName };
        var pools = new ReplicationOptions
        {
            Primary = new PoolOptions { Region = primary.Region, UserPoolId = primary.UserPoolId },
            Standby = new PoolOptions { Region = standby.Region, UserPoolId = standby.UserPoolId },
        };
        var options = new RelayOptions
        {
            TokenEndpoints = new(StringComparer.Ordinal) { [primary.Region] = primary.TokenEndpoint.ToString(), [standby.Region] = standby.TokenEndpoint.ToString() },
        };
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = options.ForwardTimeout };
        try
        {
            var relay = new TokenRelay(
                new RelayRouter(new DynamoDbClientMappingStore(dynamo, mirror), new DynamoDbReplicationControlStore(dynamo, mirror), pools, options, time),
                http,
                loggers.CreateLogger<TokenRelay>(),
                time);
            var server = await LocalServer.StartAsync(app => app.MapPost("/oauth2/token", (HttpContext context) => ServeAsync(relay, context)), cancellationToken);
            return new SandboxRelay(server, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>One relayed request, through the handler every relay host shares (<see cref="RelayExchange"/>).</summary>
    private static async Task ServeAsync(TokenRelay relay, HttpContext context)
    {
        var reply = await relay.ServeAsync(context.Request.ContentType, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Body, context.RequestAborted);
        await reply.WriteToAsync(status => context.Response.StatusCode = status, (name, value) => context.Response.Headers.Append(name, value), context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
