using System.Text.Json.Nodes;
using IdentityReplicator.Reconciler;
using IdentityReplicator.Replicator.Native;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityReplicator.Cli.Hosting;

/// <summary>
/// The worker's health endpoint: <c>/health/live</c> answers while the process runs; <c>/health/ready</c> answers 200
/// once the reconciler has started and has read the change feed recently, 503 with the reason otherwise. In native mode
/// (no reconciler) ready means the canary has arrived at the native replica and the replica is not stale; <c>/status</c>
/// answers the canary's lag distribution (<c>idrep status</c> prints it).
/// </summary>
internal sealed class HealthEndpoint(IOptions<WorkerOptions> options, IServiceProvider services, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.HealthUrl))
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Value.HealthUrl);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/health/live", () => Results.Json(new JsonObject { ["status"] = "live" }));
        var native = services.GetService<NativeLagMonitor>();
        var health = native is null ? services.GetRequiredService<ReconcilerHealth>() : null;
        _app.MapGet("/status", () => Results.Json(WorkerStatus.Of(native?.Status(), health, time.GetUtcNow(), options.Value.ReadyWindow)));
        _app.MapGet("/health/ready", () =>
        {
            if (native?.Status() is { } lag)
            {
                return Results.Json(WorkerStatus.Of(lag, null, time.GetUtcNow(), options.Value.ReadyWindow), statusCode: lag.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            }

            var (ready, reason) = health!.Check(time.GetUtcNow(), options.Value.ReadyWindow);
            return Results.Json(
                new JsonObject
                {
                    ["status"] = ready ? "ready" : "not ready",
                    ["reason"] = reason,
                    ["lastPoll"] = health!.LastPollAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        await _app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
