using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IdentityReplicator.Core.Telemetry;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Bench;

/// <summary>The relay's figures: p99 of token requests straight to the pool's token endpoint and through the relay, in one run.</summary>
internal sealed record RelayBenchResult(int Requests, double DirectP99Ms, double RelayP99Ms, double DirectP50Ms, double RelayP50Ms)
{
    public double OverheadP99Ms => RelayP99Ms - DirectP99Ms;
}

/// <summary>
/// <c>idrep bench relay</c>: starts a sandbox and asks for client_credentials tokens with the primary's M2M client,
/// alternating a direct request to the primary's token endpoint and one through the relay, so machine noise hits both;
/// reports each side's p50 and p99 and the relay's overhead at p99.
/// </summary>
internal sealed class RelayBenchmark(ILoggerFactory loggers, TimeProvider time, Action<string> progress)
{
    private const int Warmup = 20;

    public async Task<RelayBenchResult> RunAsync(int requests, CancellationToken cancellationToken)
    {
        progress("Starting the sandbox…");
        await using var sandbox = await SandboxEnvironment.StartAsync(new SandboxOptions(), loggers, time, cancellationToken);
        var (clientId, secret) = await MachineClientAsync(sandbox, cancellationToken);
        var authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var direct = new List<double>(requests);
        var relayed = new List<double>(requests);
        progress($"Asking for {requests} tokens each way, alternating direct and relayed…");
        for (var i = -Warmup; i < requests; i++)
        {
            var first = i % 2 == 0;
            var a = await TimeAsync(http, first ? sandbox.Primary.TokenEndpoint : sandbox.RelayEndpoint, authorization, cancellationToken);
            var b = await TimeAsync(http, first ? sandbox.RelayEndpoint : sandbox.Primary.TokenEndpoint, authorization, cancellationToken);
            if (i >= 0)
            {
                direct.Add(first ? a : b);
                relayed.Add(first ? b : a);
            }
        }

        direct.Sort();
        relayed.Sort();
        return new RelayBenchResult(requests, Percentiles.NearestRank(direct, 0.99), Percentiles.NearestRank(relayed, 0.99), Percentiles.NearestRank(direct, 0.5), Percentiles.NearestRank(relayed, 0.5));
    }

    private async Task<double> TimeAsync(HttpClient http, Uri endpoint, AuthenticationHeaderValue authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = authorization;
        var started = time.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The token request to {endpoint} answered {(int)response.StatusCode}; the benchmark needs the sandbox's M2M client to get tokens.");
        }

        return elapsed;
    }

    private static async Task<(string ClientId, string Secret)> MachineClientAsync(SandboxEnvironment sandbox, CancellationToken cancellationToken)
    {
        var client = sandbox.Client(sandbox.Primary);
        await foreach (var described in client.ListUserPoolClientsAsync(sandbox.Primary.UserPoolId, cancellationToken))
        {
            if (described.ClientName == SandboxEnvironment.MachineClientName)
            {
                var full = await client.DescribeUserPoolClientRawAsync(sandbox.Primary.UserPoolId, described.ClientId!, cancellationToken);
                return (described.ClientId!, (string)full["ClientSecret"]!);
            }
        }

        throw new InvalidOperationException($"The sandbox's primary has no {SandboxEnvironment.MachineClientName}.");
    }

    public static JsonObject Json(RelayBenchResult result) => new()
    {
        ["requests"] = result.Requests,
        ["directP99Ms"] = Math.Round(result.DirectP99Ms, 2),
        ["relayP99Ms"] = Math.Round(result.RelayP99Ms, 2),
        ["overheadP99Ms"] = Math.Round(result.OverheadP99Ms, 2),
    };
}
