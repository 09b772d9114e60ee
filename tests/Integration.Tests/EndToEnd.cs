using IdentityReplicator.Cli.Hosting;
using IdentityReplicator.Reconciler.Drift;
using IdentityReplicator.Reconciler.Sync;
using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityReplicator.Integration.Tests;

/// <summary>
/// The opening the end-to-end tests share, in one place: the tools of an <c>idrep</c> command and a worker, built on a
/// sandbox's config file, and one full sync or drift report through the tools. The sandbox itself comes from
/// <c>TestSandbox.StartAsync</c> (a test's own) or <c>SandboxFixture</c> (shared).
/// </summary>
internal static class EndToEnd
{
    /// <summary>
    /// The services of one one-shot command (<c>sync</c>, <c>drift</c>) on the config file with
    /// <paramref name="settings"/> over it. Each call builds new ones, as a new process would; dispose them.
    /// </summary>
    public static ServiceProvider Tools(
        this SandboxEnvironment sandbox, IDictionary<string, string?>? settings = null, Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var configuration = sandbox.Configuration(settings);
        return ToolHost.Build(configuration, verbose: false, configure is null ? null : services => configure(services, configuration));
    }

    /// <summary>One full sync of the standby from the primary, as <c>idrep sync</c> runs it.</summary>
    public static Task<SyncResult> SyncAsync(this IServiceProvider tools, SyncProgress? progress = null, CancellationToken cancellationToken = default) =>
        tools.GetRequiredService<FullSync>().RunAsync(new SyncRequest(), progress, cancellationToken);

    /// <summary>One drift report, as <c>idrep drift</c> (or <c>drift --repair</c>) runs it.</summary>
    public static Task<DriftReport> DriftAsync(this IServiceProvider tools, bool repair = false) =>
        tools.GetRequiredService<DriftReporter>().RunAsync(new DriftRequest(Repair: repair), CancellationToken.None);

    /// <summary>
    /// A worker (as <c>idrep worker</c> runs one) in this process on the config file with <paramref name="settings"/>
    /// over it, logging warnings only; started. Disposing it stops it.
    /// </summary>
    public static async Task<RunningWorker> StartWorkerAsync(this SandboxEnvironment sandbox, IDictionary<string, string?>? settings = null)
    {
        var host = WorkerHost.Build(sandbox.Configuration(settings), LogLevel.Warning);
        try
        {
            await host.StartAsync();
            return new RunningWorker(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}

/// <summary>A started in-process worker; dispose stops it (within the worker's shutdown timeout, 10 s) and frees it.</summary>
internal sealed class RunningWorker(IHost host) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }
}
