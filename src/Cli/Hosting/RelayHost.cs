using System.Text.Json.Nodes;
using IdentityReplicator.Cli.Commands;
using IdentityReplicator.Replicator.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>Hosts the <see cref="TokenRelay"/> on Kestrel for <c>idrep relay</c>.</summary>
internal static class RelayHost
{
    public static async Task<int> RunAsync(IConfiguration configuration, string host, int port, LogLevel level, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddTokenRelay(configuration);
        await using var app = builder.Build();

        // Settings are checked before the port opens, so a wrong one fails fast with its key named (exit 2).
        WorkerHost.ValidateSettings(app.Services);
        var relay = app.Services.GetRequiredService<TokenRelay>();
        app.MapPost("/oauth2/token", (HttpContext context) => ServeAsync(relay, context));
        app.MapGet("/health/live", () => Results.Json(new JsonObject { ["status"] = "live" }));
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Urls.First().TrimEnd('/');
            await Console.Out.WriteLineAsync(new JsonObject { ["relayEndpoint"] = address + "/oauth2/token" }.ToJsonString());
            await app.WaitForShutdownAsync(cancellationToken);
            return cancellationToken.IsCancellationRequested ? IdrepCommand.Aborted : IdrepCommand.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return IdrepCommand.Aborted;
        }
    }

    /// <summary>One relayed request, through the handler every relay host shares (<see cref="RelayExchange"/>).</summary>
    private static async Task ServeAsync(TokenRelay relay, HttpContext context)
    {
        var reply = await relay.ServeAsync(context.Request.ContentType, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Body, context.RequestAborted);
        await reply.WriteToAsync(status => context.Response.StatusCode = status, (name, value) => context.Response.Headers.Append(name, value), context.Response.Body, context.RequestAborted);
    }
}
