using IdentityReplicator.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IdentityReplicator.TestSupport;

/// <summary>One sandbox (pools that sign in by email) per test collection.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxEnvironment Sandbox { get; private set; } = null!;

    public Task InitializeAsync() => StartAsync(new SandboxOptions());

    public async Task DisposeAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }

    private async Task StartAsync(SandboxOptions options) =>
        Sandbox = await SandboxEnvironment.StartAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
}

/// <summary>The name of the collection that shares one <see cref="SandboxFixture"/> (define it in each test assembly).</summary>
public static class SandboxCollection
{
    public const string Name = "sandbox";
}

/// <summary>Which processes are still alive (to check that nothing a test started survives it).</summary>
public static class Processes
{
    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
